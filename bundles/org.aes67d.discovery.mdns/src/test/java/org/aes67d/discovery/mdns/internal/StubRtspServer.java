package org.aes67d.discovery.mdns.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.aes67d.rtsp.RtspHeaders;
import org.aes67d.rtsp.RtspParser;
import org.aes67d.rtsp.RtspRequest;
import org.aes67d.rtsp.RtspResponse;
import org.aes67d.rtsp.RtspUris;

/**
 * A small RTSP peer for tests: answers DESCRIBE of known (decoded) paths, 404 otherwise, keeps connections open and
 * sends ANNOUNCE to the connections that described a path ({@link #announce}), as a RAVENNA device does.
 */
final class StubRtspServer implements AutoCloseable {
    final Map<String, String> sdpByPath = new ConcurrentHashMap<>();
    /** Every DESCRIBE path, in order. */
    final List<String> described = new CopyOnWriteArrayList<>();
    private final Map<Socket, Set<String>> connections = new ConcurrentHashMap<>();
    private final AtomicLong cseq = new AtomicLong();
    private final ServerSocket server;
    private final Thread thread;

    StubRtspServer(InetAddress bind) throws IOException {
        this(bind, 0);
    }

    StubRtspServer(InetAddress bind, int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(bind, port), 200);
        thread = new Thread(this::run, "stub-rtsp");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    int connectionCount() {
        return connections.size();
    }

    /** Closes every client connection, as a rebooting device does; the listening socket stays open. */
    void dropConnections() throws IOException {
        for (Socket s : connections.keySet()) {
            s.close();
        }
    }

    /** Changes the SDP of {@code path} and announces it to every connection that described it. */
    void announce(String path, String sdp) throws IOException {
        sdpByPath.put(path, sdp);
        for (Map.Entry<Socket, Set<String>> e : connections.entrySet()) {
            if (e.getValue().contains(path)) {
                RtspRequest a = RtspRequest.withBody("ANNOUNCE", "rtsp://127.0.0.1:" + port()
                        + RtspUris.encodePath(path), RtspHeaders.of("CSeq", Long.toString(cseq.incrementAndGet())),
                        "application/sdp", sdp);
                synchronized (e.getKey()) {
                    e.getKey().getOutputStream().write(a.encode());
                }
            }
        }
    }

    private void run() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.put(s, ConcurrentHashMap.newKeySet());
                Thread t = new Thread(() -> serve(s), "stub-rtsp-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[16384];
            int len = 0;
            RtspParser parser = new RtspParser(8192, 8192);
            while (true) {
                RtspParser.Result r = parser.parse(buf, 0, len);
                if (r instanceof RtspParser.Parsed p) {
                    System.arraycopy(buf, p.consumed(), buf, 0, len - p.consumed());
                    len -= p.consumed();
                    if (p.message() instanceof RtspRequest req) {
                        RtspHeaders h = RtspHeaders.of("CSeq", String.valueOf(req.headers().get("CSeq")));
                        String path = RtspUris.decodePath(RtspUris.pathOf(req.uri()));
                        described.add(path);
                        String sdp = sdpByPath.get(path);
                        if (sdp != null) {
                            connections.get(s).add(path);
                        }
                        RtspResponse resp = sdp == null ? RtspResponse.of(404, h)
                                : RtspResponse.of(200, h, "application/sdp", sdp);
                        synchronized (s) {
                            out.write(resp.encode());
                        }
                    }
                    continue; // a response: the client acknowledging an ANNOUNCE
                }
                if (!(r instanceof RtspParser.Incomplete) || len == buf.length) {
                    return;
                }
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) {
                    return;
                }
                len += n;
            }
        } catch (IOException e) {
            // a client that went away
        } finally {
            connections.remove(s);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : connections.keySet()) {
            s.close();
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
