package org.aes67d.ptp.internal;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

import org.aes67d.ptp.internal.clock.VirtualClock;
import org.aes67d.ptp.internal.engine.PtpPort;
import org.aes67d.ptp.internal.message.PtpMessage;
import org.aes67d.ptp.internal.net.KernelTimestampTransport;
import org.aes67d.ptp.internal.net.PtpTransport;
import org.aes67d.ptp.internal.net.UdpTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running PTP port: the engine on real sockets, with three threads of its own. Independent of
 * OSGi, so tests and the benchmark runner use it directly.
 * <ul>
 * <li>two receive threads (event 319, general 320), each blocked in its socket read: a dedicated
 *     thread per socket keeps the wake-up path short and free of the other socket's work, which
 *     matters for the user-space timestamp fallback;</li>
 * <li>a timer thread that parks until the engine's next deadline (Sync, Announce, Delay_Req,
 *     timeouts).</li>
 * </ul>
 * Receive timestamps come from the kernel (SO_TIMESTAMPING through JNA) when available, else from
 * {@code System.nanoTime()} right after the read; see {@link #open}. Steady state allocates nothing
 * on these threads: native or direct buffers and one reused {@link PtpMessage} per thread.
 */
public final class PtpNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PtpNode.class);

    private final PtpPort port;
    private final PtpTransport transport;
    private final Thread eventThread;
    private final Thread generalThread;
    private final Thread timerThread;
    private volatile boolean running = true;
    private volatile long sendErrors;
    private volatile long timerCycles;

    /**
     * Opens the sockets and starts the threads.
     *
     * @throws IOException if the interface is unknown or the sockets cannot be opened/joined
     */
    public PtpNode(PtpPort.Settings settings, VirtualClock clock, PtpPort.Listener listener, String interfaceName,
            String ipAddr, int dscp, boolean kernelTimestamps) throws IOException {
        this(settings, clock, listener, open(interfaceName, ipAddr, dscp, kernelTimestamps));
    }

    /** Runs on an open transport (which this node then owns). */
    public PtpNode(PtpPort.Settings settings, VirtualClock clock, PtpPort.Listener listener, PtpTransport transport) {
        this.transport = transport;
        String interfaceName = transport.interfaceName();
        port = new PtpPort(settings, clock, new PtpPort.Io() {
            @Override
            public long sendEvent(byte[] buf, int len) {
                try {
                    return transport.sendEvent(buf, len);
                } catch (IOException e) {
                    sendFailed(e);
                    return System.nanoTime();
                }
            }

            @Override
            public void sendGeneral(byte[] buf, int len) {
                try {
                    transport.sendGeneral(buf, len);
                } catch (IOException e) {
                    sendFailed(e);
                }
            }
        }, listener, System.nanoTime());
        String id = interfaceName + "/" + settings.domain();
        eventThread = new Thread(() -> receiveLoop(PtpTransport.EVENT), "ptp-rx-event " + id);
        generalThread = new Thread(() -> receiveLoop(PtpTransport.GENERAL), "ptp-rx-general " + id);
        timerThread = new Thread(this::timerLoop, "ptp-timer " + id);
        for (Thread t : new Thread[] {eventThread, generalThread, timerThread}) {
            t.setDaemon(true);
        }
        // The receive threads carry the timestamps: ask for the best the JVM gives without root tricks.
        eventThread.setPriority(Thread.MAX_PRIORITY);
        eventThread.start();
        generalThread.start();
        timerThread.start();
        LOG.info("PTP {} on {} ({}) domain {}, clock {}, {} timestamps", settings.mode(), interfaceName,
                transport.address(), settings.domain(),
                org.aes67d.ptp.internal.message.Timestamps.identityText(settings.clockIdentity()),
                transport.timestamping());
    }

    /**
     * Kernel timestamps when asked for and available (JNA loads, SO_TIMESTAMPING accepted), else
     * user-space ones on java.nio sockets.
     */
    public static PtpTransport open(String interfaceName, String ipAddr, int dscp, boolean kernelTimestamps)
            throws IOException {
        if (kernelTimestamps) {
            try {
                return new KernelTimestampTransport(interfaceName, ipAddr, dscp, PtpTransport.EVENT_PORT,
                        PtpTransport.GENERAL_PORT);
            } catch (IOException | LinkageError e) {
                LOG.warn("PTP kernel timestamps unavailable ({}); using user-space timestamps", e.toString());
            }
        }
        return new UdpTransport(interfaceName, ipAddr, dscp, PtpTransport.EVENT_PORT, PtpTransport.GENERAL_PORT);
    }

    private void sendFailed(IOException e) {
        // once per 64 failures: a dead link must not flood the log at 8 Sync/s
        if ((sendErrors++ & 63) == 0 && running) {
            LOG.warn("PTP send failed ({} so far): {}", sendErrors, e.toString());
        }
    }

    private void receiveLoop(int socket) {
        byte[] data = new byte[2048];
        long[] rx = new long[1];
        PtpMessage msg = new PtpMessage();
        long errors = 0;
        while (running) {
            int n;
            try {
                n = transport.receive(socket, data, rx);
            } catch (IOException e) {
                if (running && (errors++ & 63) == 0) {
                    LOG.warn("PTP receive failed: {}", e.toString());
                }
                continue;
            }
            if (n < 0) {
                break;
            }
            if (n == 0) {
                continue;
            }
            if (msg.parse(data, 0, n)) {
                port.onMessage(msg, rx[0]);
            } else {
                port.onRejected();
            }
        }
    }

    private void timerLoop() {
        long next = System.nanoTime();
        while (running) {
            long now = System.nanoTime();
            if (now - next >= 0) {
                next = port.tick(now);
            } else { // at least once a second, which the watchdog relies on
                LockSupport.parkNanos(this, Math.min(next - now, 1_000_000_000L));
            }
            timerCycles++;
        }
    }

    /** How often the timer thread went round its loop (at least once a second while it runs). */
    long timerCycles() {
        return timerCycles;
    }

    public PtpPort port() {
        return port;
    }

    public PtpTransport transport() {
        return transport;
    }

    public void setDscp(int dscp) throws IOException {
        transport.setDscp(dscp);
    }

    public void setDomain(int domain) {
        port.setDomain(domain, System.nanoTime());
    }

    /** Stops the threads (closing the sockets wakes the readers) and waits for them. */
    @Override
    public void close() {
        running = false;
        port.disable();
        try {
            transport.close();
        } catch (IOException e) {
            LOG.debug("closing PTP sockets", e);
        }
        LockSupport.unpark(timerThread);
        boolean interrupted = false;
        for (Thread t : new Thread[] {eventThread, generalThread, timerThread}) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (t.isAlive()) {
                LOG.warn("PTP thread {} did not stop", t.getName());
            }
        }
        transport.release();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
