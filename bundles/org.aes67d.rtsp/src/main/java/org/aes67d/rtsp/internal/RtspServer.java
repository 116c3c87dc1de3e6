package org.aes67d.rtsp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.aes67d.rtsp.RtspMessage;
import org.aes67d.rtsp.RtspParser;
import org.aes67d.rtsp.RtspRequest;
import org.aes67d.rtsp.RtspResponse;
import org.aes67d.rtsp.RtspHeaders;
import org.aes67d.util.log.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP side: an accept thread and one thread per connection (at most {@link #MAX_CONNECTIONS}; controllers keep
 * one per described session open). A request over {@link #MAX_REQUEST_BYTES} gets 413 and the connection is closed;
 * garbage gets 400 and a close, since the framing is lost; a connection idle for {@code idleMillis} is closed unless
 * a DESCRIBE succeeded on it: RAVENNA browsers (the C++ daemon's among them) describe once, keep the connection and
 * wait for ANNOUNCE, never sending anything again, so closing it would leave them with a stale SDP for good.
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

    private final ServerSocket server;
    private final RtspHandler handler;
    private final RtspSources sources;
    private final int idleMillis;
    private final Supplier<String> baseUrl;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private final AtomicInteger counter = new AtomicInteger();
    private final AtomicLong tooLarge = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private volatile boolean closing;

    /**
     * @param bind address to listen on (null = all)
     * @param port TCP port, 0 = any free one
     * @param baseUrl {@code rtsp://ip:port} for the URL of ANNOUNCE requests
     */
    RtspServer(InetAddress bind, int port, RtspSources sources, int idleMillis, Supplier<String> baseUrl)
            throws IOException {
        this.server = new ServerSocket();
        try {
            server.setReuseAddress(true); // a restart must not wait for TIME_WAIT of the old listener
            server.bind(new InetSocketAddress(bind, port), 50);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        this.sources = sources;
        this.handler = new RtspHandler(sources);
        this.idleMillis = idleMillis;
        this.baseUrl = baseUrl;
        this.acceptor = new Thread(this::acceptLoop, "aes67d-rtsp-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    int connectionCount() {
        return connections.size();
    }

    private void acceptLoop() {
        while (!closing) {
            try {
                Socket s = server.accept();
                if (connections.size() >= MAX_CONNECTIONS) {
                    // a flood of connections is one line a minute, not one per connection
                    refused.warn("too many RTSP clients ({}), closing the connection from {}", MAX_CONNECTIONS,
                            s.getRemoteSocketAddress());
                    s.close();
                    continue;
                }
                Connection c = new Connection(s);
                connections.add(c);
                c.thread.start();
            } catch (IOException e) {
                if (!closing) {
                    LOG.error("RTSP accept failed: {}", e.getMessage());
                }
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

    @Override
    public void close() {
        closing = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Connection c : connections) {
            c.close();
        }
        join(acceptor);
        for (Connection c : connections) {
            join(c.thread);
        }
    }

    private static void join(Thread t) {
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Connection {
        final Socket socket;
        final Thread thread;
        final Set<Integer> describedIds = new HashSet<>(); // guarded by this
        long announceCseq; // guarded by this
        OutputStream out; // guarded by this

        Connection(Socket socket) {
            this.socket = socket;
            this.thread = new Thread(this::run, "aes67d-rtsp-" + counter.incrementAndGet());
            thread.setDaemon(true);
        }

        /** True once a DESCRIBE succeeded on this connection: it then stays open for ANNOUNCE, however quiet. */
        synchronized boolean keptForAnnounce() {
            return !describedIds.isEmpty();
        }

        synchronized boolean described(int id) {
            return describedIds.contains(id);
        }

        synchronized void sendAnnounce(RtspSources.Entry e) {
            try {
                write(RtspHandler.announce(baseUrl.get(), e, ++announceCseq));
            } catch (IOException ex) {
                close();
            }
        }

        /** Callers hold the lock, so an ANNOUNCE never interleaves with a response. */
        private void write(RtspMessage m) throws IOException {
            if (out == null) {
                out = socket.getOutputStream();
            }
            out.write(m.encode());
            out.flush();
        }

        private synchronized void reply(RtspResponse r) throws IOException {
            write(r);
        }

        void run() {
            RtspParser parser = new RtspParser(MAX_REQUEST_BYTES, MAX_REQUEST_BODY);
            byte[] buf = new byte[MAX_REQUEST_BYTES + MAX_REQUEST_BODY + 1];
            int len = 0;
            try (socket) {
                socket.setSoTimeout(idleMillis);
                InputStream in = socket.getInputStream();
                while (!closing) {
                    RtspParser.Result r = parser.parse(buf, 0, len);
                    if (r instanceof RtspParser.Parsed p) {
                        System.arraycopy(buf, p.consumed(), buf, 0, len - p.consumed());
                        len -= p.consumed();
                        if (p.message() instanceof RtspRequest req) {
                            RtspHandler.Reply reply = handler.handle(req);
                            synchronized (this) {
                                if (reply.describedId() >= 0) {
                                    describedIds.add(reply.describedId());
                                }
                                reply(reply.response());
                            }
                        } // a response: the client acknowledging our ANNOUNCE
                        continue;
                    }
                    if (r instanceof RtspParser.TooLarge) {
                        tooLarge.incrementAndGet();
                        reply(RtspResponse.of(413, RtspHeaders.EMPTY));
                        return;
                    }
                    if (r instanceof RtspParser.Malformed) {
                        malformed.incrementAndGet();
                        reply(RtspResponse.of(400, RtspHeaders.EMPTY));
                        return;
                    }
                    if (len == buf.length) { // cannot happen within the parser's limits; never loop on a full buffer
                        tooLarge.incrementAndGet();
                        reply(RtspResponse.of(413, RtspHeaders.EMPTY));
                        return;
                    }
                    int n;
                    try {
                        n = in.read(buf, len, buf.length - len);
                    } catch (SocketTimeoutException idle) {
                        if (keptForAnnounce()) {
                            continue; // a client waiting for ANNOUNCE of what it described: keep it (see class doc)
                        }
                        throw idle;
                    }
                    if (n < 0) {
                        return;
                    }
                    len += n;
                }
            } catch (SocketTimeoutException e) {
                LOG.debug("RTSP connection from {} idle, closed", socket.getRemoteSocketAddress());
            } catch (IOException e) {
                if (!closing) {
                    LOG.debug("RTSP connection from {} ended: {}", socket.getRemoteSocketAddress(), e.getMessage());
                }
            } finally {
                connections.remove(this);
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
