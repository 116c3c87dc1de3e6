package org.aes67d.discovery.mdns.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.aes67d.rtsp.RtspHeaders;
import org.aes67d.rtsp.RtspParser;
import org.aes67d.rtsp.RtspRequest;
import org.aes67d.rtsp.RtspResponse;
import org.aes67d.rtsp.RtspUris;

/** A minimal RTSP peer for tests: answers DESCRIBE of known (decoded) paths, 404 otherwise, one request per connection. */
final class StubRtspServer implements AutoCloseable {
    final Map<String, String> sdpByPath = new ConcurrentHashMap<>();
    private final ServerSocket server;
    private final Thread thread;

    StubRtspServer(InetAddress bind) throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(bind, 0));
        thread = new Thread(this::run, "stub-rtsp");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void run() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(3000);
                InputStream in = s.getInputStream();
                byte[] buf = new byte[8192];
                int len = 0;
                RtspParser parser = new RtspParser(8192, 0);
                while (true) {
                    RtspParser.Result r = parser.parse(buf, 0, len);
                    if (r instanceof RtspParser.Parsed p && p.message() instanceof RtspRequest req) {
                        RtspHeaders h = RtspHeaders.of("CSeq", String.valueOf(req.headers().get("CSeq")));
                        String sdp = sdpByPath.get(RtspUris.decodePath(RtspUris.pathOf(req.uri())));
                        RtspResponse resp = sdp == null ? RtspResponse.of(404, h)
                                : RtspResponse.of(200, h, "application/sdp", sdp);
                        s.getOutputStream().write(resp.encode());
                        break;
                    }
                    if (!(r instanceof RtspParser.Incomplete) || len == buf.length) {
                        break;
                    }
                    int n = in.read(buf, len, buf.length - len);
                    if (n < 0) {
                        break;
                    }
                    len += n;
                }
                Arrays.fill(buf, (byte) 0);
            } catch (IOException e) {
                // closed, or a client that went away: serve the next
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
