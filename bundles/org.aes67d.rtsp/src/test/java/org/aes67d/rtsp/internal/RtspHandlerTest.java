package org.aes67d.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.aes67d.rtsp.RtspHeaders;
import org.aes67d.rtsp.RtspRequest;
import org.aes67d.rtsp.RtspResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RtspHandlerTest {
    static final String SDP = "v=0\no=- 8323330 1 IN IP4 127.0.0.1\ns=Daemon 007f0100 Mic é\nt=0 0\n";
    private final RtspSources sources = new RtspSources();
    private final RtspHandler handler = new RtspHandler(sources);

    @BeforeEach
    void setUp() {
        sources.put(2, SDP);
    }

    private RtspHandler.Reply handle(String method, String uri, String version, String cseq) {
        RtspHeaders h = cseq == null ? RtspHeaders.EMPTY : RtspHeaders.of("CSeq", cseq);
        return handler.handle(new RtspRequest(method, uri, version, h, new byte[0]));
    }

    private RtspResponse describe(String uri) {
        return handle("DESCRIBE", uri, "RTSP/1.0", "5").response();
    }

    @Test
    void describeByNameIsUrlDecoded() {
        RtspHandler.Reply r = handle("DESCRIBE", "rtsp://127.0.0.1:8854/by-name/Daemon%20007f0100%20Mic%20%C3%A9",
                "RTSP/1.0", "312");
        assertEquals(200, r.response().status());
        assertEquals("312", r.response().headers().get("CSeq"));
        assertEquals("application/sdp", r.response().headers().get("Content-Type"));
        assertEquals(SDP, r.response().bodyText());
        assertEquals(2, r.describedId());
    }

    @Test
    void describeById() {
        assertEquals(SDP, describe("rtsp://host/by-id/2").bodyText());
        assertEquals(SDP, describe("/by-id/2").bodyText(), "an absolute path is accepted too");
    }

    @Test
    void unknownSessionsAre404() {
        assertEquals(404, describe("rtsp://host/by-id/3").status());
        assertEquals(404, describe("rtsp://host/by-id/x").status());
        assertEquals(404, describe("rtsp://host/by-id/0002").status());
        assertEquals(404, describe("rtsp://host/by-name/Daemon%20007f0100%20Other").status());
        assertEquals(404, describe("rtsp://host/other").status());
        sources.remove(2);
        RtspHandler.Reply r = handle("DESCRIBE", "rtsp://host/by-id/2", "RTSP/1.0", "5");
        assertEquals(404, r.response().status());
        assertEquals(-1, r.describedId());
        assertEquals("5", r.response().headers().get("CSeq"));
    }

    @Test
    void badUrisAre400() {
        assertEquals(400, describe("rtsp://host/by-name/%zz").status());
        assertEquals(400, describe("*").status());
    }

    @Test
    void optionsListsTheMethods() {
        RtspResponse r = handle("OPTIONS", "*", "RTSP/1.0", "1").response();
        assertEquals(200, r.status());
        assertEquals("OPTIONS, DESCRIBE", r.headers().get("Public"));
    }

    @Test
    void otherRequests() {
        assertEquals(400, handle("DESCRIBE", "rtsp://host/by-id/2", "RTSP/1.0", null).response().status(),
                "no CSeq");
        assertEquals(400, handle("DESCRIBE", "rtsp://host/by-id/2", "RTSP/1.0", "x").response().status());
        RtspResponse setup = handle("SETUP", "rtsp://host/by-id/2", "RTSP/1.0", "4").response();
        assertEquals(405, setup.status());
        assertEquals("OPTIONS, DESCRIBE", setup.headers().get("Allow"));
        assertEquals(501, handle("BREW", "rtsp://host/", "RTSP/1.0", "4").response().status());
        assertEquals(505, handle("DESCRIBE", "rtsp://host/by-id/2", "RTSP/2.0", "4").response().status());
    }

    @Test
    void announceRequestNamesTheSessionByName() {
        RtspRequest a = RtspHandler.announce("rtsp://10.0.0.2:8854", sources.byId(2), 7);
        assertEquals("ANNOUNCE", a.method());
        assertEquals("rtsp://10.0.0.2:8854/by-name/Daemon%20007f0100%20Mic%20%C3%A9", a.uri());
        assertEquals("7", a.headers().get("CSeq"));
        assertEquals(SDP, a.bodyText());
    }

    @Test
    void sourcesReportRealChangesOnly() {
        assertEquals(false, sources.put(2, SDP));
        assertEquals(true, sources.put(2, SDP.replace(" 1 IN", " 2 IN")));
        assertEquals("Daemon 007f0100 Mic é", sources.byId(2).name());
    }
}
