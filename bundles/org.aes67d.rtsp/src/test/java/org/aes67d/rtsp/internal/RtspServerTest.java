package org.aes67d.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.aes67d.api.session.Source;
import org.aes67d.rtsp.RtspClient;
import org.aes67d.rtsp.RtspRequest;
import org.aes67d.rtsp.RtspResponse;
import org.osgi.util.converter.Converters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server over real TCP on 127.0.0.1, with an ephemeral port. */
class RtspServerTest {
    static final String SDP = "v=0\no=- 8323330 1 IN IP4 127.0.0.1\ns=Daemon 007f0100 mic\nt=0 0\n";
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    private RtspServerComponent server;
    private int port;

    static Source source(int id, String name) {
        return new Source(id, true, name, "io", 48, "L24", "", 15, 97, 34, false, List.of(0, 1));
    }

    @BeforeEach
    void setUp() {
        server = new RtspServerComponent(config(Map.of("rtsp.port", 0, "ip.addr",
                "127.0.0.1")), 1_000);
        port = server.port();
        assertTrue(port > 0, "server did not start");
        server.sourceUpdated(source(2, "mic"), SDP);
    }

    @AfterEach
    void tearDown() {
        server.deactivate();
    }

    private String url(String path) {
        return "rtsp://127.0.0.1:" + port + path;
    }

