package org.aes67d.rtsp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;

/**
 * A small RTSP/1.0 client: DESCRIBE (and OPTIONS) on one connection, with a connect timeout and a deadline for every
 * answer; requests the server sends meanwhile (ANNOUNCE of a changed SDP) are answered 200 and kept for
 * {@link #awaitRequest}. Not thread-safe: one user at a time.
 */
public final class RtspClient implements AutoCloseable {
    /** SDPs are small; this bounds what a misbehaving server can make us buffer. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    public static final int DEFAULT_PORT = 554;

    /** A non-200 answer, or a broken one. */
    public static final class RtspStatusException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;

        public RtspStatusException(int status, String message) {
            super(message);
            this.status = status;
        }

        /** The RTSP status, or 0 when the answer was not RTSP. */
        public int status() {
            return status;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Duration timeout;
    private final RtspParser parser = new RtspParser(RtspParser.DEFAULT_MAX_HEADER_BYTES, MAX_BODY_BYTES);
    private final ArrayDeque<RtspRequest> received = new ArrayDeque<>();
    private byte[] buf = new byte[4096];
    private int len;
    private long cseq;

    private RtspClient(Socket socket, Duration timeout) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.timeout = timeout;
    }

    /** Connects within {@code timeout}; every later answer must also come within {@code timeout}. */
    public static RtspClient connect(String host, int port, Duration timeout) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), millis(timeout));
            s.setTcpNoDelay(true);
            return new RtspClient(s, timeout);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** One DESCRIBE on a fresh connection: the SDP of an {@code rtsp://} URL, or an IOException. */
    public static String describe(URI url, Duration timeout) throws IOException {
        if (!"rtsp".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new IOException("not an rtsp:// URL with a host: " + url);
        }
        try (RtspClient c = connect(url.getHost(), url.getPort() > 0 ? url.getPort() : DEFAULT_PORT, timeout)) {
            RtspResponse r = c.describe(url.toASCIIString());
            if (r.status() != 200) {
                throw new RtspStatusException(r.status(), "RTSP answer \"" + r.startLine() + "\"");
            }
            return r.bodyText();
        }
    }

    public RtspResponse describe(String url) throws IOException {
        return exchange("DESCRIBE", url, RtspHeaders.of("Accept", "application/sdp"));
    }

    public RtspResponse options(String url) throws IOException {
        return exchange("OPTIONS", url, RtspHeaders.EMPTY);
    }

    /** Sends a request and waits for the response with its CSeq. */
    public RtspResponse exchange(String method, String url, RtspHeaders headers) throws IOException {
        long mine = ++cseq;
        send(new RtspRequest(method, url, headers.with("CSeq", Long.toString(mine))
                .with("User-Agent", "aes67d")));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            RtspMessage m = next(deadline);
            if (m instanceof RtspResponse r && r.headers().cseq() == mine) {
                return r;
            }
            // a late response to an earlier request is skipped; server requests are queued by next()
        }
    }

    /** The next request the server sent (e.g. ANNOUNCE), waiting up to {@code wait}; null if none came. */
    public RtspRequest awaitRequest(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (received.isEmpty()) {
            try {
                next(deadline);
            } catch (SocketTimeoutException e) {
                return null;
            }
        }
        return received.poll();
    }

    private void send(RtspMessage m) throws IOException {
        out.write(m.encode());
        out.flush();
    }

    /** Reads one message before the deadline; a server request is answered 200, queued and returned. */
    private RtspMessage next(long deadline) throws IOException {
        while (true) {
            RtspParser.Result r = parser.parse(buf, 0, len);
            if (r instanceof RtspParser.Parsed p) {
                System.arraycopy(buf, p.consumed(), buf, 0, len - p.consumed());
                len -= p.consumed();
                if (p.message() instanceof RtspRequest req) {
                    String c = req.headers().get("CSeq");
                    send(RtspResponse.of(200, c == null ? RtspHeaders.EMPTY : RtspHeaders.of("CSeq", c)));
                    received.add(req);
                }
                return p.message();
            }
            if (r instanceof RtspParser.Malformed m) {
                throw new RtspStatusException(0, "not an RTSP answer: " + m.reason());
            }
            if (r instanceof RtspParser.TooLarge t) {
                throw new RtspStatusException(0, "answer too large: " + t.reason());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("no RTSP answer within " + timeout.toMillis() + " ms");
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            if (len == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) {
                throw new IOException("connection closed by the server");
            }
            len += n;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static int millis(Duration d) {
        Objects.requireNonNull(d, "timeout");
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }
}
