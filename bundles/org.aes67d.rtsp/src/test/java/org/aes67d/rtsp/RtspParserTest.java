package org.aes67d.rtsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class RtspParserTest {
    private final RtspParser parser = new RtspParser(1024, 4096);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private RtspParser.Result parse(String s) {
        byte[] data = b(s);
        return parser.parse(data, 0, data.length);
    }

    private RtspParser.Parsed parsed(String s) {
        return assertInstanceOf(RtspParser.Parsed.class, parse(s));
    }

    @Test
    void describeRequest() {
        String text = "DESCRIBE rtsp://127.0.0.1:8854/by-name/Daemon%20007f0100%20mic RTSP/1.0\r\n"
                + "CSeq: 312\r\nUser-Agent: pippo\r\nAccept: application/sdp\r\n\r\n";
        RtspParser.Parsed p = parsed(text);
        assertEquals(text.length(), p.consumed());
        RtspRequest r = assertInstanceOf(RtspRequest.class, p.message());
        assertEquals("DESCRIBE", r.method());
        assertEquals("rtsp://127.0.0.1:8854/by-name/Daemon%20007f0100%20mic", r.uri());
        assertEquals("RTSP/1.0", r.version());
        assertEquals(312, r.headers().cseq());
        assertEquals("application/sdp", r.headers().get("accept"), "names are case-insensitive");
        assertEquals(0, r.body().length);
    }

    @Test
    void bareLineFeedsAndLeadingBlankLines() {
        String text = "\r\n\nOPTIONS * RTSP/1.0\nCSeq: 1\n\n";
        RtspParser.Parsed p = parsed(text);
        assertEquals(text.length(), p.consumed());
        assertEquals("OPTIONS", ((RtspRequest) p.message()).method());
    }

    @Test
    void responseWithBody() {
        String text = "RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: application/sdp\r\nContent-Length: 4\r\n\r\nv=0\nXX";
        RtspParser.Parsed p = parsed(text);
        assertEquals(text.length() - 2, p.consumed());
        RtspResponse r = assertInstanceOf(RtspResponse.class, p.message());
        assertEquals(200, r.status());
        assertEquals("OK", r.reason());
        assertEquals("v=0\n", r.bodyText());
    }

    @Test
    void responseWithoutReason() {
        RtspResponse r = (RtspResponse) parsed("RTSP/1.0 404\r\nCSeq: 2\r\n\r\n").message();
        assertEquals(404, r.status());
        assertEquals("", r.reason());
    }

    @Test
    void pipelinedRequestsOneCallEach() {
        String one = "OPTIONS rtsp://h/ RTSP/1.0\r\nCSeq: 1\r\n\r\n";
        String two = "DESCRIBE rtsp://h/by-id/0 RTSP/1.0\r\nCSeq: 2\r\n\r\n";
        byte[] both = b(one + two);
        RtspParser.Parsed first = assertInstanceOf(RtspParser.Parsed.class, parser.parse(both, 0, both.length));
        assertEquals(one.length(), first.consumed());
        RtspParser.Parsed second = assertInstanceOf(RtspParser.Parsed.class,
                parser.parse(both, first.consumed(), both.length - first.consumed()));
        assertEquals(two.length(), second.consumed());
        assertEquals(2, second.message().headers().cseq());
    }

    @Test
    void everyPrefixIsIncomplete() {
        byte[] full = b("ANNOUNCE rtsp://h/by-name/x RTSP/1.0\r\nCSeq: 9\r\nContent-Length: 5\r\n\r\nv=0\r\n");
        for (int i = 0; i < full.length; i++) {
            assertInstanceOf(RtspParser.Incomplete.class, parser.parse(full, 0, i), "prefix of " + i);
        }
        assertInstanceOf(RtspParser.Parsed.class, parser.parse(full, 0, full.length));
    }

    @Test
    void foldedHeaderLine() {
        RtspRequest r = (RtspRequest) parsed("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nX-Long: a\r\n  b\r\n\r\n").message();
        assertEquals("a b", r.headers().get("X-Long"));
    }

    @Test
    void oversizedHeadersAndBodies() {
        assertInstanceOf(RtspParser.TooLarge.class, parse("OPTIONS * RTSP/1.0\r\nX: " + "a".repeat(2000)));
        assertInstanceOf(RtspParser.TooLarge.class,
                parse("OPTIONS * RTSP/1.0\r\nX: " + "a".repeat(2000) + "\r\n\r\n"));
        assertInstanceOf(RtspParser.TooLarge.class,
                parse("ANNOUNCE * RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 4097\r\n\r\n"));
        assertInstanceOf(RtspParser.Incomplete.class,
                parse("ANNOUNCE * RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 4096\r\n\r\n"));
    }

    @Test
    void unencodedSpacesAndBytesInTheUriAreEncoded() {
        // C++ daemon users send by-name URLs with raw spaces; raw UTF-8 bytes are taken as bytes
        RtspRequest r = assertInstanceOf(RtspRequest.class,
                parsed("DESCRIBE rtsp://h:8854/by-name/Daemon 580a0200 tone RTSP/1.0\r\nCSeq: 1\r\n\r\n").message());
        assertEquals("DESCRIBE", r.method());
        assertEquals("rtsp://h:8854/by-name/Daemon%20580a0200%20tone", r.uri());
        assertEquals("RTSP/1.0", r.version());
        RtspRequest utf8 = assertInstanceOf(RtspRequest.class,
                parsed("DESCRIBE rtsp://h/by-name/caf\u00c3\u00a9 RTSP/1.0\r\nCSeq: 1\r\n\r\n").message());
        assertEquals("rtsp://h/by-name/caf%C3%A9", utf8.uri());
        assertEquals("/by-name/caf\u00e9", RtspUris.decodePath(RtspUris.pathOf(utf8.uri())));
        assertInstanceOf(RtspParser.Malformed.class, parse("DESCRIBE rtsp://h/ RTSP/1.0 \r\n\r\n"), "trailing space");
    }

    @Test
    void garbage() {
        assertInstanceOf(RtspParser.Malformed.class, parse("HELLO\r\n"), "fails before the blank line");
        assertInstanceOf(RtspParser.Malformed.class, parse("GET / HTTP/1.1\r\n\r\n"));
        assertInstanceOf(RtspParser.Malformed.class, parse("DESCRIBE  rtsp://h/ RTSP/1.0\r\n\r\n"), "two spaces");
        assertInstanceOf(RtspParser.Malformed.class, parse("DESCRIBE rtsp://h/ RTSP/1\r\n\r\n"));
        assertInstanceOf(RtspParser.Malformed.class, parse("OPTIONS * RTSP/1.0\r\nno colon\r\n\r\n"));
        assertInstanceOf(RtspParser.Malformed.class, parse("OPTIONS * RTSP/1.0\r\nBad Name: x\r\n\r\n"));
        assertInstanceOf(RtspParser.Malformed.class, parse("OPTIONS * RTSP/1.0\r\nX: a\u0001b\r\n\r\n"));
        assertInstanceOf(RtspParser.Malformed.class, parse("OPTIONS * RTSP/1.0\r\nContent-Length: -1\r\n\r\n"));
        assertInstanceOf(RtspParser.Malformed.class,
                parse("OPTIONS * RTSP/1.0\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"));
        assertInstanceOf(RtspParser.Malformed.class, parse("$\u0000\u0000\u0004abcd"), "interleaved data");
        assertInstanceOf(RtspParser.Malformed.class, parse("RTSP/1.0 2000 OK\r\n\r\n"));
        assertInstanceOf(RtspParser.Malformed.class, parse("RTSP/1.0 099 x\r\n\r\n"));
        assertInstanceOf(RtspParser.Malformed.class, parse("\u0000\u0001\u0002"));
    }

    @Test
    void encodesResponseGoldenBytes() {
        RtspResponse r = RtspResponse.of(200, RtspHeaders.of("CSeq", "3"), "application/sdp", "v=0\n");
        assertArrayEquals(b("RTSP/1.0 200 OK\r\nCSeq: 3\r\nContent-Type: application/sdp\r\nContent-Length: 4\r\n\r\n"
                + "v=0\n"), r.encode());
        assertArrayEquals(b("RTSP/1.0 404 Not Found\r\nCSeq: 7\r\n\r\n"),
                RtspResponse.of(404, RtspHeaders.of("CSeq", "7")).encode());
    }

    @Test
    void encodesRequestGoldenBytes() {
        RtspRequest r = RtspRequest.withBody("ANNOUNCE", "rtsp://10.0.0.1:8854/by-name/a%20b",
                RtspHeaders.of("CSeq", "1"), "application/sdp", "v=0\n");
        assertArrayEquals(b("ANNOUNCE rtsp://10.0.0.1:8854/by-name/a%20b RTSP/1.0\r\nCSeq: 1\r\n"
                + "Content-Type: application/sdp\r\nContent-Length: 4\r\n\r\nv=0\n"), r.encode());
        assertArrayEquals(r.encode(), parsed(new String(r.encode(), StandardCharsets.ISO_8859_1)).message().encode());
    }

    @Test
    void headersRefuseInjection() {
        assertThrows(IllegalArgumentException.class, () -> RtspHeaders.of("CSeq", "1\r\nX: y"));
        assertThrows(IllegalArgumentException.class, () -> RtspHeaders.of("Bad Name", "x"));
        assertThrows(IllegalArgumentException.class, () -> new RtspRequest("DESCRIBE", "a b", RtspHeaders.EMPTY));
    }

    @Test
    void cseqMustBeANumber() {
        assertEquals(-1, RtspHeaders.of("CSeq", "abc").cseq());
        assertEquals(-1, RtspHeaders.EMPTY.cseq());
        assertEquals(0, RtspHeaders.of("CSeq", "0").cseq());
    }
}