    /** Sends raw bytes and reads everything until the server closes (or the read times out). */
    private String raw(String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
            s.setSoTimeout(3000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return readUntilClosed(s.getInputStream());
        }
    }

    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[4096];
        try {
            for (int n = in.read(b); n >= 0; n = in.read(b)) {
                out.write(b, 0, n);
            }
        } catch (java.net.SocketException e) {
            // reset after the server closed with unread input: what arrived before counts
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** Sends raw bytes and reads exactly {@code length} bytes of answer (a described connection stays open). */
    private String rawAnswer(String request, int length) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
            s.setSoTimeout(3000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readNBytes(length), StandardCharsets.ISO_8859_1);
        }
    }

    private static String describeAnswer(String cseq) {
        return "RTSP/1.0 200 OK\r\nCSeq: " + cseq + "\r\nContent-Type: application/sdp\r\nContent-Length: "
                + SDP.length() + "\r\n\r\n" + SDP;
    }

    @Test
    void describeByNameAnswersTheExactResponse() throws Exception {
        String expected = describeAnswer("312");
        assertEquals(expected, rawAnswer("DESCRIBE rtsp://127.0.0.1:" + port
                + "/by-name/Daemon%20007f0100%20mic RTSP/1.0\r\nCSeq: 312\r\nUser-Agent: test\r\n"
                + "Accept: application/sdp\r\n\r\n", expected.length()));
    }

    @Test
    void describeByNameWithUnencodedSpaces() throws Exception {
        // what users of the C++ daemon type: every default node id has a space
        String expected = describeAnswer("7");
        assertEquals(expected, rawAnswer("DESCRIBE rtsp://127.0.0.1:" + port
                + "/by-name/Daemon 007f0100 mic RTSP/1.0\r\nCSeq: 7\r\n\r\n", expected.length()));
    }

    @Test
    void describedConnectionOutlivesTheIdleTimeoutAndGetsAnnounce() throws Exception {
        try (RtspClient c = RtspClient.connect("127.0.0.1", port, TIMEOUT)) {
            assertEquals(200, c.describe(url("/by-id/2")).status());
            // quiet for longer than the 1 s idle limit, as the C++ browser is after its DESCRIBE
            assertNull(c.awaitRequest(Duration.ofMillis(2_500)));
            assertEquals(1, server.connectionCount());
            String v2 = SDP.replace(" 1 IN", " 2 IN");
            server.sourceUpdated(source(2, "mic"), v2);
            RtspRequest announce = c.awaitRequest(TIMEOUT);
            assertNotNull(announce, "no ANNOUNCE after the idle limit");
            assertEquals(v2, announce.bodyText());
        }
    }

    @Test
    void describeByIdWithTheClient() throws Exception {
        assertEquals(SDP, RtspClient.describe(URI.create(url("/by-id/2")), TIMEOUT));
        assertEquals(SDP, RtspClient.describe(URI.create(url("/by-name/Daemon%20007f0100%20mic")), TIMEOUT));
    }

    @Test
    void unknownSessionIs404() {
        RtspClient.RtspStatusException e = assertThrows(RtspClient.RtspStatusException.class,
                () -> RtspClient.describe(URI.create(url("/by-id/9")), TIMEOUT));
        assertEquals(404, e.status());
    }

    @Test
    void garbageIs400AndClosed() throws Exception {
        assertEquals("RTSP/1.0 400 Bad Request\r\n\r\n", raw("HELLO THERE\r\n\r\n"));
    }

    /** The framing is lost after a 400: requests that arrive while it still waits to go out are not answered. */
    @Test
    void nothingIsAnsweredAfterA400() throws Exception {
        RtspServer listener = server.listener();
        listener.connectionSendBuffer = 4096; // no autotuning: answers wait in the server's own queue
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            StringBuilder describes = new StringBuilder();
            for (int i = 1; i <= 300; i++) { // ~45 KB of answers: more than both socket buffers, under the limit
                describes.append("DESCRIBE ").append(url("/by-id/2")).append(" RTSP/1.0\r\nCSeq: ").append(i)
                        .append("\r\n\r\n");
            }
            out.write(describes.toString().getBytes(StandardCharsets.ISO_8859_1));
            await(() -> listener.pendingBytes() > 0, "answers queued in the server");
            out.write("HELLO THERE\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            await(() -> listener.malformed() == 1, "the 400");
            out.write("OPTIONS * RTSP/1.0\r\nCSeq: 999\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            await(() -> listener.discardedAfterError() > 0, "the request after the 400 read and dropped");
            String answers = readUntilClosed(s.getInputStream());
            String tail = answers.substring(Math.max(0, answers.length() - 200));
            assertTrue(answers.endsWith(describeAnswer("300") + "RTSP/1.0 400 Bad Request\r\n\r\n"),
                    "300 answers, then the 400 and the end: " + tail);
            assertFalse(answers.contains("CSeq: 999"), "the OPTIONS after the 400 was answered");
        }
    }

    /** Polls {@code condition} until a deadline; each check lets the server's thread run, nothing sleeps. */
    private static void await(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.yield();
        }
    }

    @Test
    void oversizedRequestIsClosed() throws Exception {
        String answer = raw("DESCRIBE " + url("/by-id/2") + " RTSP/1.0\r\nCSeq: 1\r\nX-Pad: " + "a".repeat(20_000));
        // the server answers 413 and closes; a reset may eat the answer, but never is there a 200
        assertTrue(answer.isEmpty() || answer.startsWith("RTSP/1.0 413 "), answer);
    }

    @Test
    void cseqIsEchoedOnPipelinedRequests() throws Exception {
        String answer = raw("OPTIONS * RTSP/1.0\r\nCSeq: 41\r\n\r\n"
                + "DESCRIBE " + url("/by-id/7") + " RTSP/1.0\r\nCSeq: 42\r\n\r\n");
        assertEquals("RTSP/1.0 200 OK\r\nCSeq: 41\r\nPublic: OPTIONS, DESCRIBE\r\n\r\n"
                + "RTSP/1.0 404 Not Found\r\nCSeq: 42\r\n\r\n", answer);
    }

    @Test
    void idleConnectionIsClosed() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000); // well above the 1 s idle limit: a read that returns -1 means the server closed
            long start = System.nanoTime();
            assertEquals(-1, s.getInputStream().read());
            assertTrue(System.nanoTime() - start >= 500_000_000L, "closed by the idle timeout, not at once");
        }
    }

    @Test
    void connectedClientGetsAnnounceWhenItsSourceChanges() throws Exception {
        try (RtspClient described = RtspClient.connect("127.0.0.1", port, TIMEOUT);
                RtspClient other = RtspClient.connect("127.0.0.1", port, TIMEOUT)) {
            RtspResponse r = described.describe(url("/by-id/2"));
            assertEquals(200, r.status());
            assertEquals(200, other.options(url("/")).status());
            server.sourceUpdated(source(2, "mic"), SDP); // unchanged: nothing to announce
            String v2 = SDP.replace(" 1 IN", " 2 IN");
            server.sourceUpdated(source(2, "mic"), v2);
            RtspRequest announce = described.awaitRequest(TIMEOUT);
            assertNotNull(announce, "no ANNOUNCE");
            assertEquals("ANNOUNCE", announce.method());
            assertEquals("rtsp://127.0.0.1:" + port + "/by-name/Daemon%20007f0100%20mic", announce.uri());
            assertEquals("application/sdp", announce.headers().get("Content-Type"));
            assertEquals(v2, announce.bodyText());
            assertEquals("1", announce.headers().get("CSeq"));
            // only one ANNOUNCE (the unchanged update sent none), and none to the client that described nothing
            assertNull(described.awaitRequest(Duration.ofMillis(300)));
            assertNull(other.awaitRequest(Duration.ofMillis(300)));
        }
    }

    @Test
    void manyConnectionsShareOneServerThread() throws Exception {
        List<RtspClient> clients = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                RtspClient c = RtspClient.connect("127.0.0.1", port, TIMEOUT);
                clients.add(c);
                assertEquals(200, c.describe(url("/by-id/2")).status());
            }
            long rtspThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("aes67d-rtsp")).count();
            assertEquals(1, rtspThreads, "one selector thread serves every connection");
            String v2 = SDP.replace(" 1 IN", " 2 IN");
            server.sourceUpdated(source(2, "mic"), v2);
            for (RtspClient c : clients) {
                RtspRequest announce = c.awaitRequest(TIMEOUT);
                assertNotNull(announce, "no ANNOUNCE");
                assertEquals(v2, announce.bodyText());
            }
        } finally {
            for (RtspClient c : clients) {
                c.close();
            }
        }
    }

    @Test
    void clientThatStopsReadingIsDroppedWithoutHoldingUpAnnounces() throws Exception {
        try (Socket stuck = new Socket()) {
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new InetSocketAddress("127.0.0.1", port), 3000);
            stuck.setSoTimeout(3000);
            String describe = "DESCRIBE " + url("/by-id/2") + " RTSP/1.0\r\nCSeq: 1\r\n\r\n";
            stuck.getOutputStream().write(describe.getBytes(StandardCharsets.ISO_8859_1));
            String expected = describeAnswer("1");
            assertEquals(expected, new String(stuck.getInputStream().readNBytes(expected.length()),
                    StandardCharsets.ISO_8859_1));
            // 8 MB of ANNOUNCEs the client never reads: more than any socket buffer plus the
            // server's queue, and every update must return rather than wait for the client
            String padding = "a=x-pad:" + "p".repeat(4000) + "\n";
            for (int version = 2; version < 2_002; version++) {
                server.sourceUpdated(source(2, "mic"), SDP.replace(" 1 IN", " " + version + " IN") + padding);
            }
            // the server drops the client before closing its socket: the end of the stream is the event
            readUntilClosed(stuck.getInputStream()); // a SocketTimeoutException here: never dropped
            assertEquals(0, server.connectionCount(), "the stuck client was not dropped");
            // the server still answers others
            try (RtspClient c = RtspClient.connect("127.0.0.1", port, TIMEOUT)) {
                assertEquals(200, c.describe(url("/by-id/2")).status());
            }
        }
    }

    @Test
    void removedSourceIs404() throws Exception {
        server.sourceRemoved(source(2, "mic"), SDP);
        assertEquals("RTSP/1.0 404 Not Found\r\nCSeq: 1\r\n\r\n",
                raw("DESCRIBE " + url("/by-id/2") + " RTSP/1.0\r\nCSeq: 1\r\n\r\n"));
    }

    @Test
    void deactivateClosesConnections() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (server.connectionCount() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10); // polling step until the server has registered the connection
            }
            assertEquals(1, server.connectionCount());
            server.deactivate();
            assertEquals(-1, s.getInputStream().read());
        }
        assertEquals(-1, server.port());
    }

    @Test
    void portChangeRestartsTheListenerAndKeepsTheSources() throws Exception {
        server.modified(config(Map.of("rtsp.port", 0, "ip.addr", "127.0.0.2")));
        assertEquals(port, server.port(), "same configured port (0): listener kept, only the URL address changed");
        assertEquals("rtsp://127.0.0.2:" + port, server.baseUrl());
        int free;
        try (ServerSocket probe = new ServerSocket(0)) {
            free = probe.getLocalPort();
        }
        server.modified(config(Map.of("rtsp.port", free, "ip.addr", "127.0.0.1")));
        assertEquals(free, server.port());
        assertEquals(SDP, RtspClient.describe(URI.create("rtsp://127.0.0.1:" + free + "/by-id/2"), TIMEOUT));
    }

    @Test
    void clientTimesOutOnASilentServer() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            long start = System.nanoTime();
            assertThrows(SocketTimeoutException.class, () -> RtspClient.describe(
                    URI.create("rtsp://127.0.0.1:" + silent.getLocalPort() + "/by-id/0"), Duration.ofMillis(300)));
            assertTrue(System.nanoTime() - start < 3_000_000_000L);
        }
    }

    @Test
    void clientRejectsNonRtspUrls() {
        assertThrows(IOException.class, () -> RtspClient.describe(URI.create("http://127.0.0.1/x"), TIMEOUT));
    }

    /** The component's typed config from ConfigAdmin-style properties ("rtsp.port" for rtsp_port()), defaults else. */
    private static RtspConfig config(Map<String, ?> properties) {
        return Converters.standardConverter().convert(properties).to(RtspConfig.class);
    }
}
