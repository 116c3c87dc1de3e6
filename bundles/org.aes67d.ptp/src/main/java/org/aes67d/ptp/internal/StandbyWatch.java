package org.aes67d.ptp.internal;

import java.io.IOException;

import org.aes67d.ptp.internal.message.PtpMessage;
import org.aes67d.ptp.internal.net.PtpTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens for PTP Announce messages of our domain on the interface PTP does not run on (the other network of an
 * ST 2022-7 pair), without sending anything: {@link PtpSlave} fails over to that network when the active one has
 * lost its grandmaster and this one still hears one. Its own thread; the sockets are the same kind PTP uses.
 */
final class StandbyWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StandbyWatch.class);

    private final PtpTransport transport;
    private final int domain;
    private final long ownIdentity;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long lastAnnounceNanos = Long.MIN_VALUE;
    private volatile long grandmaster;

    StandbyWatch(String iface, int dscp, boolean kernelTimestamps, int domain, long ownIdentity) throws IOException {
        this.transport = PtpNode.open(iface, "", dscp, kernelTimestamps);
        this.domain = domain;
        this.ownIdentity = ownIdentity;
        this.thread = new Thread(this::run, "ptp-standby-" + iface);
        thread.setDaemon(true);
        thread.start();
    }

    String interfaceName() {
        return transport.interfaceName();
    }

    /** True when an Announce of another clock in our domain arrived within {@code windowNanos} before {@code now}. */
    boolean hears(long now, long windowNanos) {
        long last = lastAnnounceNanos;
        return last != Long.MIN_VALUE && now - last <= windowNanos;
    }

    /** The grandmaster named by the last Announce heard (0: none yet). */
    long grandmaster() {
        return grandmaster;
    }

    private void run() {
        byte[] data = new byte[2048];
        long[] rx = new long[1];
        PtpMessage msg = new PtpMessage();
        while (running) {
            int n;
            try {
                n = transport.receive(PtpTransport.GENERAL, data, rx);
            } catch (IOException e) {
                continue;
            }
            if (n < 0) {
                break;
            }
            if (n > 0 && msg.parse(data, 0, n) && msg.messageType == PtpMessage.ANNOUNCE
                    && msg.domainNumber == domain && msg.sourceClockIdentity != ownIdentity) {
                grandmaster = msg.gmIdentity;
                lastAnnounceNanos = rx[0];
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            transport.close();
        } catch (IOException e) {
            LOG.debug("closing the PTP standby sockets", e);
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transport.release();
    }
}
