package org.aes67d.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.aes67d.sdp.LocalSourceSdp.Params;
import org.aes67d.sdp.LocalSourceSdp.Secondary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalSourceSdpTest {
    private static final String IP = "192.168.1.17";
    private static final String NODE = "Daemon a8c01101";
    private static final String GM = "00-1D-C1-FF-FE-50-36-33";

    /** A source of node 192.168.1.17 on port 5004, PTP domain 0 and grand master {@link #GM}. */
    private static Params source(String name, int id, long version, int pt, String dest, int ttl, String codec,
            int rate, int channels, int framecount) {
        return new Params(NODE, name, IP, LocalSourceSdp.sessionId(IP, id), version, 5004, pt, dest, ttl, codec,
                rate, channels, framecount, 0, GM, false, null);
    }

    @Test
    void l24At48kStereo1ms() {
        Params p = source("ALSA Source 0", 0, 317021570, 98, "239.1.0.1", 15, "L24", 48000, 2, 48);
        assertEquals(Golden.text("local-l24-48k-2ch.sdp"), LocalSourceSdp.render(p));
    }

    @Test
    void l16At48kEightChannels125us() {
        Params p = source("Mixer 8ch", 1, 1, 97, "239.1.0.2", 15, "L16", 48000, 8, 6);
        assertEquals(Golden.text("local-l16-48k-8ch-125us.sdp"), LocalSourceSdp.render(p));
    }

    @Test
    void am824At48kStereo() {
        Params p = source("AES3 out", 2, 7, 100, "239.1.0.3", 32, "AM824", 48000, 2, 12);
        assertEquals(Golden.text("local-am824-48k-2ch.sdp"), LocalSourceSdp.render(p));
    }

    @Test
    void l24At44k1With48Frames() {
        Params p = source("CD player", 3, 2, 98, "239.1.0.4", 15, "L24", 44100, 2, 48);
        assertEquals(Golden.text("local-l24-44k1-48.sdp"), LocalSourceSdp.render(p));
    }

    @Test
    void st2022dash7PairHasGroupAndTwoTaggedBlocks() {
        Params p = new Params(NODE, "Redundant", IP, LocalSourceSdp.sessionId(IP, 4), 3, 5004, 98, "239.1.0.5", 15,
                "L24", 48000, 2, 48, 0, GM, false, new Secondary("192.168.2.17", "239.2.0.5", 5006));
        assertEquals(Golden.text("local-dup.sdp"), LocalSourceSdp.render(p));
    }

    @Test
    void traceableReplacesGrandmasterAndDomain() {
        Params p = new Params("Daemon 007f0100", "Hi-res", "127.0.0.1", LocalSourceSdp.sessionId("127.0.0.1", 6), 12,
                5004, 98, "239.1.0.7", 64, "L24", 96000, 2, 192, 0, null, true, null);
        assertEquals(Golden.text("local-traceable.sdp"), LocalSourceSdp.render(p));
    }

    @Test
    void unicastDestinationHasNoTtlSuffix() {
        Params p = new Params(NODE, "Talkback", IP, LocalSourceSdp.sessionId(IP, 7), 1, 5010, 98, "192.168.1.40", 15,
                "L24", 48000, 1, 16, 5, "AC-DE-48-FF-FE-00-11-22", false, null);
        assertEquals(Golden.text("local-unicast.sdp"), LocalSourceSdp.render(p));
    }

    @ParameterizedTest
    @CsvSource({"48, 48000, 1", "12, 48000, 0.25", "6, 48000, 0.125", "48, 44100, 1.08843537415",
        "192, 96000, 2", "16, 48000, 0.333333333333", "64, 48000, 1.33333333333", "4, 48000, 0.0833333333333",
        "192, 44100, 4.3537414966", "96, 44100, 2.1768707483", "48, 88200, 0.544217687075", "480, 48000, 10"})
    void ptimeIsPrintedLikeOstreamWithPrecision12(int framecount, int rate, String expected) {
        assertEquals(expected, LocalSourceSdp.ptime(framecount, rate));
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1, 0, 8323328", "127.0.0.1, 63, 8323391", "192.168.1.17, 0, 2831159553",
        "10.0.0.5, 2, 656642", "255.255.255.255, 1, 0"})
    void sessionIdIsNodeIdPlusSourceIdModulo2To32(String ip, int id, long expected) {
        assertEquals(expected, LocalSourceSdp.sessionId(ip, id));
    }

    @Test
    void sessionIdRejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> LocalSourceSdp.sessionId("256.0.0.1", 0));
        assertThrows(IllegalArgumentException.class, () -> LocalSourceSdp.sessionId("lo", 0));
        assertThrows(IllegalArgumentException.class, () -> LocalSourceSdp.sessionId("127.0.0.1", -1));
    }

    @Test
    void paramsRejectLineBreaksAndMissingGrandmaster() {
        assertThrows(IllegalArgumentException.class,
                () -> source("evil\na=sendrecv", 0, 1, 98, "239.1.0.1", 15, "L24", 48000, 2, 48));
        assertThrows(NullPointerException.class, () -> new Params(NODE, "x", IP, 1, 1, 5004, 98, "239.1.0.1", 15,
                "L24", 48000, 2, 48, 0, null, false, null));
        assertThrows(IllegalArgumentException.class,
                () -> source("x", 0, 1, 128, "239.1.0.1", 15, "L24", 48000, 2, 48));
    }

    @Test
    void renderedTextParsesBackToTheSameStream() throws SdpParseException {
        Params p = source("ALSA Source 0", 0, 317021570, 98, "239.1.0.1", 15, "L24", 48000, 2, 48);
        MediaDescription m = SdpParser.parse(LocalSourceSdp.render(p)).media().get(0);
        assertEquals("L24", m.encoding());
        assertEquals(48, m.packetFrames());
        assertEquals(GM, m.ptpGrandmaster().orElseThrow());
        assertEquals(new Connection("239.1.0.1", 15), m.connection());
    }
}
