package org.aes67d.rtsp.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.aes67d.rtsp.RtspHeaders;
import org.aes67d.rtsp.RtspMessage;
import org.aes67d.rtsp.RtspParser;
import org.aes67d.rtsp.RtspRequest;
import org.aes67d.rtsp.RtspResponse;
import org.aes67d.util.log.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP side: one thread with a selector serves every connection (at most {@link #MAX_CONNECTIONS}; browsers keep
 * one per described session open, so a thread per connection cost a thread per session per browser). A request over
 * {@link #MAX_REQUEST_BYTES} gets 413 and the connection is closed; garbage gets 400 and a close, since the framing
 * is lost; a connection idle for {@code idleMillis} is closed unless a DESCRIBE succeeded on it: RAVENNA browsers
 * (the C++ daemon's among them) describe once, keep the connection and wait for ANNOUNCE, never sending anything
 * again, so closing it would leave them with a stale SDP for good. Writes never block: what a client's socket does
 * not take is queued (up to {@link #MAX_PENDING_BYTES}, then the client is dropped), so a client that stopped reading
 * holds up neither the others nor the thread that announces a change.
 */
final class RtspServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RtspServer.class);
    private final RateLimitedLog refused = new RateLimitedLog(LOG, java.time.Duration.ofMinutes(1));
    /**
     * A browser keeps one connection per session it described (the C++ daemon's does): 64 sources seen by a few
     * browsers need a few hundred.
     */
    static final int MAX_CONNECTIONS = 512;
    /** DESCRIBE and OPTIONS requests are a few hundred bytes; 8 KiB leaves room for verbose clients. */
    static final int MAX_REQUEST_BYTES = 8 * 1024;
    static final int MAX_REQUEST_BODY = 4 * 1024;
    /** Unsent answers and ANNOUNCEs of one client: a few SDPs. More means the client stopped reading. */
    static final int MAX_PENDING_BYTES = 64 * 1024;
    /** How often idle connections are looked for when nothing happens. */
    private static final long IDLE_CHECK_MILLIS = 250;

    private final ServerSocketChannel server;
    private final Selector selector;
    private final RtspHandler handler;
    private final RtspSources sources;
    private final long idleNanos;
    private final Supplier<String> baseUrl;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Thread loop;
    private final AtomicLong tooLarge = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong discardedAfterError = new AtomicLong();
    /** SO_SNDBUF of accepted connections; 0 leaves it to the kernel (autotuned). Tests make answers queue here. */
    volatile int connectionSendBuffer;
    private volatile boolean closing;

    /**
     * @param bind address to listen on (null = all)
     * @param port TCP port, 0 = any free one
     * @param baseUrl {@code rtsp://ip:port} for the URL of ANNOUNCE requests
     */
    RtspServer(InetAddress bind, int port, RtspSources sources, int idleMillis, Supplier<String> baseUrl)
            throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        Selector sel = null;
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true); // a restart must not wait for TIME_WAIT
            ch.bind(new InetSocketAddress(bind, port), 50);
            ch.configureBlocking(false);
            sel = Selector.open();
            ch.register(sel, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            ch.close();
            if (sel != null) {
                sel.close();
            }
            throw e;
        }
        this.server = ch;
        this.selector = sel;
        this.sources = sources;
        this.handler = new RtspHandler(sources);
        this.idleNanos = idleMillis * 1_000_000L;
        this.baseUrl = baseUrl;
        this.loop = new Thread(this::run, "aes67d-rtsp");
        loop.setDaemon(true);
        loop.start();
    }

    int port() {
        return server.socket().getLocalPort();
    }

    int connectionCount() {
        return connections.size();
    }

    private void run() {
        long nextIdleCheck = System.nanoTime() + IDLE_CHECK_MILLIS * 1_000_000L;
        try {
            while (!closing) {
                selector.select(IDLE_CHECK_MILLIS);
                for (SelectionKey key : selector.selectedKeys()) {
                    try {
                        if (key.isAcceptable()) {
                            accept();
                        } else if (key.attachment() instanceof Connection c) {
                            if (key.isWritable()) {
                                c.flush();
                            }
                            if (key.isValid() && key.isReadable()) {
                                c.read();
                            }
                        }
                    } catch (CancelledKeyException closedMeanwhile) {
                        // an announcing thread dropped this connection
                    } catch (IOException | RuntimeException e) { // one client's trouble never stops the server
                        LOG.warn("RTSP connection dropped: {}", e.toString());
                        if (key.attachment() instanceof Connection c) {
                            c.close();
                        }
                    }
                }
                selector.selectedKeys().clear();
                long now = System.nanoTime();
                if (now - nextIdleCheck >= 0) {
                    nextIdleCheck = now + IDLE_CHECK_MILLIS * 1_000_000L;
                    for (Connection c : connections) {
                        if (now - c.lastRead > idleNanos && !c.keptForAnnounce()) {
                            LOG.debug("RTSP connection from {} idle, closed", c.peer);
                            c.close();
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                LOG.error("RTSP server stopped: {}", e.toString());
            }
        } finally {
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel s;
        while ((s = server.accept()) != null) {
            if (connections.size() >= MAX_CONNECTIONS) {
                // a flood of connections is one line a minute, not one per connection
                try (SocketChannel over = s) {
                    refused.warn("too many RTSP clients ({}), closing the connection from {}", MAX_CONNECTIONS,
                            over.getRemoteAddress());
                } catch (IOException e) {
                    // it went away by itself
                }
                continue;
            }
            try {
                s.configureBlocking(false);
                if (connectionSendBuffer > 0) {
                    s.setOption(StandardSocketOptions.SO_SNDBUF, connectionSendBuffer);
                }
                Connection c = new Connection(s);
                c.key = s.register(selector, SelectionKey.OP_READ, c);
                connections.add(c);
            } catch (IOException e) { // gone before we got to it
                LOG.debug("RTSP connection lost at accept: {}", e.getMessage());
                s.close();
            }
        }
    }

    /** Sends ANNOUNCE with the new SDP to every client that described source {@code id} on its connection. */
    void announce(int id) {
        RtspSources.Entry e = sources.byId(id);
        if (e == null) {
            return;
        }
        for (Connection c : connections) {
            if (c.described(id)) {
                c.sendAnnounce(e);
            }
        }
    }

    /** Connections closed at once because {@link #MAX_CONNECTIONS} were open. */
    long refusedConnections() {
        return refused.total();
    }

    /** Requests answered 413 (over the size limits). */
    long tooLarge() {
        return tooLarge.get();
    }

    /** Requests answered 400 (framing lost). */
    long malformed() {
        return malformed.get();
    }

    /** Bytes read and dropped on connections closing after a 400/413 (never answered). */
    long discardedAfterError() {
        return discardedAfterError.get();
    }

    /** Answers and ANNOUNCEs waiting for their clients to read, over all connections. */
    int pendingBytes() {
        int n = 0;
        for (Connection c : connections) {
            n += c.pendingBytes();
        }
        return n;
    }

    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        try {
            loop.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection c : connections) {
            c.close();
        }
        try {
            server.close();
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** One client. Reads and parsing happen on the server's thread; writes may come from an announcing thread too. */
    private final class Connection {
        final SocketChannel channel;
        final SocketAddress peer;
        final RtspParser parser = new RtspParser(MAX_REQUEST_BYTES, MAX_REQUEST_BODY);
        final ByteBuffer in = ByteBuffer.allocate(MAX_REQUEST_BYTES + MAX_REQUEST_BODY + 1);
        volatile SelectionKey key;
        long lastRead = System.nanoTime(); // the server's thread only
        final Set<Integer> describedIds = new HashSet<>(); // guarded by this
        final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>(); // guarded by this
        int pendingBytes; // guarded by this
        boolean closeWhenSent; // guarded by this
        long announceCseq; // guarded by this

        Connection(SocketChannel channel) throws IOException {
            this.channel = channel;
            this.peer = channel.getRemoteAddress();
        }

        synchronized int pendingBytes() {
            return pendingBytes;
        }

        /** True once a DESCRIBE succeeded on this connection: it then stays open for ANNOUNCE, however quiet. */
        synchronized boolean keptForAnnounce() {
            return !describedIds.isEmpty();
        }

        synchronized boolean described(int id) {
            return describedIds.contains(id);
        }

        synchronized void sendAnnounce(RtspSources.Entry e) {
            send(RtspHandler.announce(baseUrl.get(), e, ++announceCseq));
        }

        /** Queues {@code m} behind anything unsent and writes what the socket takes now; never blocks. */
        private synchronized void send(RtspMessage m) {
            byte[] bytes = m.encode();
            if (pendingBytes + bytes.length > MAX_PENDING_BYTES) {
                LOG.debug("RTSP client {} does not read its answers, closed", peer);
                close();
                return;
            }
            pending.add(ByteBuffer.wrap(bytes));
            pendingBytes += bytes.length;
            flush();
        }

        /** Writes what the socket takes; asks the selector for room when some is left. */
        synchronized void flush() {
            try {
                while (!pending.isEmpty()) {
                    ByteBuffer b = pending.peek();
                    pendingBytes -= channel.write(b);
                    if (b.hasRemaining()) {
                        break;
                    }
                    pending.poll();
                }
            } catch (IOException e) {
                LOG.debug("RTSP connection to {} ended: {}", peer, e.getMessage());
                close();
                return;
            }
            if (pending.isEmpty() && closeWhenSent) {
                close();
                return;
            }
            SelectionKey k = key;
            if (k != null && k.isValid()) {
                int ops = pending.isEmpty() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE;
                if (k.interestOps() != ops) {
                    k.interestOps(ops);
                    if (Thread.currentThread() != loop) {
                        selector.wakeup(); // a selection in progress would not see the new interest
                    }
                }
            }
        }

        /** Reads what arrived and answers every whole request in it, in order. */
        void read() {
            int n;
            try {
                n = channel.read(in);
            } catch (IOException e) {
                LOG.debug("RTSP connection from {} ended: {}", peer, e.getMessage());
                close();
                return;
            }
            if (n < 0) {
                close();
                return;
            }
            lastRead = System.nanoTime();
            synchronized (this) {
                if (closeWhenSent) {
                    // After a 400/413 the framing is lost: nothing more is answered. Reading on until the error
                    // has gone out keeps the kernel from resetting the connection over unread input (and the
                    // error with it).
                    discardedAfterError.addAndGet(in.position());
                    in.clear();
                    return;
                }
            }
            byte[] buf = in.array();
            int start = 0;
            while (true) {
                if (!channel.isOpen()) {
                    return; // dropped while answering (it stopped reading)
                }
                RtspParser.Result r = parser.parse(buf, start, in.position() - start);
                if (r instanceof RtspParser.Parsed p) {
                    start += p.consumed();
                    if (p.message() instanceof RtspRequest req) {
                        RtspHandler.Reply reply = handler.handle(req);
                        synchronized (this) {
                            if (reply.describedId() >= 0) {
                                describedIds.add(reply.describedId());
                            }
                            send(reply.response());
                        }
                    } // a response: the client acknowledging our ANNOUNCE
                    continue;
                }
                if (r instanceof RtspParser.TooLarge) {
                    tooLarge.incrementAndGet();
                    replyAndClose(413);
                    return;
                }
                if (r instanceof RtspParser.Malformed) {
                    malformed.incrementAndGet();
                    replyAndClose(400);
                    return;
                }
                if (!in.hasRemaining() && start == 0) { // cannot happen within the parser's limits; never wait on it
                    tooLarge.incrementAndGet();
                    replyAndClose(413);
                    return;
                }
                break; // the rest of a request is still to come
            }
            in.position(in.position() - start);
            System.arraycopy(buf, start, buf, 0, in.position());
        }

        private synchronized void replyAndClose(int status) {
            closeWhenSent = true;
            send(RtspResponse.of(status, RtspHeaders.EMPTY));
        }

        void close() {
            connections.remove(this);
            SelectionKey k = key;
            if (k != null) {
                k.cancel();
            }
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
