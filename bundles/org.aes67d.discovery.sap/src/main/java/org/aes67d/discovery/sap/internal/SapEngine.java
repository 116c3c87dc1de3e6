package org.aes67d.discovery.sap.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

import org.aes67d.api.discovery.RemoteSource;
import org.aes67d.util.log.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SAP on one group and interface: an announcer thread that owns the {@link SapSchedule} and the send socket, and a
 * receiver thread that feeds the {@link SapDirectory}. {@link #close()} sends the shutdown deletions, closes both
 * sockets and joins both threads.
 */
final class SapEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SapEngine.class);
    /** SDPs longer than this after the header do not fit the datagrams classic SAP tools expect (compat.md 6). */
    static final int CLASSIC_MAX_SDP = 1000;
    /** The receiver wakes at least this often to drop expired entries. */
    static final int SWEEP_MILLIS = 1000;

    private final SapSettings settings;
    private final SapSockets sockets;
    private final RateLimitedLog spoofed = new RateLimitedLog(LOG, java.time.Duration.ofMinutes(1));
    private final SapDirectory directory;
    private final SapSchedule schedule;
    /** Work for the announcer thread; a {@code STOP} entry ends it. */
    private final LinkedBlockingQueue<Consumer<SapSchedule>> commands = new LinkedBlockingQueue<>();
    private final Thread announcer;
    private final Thread receiver;
    private volatile boolean stopping;

    private static final Consumer<SapSchedule> STOP = s -> {
    };

    private SapEngine(SapSettings settings, SapSockets sockets, SapDirectory directory) {
        this.settings = settings;
        this.sockets = sockets;
        this.directory = directory;
        this.schedule = new SapSchedule(sockets.localAddress(), settings.intervalSeconds(), RandomGenerator.getDefault(),
                directory::size);
        this.announcer = new Thread(this::announceLoop, "aes67d-sap-announce");
        this.receiver = new Thread(this::receiveLoop, "aes67d-sap-listen");
        announcer.setDaemon(true);
        receiver.setDaemon(true);
    }

    /** Opens the sockets and starts both threads; announces {@code sources} (id to SDP) at once. */
    static SapEngine start(SapSettings settings, Map<Integer, String> sources) throws IOException {
        SapEngine e = new SapEngine(settings, SapSockets.open(settings), new SapDirectory());
        sources.forEach(e::update);
        e.announcer.start();
        e.receiver.start();
        LOG.info("SAP on {}:{} via {} ({}), origin {}, interval {}", settings.group(), settings.port(),
                settings.interfaceName(), settings.extraGroups().isEmpty() ? "no extra groups"
                        : "also listening on " + settings.extraGroups(),
                e.sockets.localAddress().getHostAddress(),
                settings.intervalSeconds() == 0 ? "RFC 2974 automatic" : settings.intervalSeconds() + " s");
        return e;
    }

    SapSettings settings() {
        return settings;
    }

    static long now() {
        return System.nanoTime() / 1_000_000;
    }

    void update(int id, String sdp) {
        if (sdp.length() > CLASSIC_MAX_SDP) {
            LOG.warn("SDP of source {} is {} bytes: classic SAP tools expect under {}", id, sdp.length(),
                    CLASSIC_MAX_SDP);
        }
        commands.add(s -> sendAll(s.update(id, sdp, now())));
    }

    void remove(int id) {
        commands.add(s -> sendAll(s.remove(id, now())));
    }

    void setInterval(int seconds) {
        commands.add(s -> s.setInterval(seconds));
    }

    List<RemoteSource> remoteSources() {
        return directory.snapshot(now());
    }

    SapDirectory directory() {
        return directory;
    }

    /** Announcements dropped because their packet came from another host than their header names. */
    long spoofed() {
        return spoofed.total();
    }

    private void announceLoop() {
        try {
            while (true) {
                long wait = Math.max(0, schedule.nextDue() == Long.MAX_VALUE ? Long.MAX_VALUE
                        : schedule.nextDue() - now());
                Consumer<SapSchedule> c = wait == Long.MAX_VALUE ? commands.take()
                        : commands.poll(wait, TimeUnit.MILLISECONDS);
                if (c == STOP) {
                    break;
                }
                if (c != null) {
                    c.accept(schedule);
                }
                sendAll(schedule.due(now()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sendAll(schedule.shutdown());
    }

    private void sendAll(List<byte[]> packets) {
        for (byte[] p : packets) {
            try {
                sockets.send(p);
            } catch (IOException e) {
                LOG.warn("SAP send to {} failed: {}", settings.group(), e.getMessage());
            }
        }
    }

    /** True when the datagram's source address is the SAP header's originating source. */
    static boolean sentByItsOrigin(SapPacket p, java.net.SocketAddress from) {
        return from instanceof java.net.InetSocketAddress a && p.origin().equals(a.getAddress());
    }

    private void receiveLoop() {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        byte[] bytes = new byte[65536];
        while (!stopping) {
            try {
                sockets.receive(buf, SWEEP_MILLIS, (b, from) -> {
                    int n = b.remaining();
                    b.get(bytes, 0, n);
                    SapPacket p = SapPacket.decode(bytes, 0, n);
                    if (p != null && !sentByItsOrigin(p, from)) {
                        // the header names another host than the one that sent it: never listed, so a spoofed
                        // announcement cannot pass for another device's session (docs/security.md)
                        spoofed.warn("SAP: dropped an announcement from {} that claims origin {}", from,
                                p.origin().getHostAddress());
                    } else if (p != null && directory.accept(p, now()) == SapDirectory.Change.DROPPED) {
                        LOG.debug("dropped a SAP announcement over {} bytes from {}",
                                SapDirectory.DEFAULT_MAX_SDP_BYTES, p.origin().getHostAddress());
                    }
                });
                directory.expire(now());
            } catch (IOException | ClosedSelectorException e) {
                if (!stopping) {
                    LOG.error("SAP receive failed, listener stops: {}", e.getMessage());
                }
                return;
            }
        }
    }

    @Override
    public void close() {
        commands.add(STOP);
        try {
            announcer.join(2000); // it sends the shutdown deletions before it ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopping = true;
        sockets.close(); // unblocks the receiver
        try {
            receiver.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
