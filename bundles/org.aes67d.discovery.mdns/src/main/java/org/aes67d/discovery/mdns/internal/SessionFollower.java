package org.aes67d.discovery.mdns.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.aes67d.rtsp.RtspClient;
import org.aes67d.rtsp.RtspHeaders;
import org.aes67d.rtsp.RtspMessage;
import org.aes67d.rtsp.RtspParser;
import org.aes67d.rtsp.RtspRequest;
import org.aes67d.rtsp.RtspResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows sessions on kept RTSP connections, all on one thread ("aes67d-mdns-watch"): connect, DESCRIBE, then
 * answer the server's requests and pass on every ANNOUNCEd SDP; after a drop, connect again. It was a thread per
 * session, blocked in a read: 64 sources on the network cost 64 threads (their stacks ~6 MB of RSS).
 *
 * <p>Callbacks run on the follower's thread and must not block.
 */
final class SessionFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionFollower.class);

    /** What the follower needs of a session. */
    interface Session {
        /** Where to DESCRIBE, read at every (re)connection (a session may move); null ends the following. */
        String describeUrl();

        /** False once the session is gone: its connection is closed and not made again. */
        boolean wanted();

        /** The DESCRIBE answer (200 with an audio SDP) or an ANNOUNCEd SDP. */
        void described(String sdp);

        /** DESCRIBE answered with something not listed, or never answered in {@code firstAttempts}: given up. */
        void givenUp();

        /** True once {@link #described} was called (a session that was described is retried for good). */
        boolean everDescribed();
    }

    private final class Follow {
        final Session session;
        SocketChannel channel;
        SelectionKey key;
        byte[] in = new byte[4096];
        int inLength;
        final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
        String url;
        long describeCseq;
        boolean describing;
        int failures;
        /** Deadline (nanoTime) of the pending connect or DESCRIBE answer, or of the next connection attempt. */
        long due;
        boolean waitingToReconnect;

        Follow(Session session) {
            this.session = session;
        }
    }

    private final RtspParser parser = new RtspParser(RtspParser.DEFAULT_MAX_HEADER_BYTES, RtspClient.MAX_BODY_BYTES);
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Set<Follow> follows = new HashSet<>(); // follower thread only
    private final long timeoutNanos;
    private final long reconnectNanos;
    private final int firstAttempts;
    private volatile boolean closed;
    private long cseq;

    SessionFollower(long timeoutMillis, long reconnectMillis, int firstAttempts) throws IOException {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.reconnectNanos = TimeUnit.MILLISECONDS.toNanos(reconnectMillis);
        this.firstAttempts = firstAttempts;
        selector = Selector.open();
        thread = new Thread(this::run, "aes67d-mdns-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts following {@code s}; returns at once. */
    void follow(Session s) {
        submit(() -> {
            Follow f = new Follow(s);
            follows.add(f);
            connect(f);
        });
    }

    /** Stops following {@code s} (its connection closes soon); returns at once. */
    void unfollow(Session s) {
        submit(() -> {
            for (Follow f : new ArrayList<>(follows)) {
                if (f.session == s) {
                    end(f);
                }
            }
        });
    }

    private void submit(Runnable task) {
        if (!closed) {
            tasks.add(task);
            selector.wakeup();
        }
    }

    private void run() {
        try {
            while (!closed) {
                Runnable t;
                while ((t = tasks.poll()) != null) {
                    t.run();
                }
                long wait = expire(System.nanoTime());
                selector.select(wait <= 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
                for (SelectionKey k : selector.selectedKeys()) {
                    Follow f = (Follow) k.attachment();
                    try {
                        if (k.isValid() && k.isConnectable()) {
                            connected(f);
                        }
                        if (k.isValid() && k.isWritable()) {
                            flush(f);
                        }
                        if (k.isValid() && k.isReadable()) {
                            read(f);
                        }
                    } catch (IOException | RuntimeException e) {
                        failed(f, e.getMessage());
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.error("mDNS session follower stopped: {}", e.toString());
            }
        } finally {
            new ArrayList<>(follows).forEach(this::end);
            try {
                selector.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** Acts on due deadlines; returns the nanoseconds to the next one (0: none). */
    private long expire(long now) {
        long next = Long.MAX_VALUE;
        for (Follow f : new ArrayList<>(follows)) {
            if (f.due == 0) {
                continue;
            }
            if (now - f.due >= 0) {
                if (f.waitingToReconnect) {
                    connect(f);
                } else {
                    failed(f, "no RTSP answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
                }
            }
            if (f.due != 0) {
                next = Math.min(next, f.due - now);
            }
        }
        return next == Long.MAX_VALUE ? 0 : Math.max(1, next);
    }

    private void connect(Follow f) {
        f.waitingToReconnect = false;
        f.due = 0;
        if (!f.session.wanted() || closed) {
            end(f);
            return;
        }
        f.url = f.session.describeUrl();
        if (f.url == null) {
            end(f);
            return;
        }
        try {
            URI u = URI.create(f.url);
            f.channel = SocketChannel.open();
            f.channel.configureBlocking(false);
            f.channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            f.due = System.nanoTime() + timeoutNanos;
            if (f.channel.connect(new InetSocketAddress(u.getHost(), u.getPort() > 0 ? u.getPort()
                    : RtspClient.DEFAULT_PORT))) {
                f.key = f.channel.register(selector, SelectionKey.OP_READ, f);
                describe(f);
            } else {
                f.key = f.channel.register(selector, SelectionKey.OP_CONNECT, f);
            }
        } catch (IOException | IllegalArgumentException e) {
            failed(f, e.getMessage());
        }
    }

    private void connected(Follow f) throws IOException {
        f.channel.finishConnect();
        f.key.interestOps(SelectionKey.OP_READ);
        describe(f);
    }

    private void describe(Follow f) throws IOException {
        f.describeCseq = ++cseq;
        f.describing = true;
        f.due = System.nanoTime() + timeoutNanos;
        send(f, new RtspRequest("DESCRIBE", URI.create(f.url).toASCIIString(), RtspHeaders.of("Accept",
                "application/sdp", "CSeq", Long.toString(f.describeCseq), "User-Agent", "aes67d")));
    }

    private void send(Follow f, RtspMessage m) throws IOException {
        f.out.add(ByteBuffer.wrap(m.encode()));
        flush(f);
    }

    private void flush(Follow f) throws IOException {
        while (!f.out.isEmpty()) {
            ByteBuffer b = f.out.peek();
            f.channel.write(b);
            if (b.hasRemaining()) {
                f.key.interestOps(f.key.interestOps() | SelectionKey.OP_WRITE);
                return; // the rest when the socket can take it
            }
            f.out.poll();
        }
        f.key.interestOps(f.key.interestOps() & ~SelectionKey.OP_WRITE);
    }

    private void read(Follow f) throws IOException {
        if (f.inLength == f.in.length) {
            f.in = Arrays.copyOf(f.in, f.in.length * 2); // bounded: the parser refuses what is too large
        }
        int n = f.channel.read(ByteBuffer.wrap(f.in, f.inLength, f.in.length - f.inLength));
        if (n < 0) {
            failed(f, "connection closed by the server");
            return;
        }
        f.inLength += n;
        while (f.key != null && f.key.isValid()) {
            RtspParser.Result r = parser.parse(f.in, 0, f.inLength);
            if (r instanceof RtspParser.Parsed p) {
                System.arraycopy(f.in, p.consumed(), f.in, 0, f.inLength - p.consumed());
                f.inLength -= p.consumed();
                received(f, p.message());
            } else if (r instanceof RtspParser.Malformed m) {
                failed(f, "not RTSP: " + m.reason());
            } else if (r instanceof RtspParser.TooLarge t) {
                failed(f, "too large: " + t.reason());
            } else {
                return; // incomplete: wait for more
            }
        }
    }

    private void received(Follow f, RtspMessage m) throws IOException {
        if (m instanceof RtspRequest req) {
            String c = req.headers().get("CSeq");
            send(f, RtspResponse.of(200, c == null ? RtspHeaders.EMPTY : RtspHeaders.of("CSeq", c)));
            if ("ANNOUNCE".equals(req.method()) && req.body().length > 0 && !f.describing) {
                f.session.described(req.bodyText());
            }
            return;
        }
        RtspResponse resp = (RtspResponse) m;
        if (!f.describing || resp.headers().cseq() != f.describeCseq) {
            return; // an answer to nothing we wait for
        }
        f.describing = false;
        f.due = 0;
        if (resp.status() != 200 || !MdnsRecords.isAudioSession(resp.bodyText())) {
            LOG.debug("DESCRIBE {}: {} (not listed)", f.url, resp.startLine());
            f.session.givenUp();
            end(f);
            return;
        }
        f.session.described(resp.bodyText());
    }

    /** A connection failed: connect again later, or give up a session that never answered. */
    private void failed(Follow f, String why) {
        LOG.debug("RTSP connection to {} ended: {}", f.url, why);
        closeChannel(f);
        if (!f.session.everDescribed() && ++f.failures >= firstAttempts) {
            f.session.givenUp(); // never answered: not worth a slot (a flood of fake records ends here)
            end(f);
            return;
        }
        f.waitingToReconnect = true;
        f.due = System.nanoTime() + reconnectNanos;
    }

    private void end(Follow f) {
        closeChannel(f);
        f.due = 0;
        follows.remove(f);
    }

    private static void closeChannel(Follow f) {
        f.describing = false;
        f.out.clear();
        f.inLength = 0;
        if (f.key != null) {
            f.key.cancel();
            f.key = null;
        }
        if (f.channel != null) {
            try {
                f.channel.close();
            } catch (IOException e) {
                // closing anyway
            }
            f.channel = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
