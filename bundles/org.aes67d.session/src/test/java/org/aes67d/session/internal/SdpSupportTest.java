package org.aes67d.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.aes67d.api.session.SessionException;
import org.aes67d.api.session.Source;
import org.junit.jupiter.api.Test;

class SdpSupportTest {
    /** What this daemon announces for source 0 "zero" on 127.0.0.1 (version 1), usable as a sink's SDP. */
    static final String LOCAL_L24 = """
            v=0
            o=- 8323328 1 IN IP4 127.0.0.1
            s=Daemon 007f0100 zero
            t=0 0
            m=audio 5004 RTP/AVP 98
            c=IN IP4 239.1.0.1/15
            a=source-filter: incl IN IP4 239.1.0.1 127.0.0.1
            a=rtpmap:98 L24/48000/2
            a=sync-time:0
            a=framecount:48
            a=ptime:1
            a=mediaclk:direct=0
            a=clock-domain:PTPv2 0
            a=ts-refclk:ptp=IEEE1588-2008:00-00-00-00-00-00-00-00:0
            a=recvonly
            """;

    @Test
    void localSourceSdpIsTheCppDaemonsTextByteForByte() {
        Source zero = new Source(0, true, "zero", "Audio Device", 48, "L24", "", 15, 98, 34, false, List.of(0, 1));
        assertEquals(LOCAL_L24, SdpSupport.localSourceSdp(TestConfig.withStatusFile(""), zero, "239.1.0.1", 48000, 1,
                "00-00-00-00-00-00-00-00"));
        Source traceable = new Source(5, true, "t", "Audio Device", 12, "L16", "", 15, 97, 34, true, List.of(0));
        String sdp = SdpSupport.localSourceSdp(TestConfig.withStatusFile(""), traceable, "239.1.0.6", 48000, 7,
                "00-00-00-00-00-00-00-00");
        assertTrue(sdp.contains("o=- 8323333 7 IN IP4 127.0.0.1\n"), sdp);
        assertTrue(sdp.contains("a=rtpmap:97 L16/48000/1\n"), sdp);
        assertTrue(sdp.contains("a=ptime:0.25\n"), sdp);
        assertTrue(sdp.contains("a=ts-refclk:ptp=IEEE1588-2008:traceable\n"), sdp);
    }

    @Test
    void sinkFormatComesFromTheFirstAudioMedia() throws Exception {
        StreamFormat f = SdpSupport.sinkFormat(LOCAL_L24);
        assertEquals(new StreamFormat("239.1.0.1", 5004, "L24", 48000, 2, 48, 98, 0), f);
        StreamFormat plain = SdpSupport.sinkFormat("v=0\r\no=- 1 1 IN IP4 10.0.0.2\r\ns=gst\r\nc=IN IP4 239.69.1.1\r\n"
                + "t=0 0\r\nm=audio 5004 RTP/AVP 97\r\na=rtpmap:97 L16/44100/2\r\na=ptime:4\r\n");
        assertEquals(new StreamFormat("239.69.1.1", 5004, "L16", 44100, 2, 176, 97, 0), plain);
    }

    @Test
    void theSendersMediaClockOffsetComesFromMediaclkOrSyncTime() throws Exception {
        // RFC 7273 direct=N (with or without parameters) first, as the kernel module's m_ui32RTPTimestampOffset
        String both = LOCAL_L24.replace("a=sync-time:0", "a=sync-time:17")
                .replace("a=mediaclk:direct=0", "a=mediaclk:direct=963214424");
        assertEquals(963214424L, SdpSupport.sinkFormat(both).rtpTimestampOffset());
        assertEquals(4294967295L, SdpSupport.sinkFormat(LOCAL_L24.replace("a=mediaclk:direct=0",
                "a=mediaclk:direct=4294967295 rate=48000/1")).rtpTimestampOffset());
        // RAVENNA's sync-time when mediaclk says nothing usable (media level, then session level)
        String ravenna = LOCAL_L24.replace("a=sync-time:0", "a=sync-time:123456").replace("a=mediaclk:direct=0\n",
                "");
        assertEquals(123456L, SdpSupport.sinkFormat(ravenna).rtpTimestampOffset());
        String session = LOCAL_L24.replace("a=sync-time:0\n", "").replace("a=mediaclk:direct=0\n", "")
                .replace("t=0 0\n", "t=0 0\na=sync-time:99\n");
        assertEquals(99L, SdpSupport.sinkFormat(session).rtpTimestampOffset());
        assertEquals(7L, SdpSupport.sinkFormat(LOCAL_L24.replace("a=mediaclk:direct=0", "a=mediaclk:sender")
                .replace("a=sync-time:0", "a=sync-time:7")).rtpTimestampOffset());
        // not a u32: absent, and the stream is still received
        for (String bad : List.of("direct=4294967296", "direct=-1", "direct=", "direct=12x", "direct=99999999999")) {
            assertEquals(0L, SdpSupport.sinkFormat(LOCAL_L24.replace("a=sync-time:0\n", "")
                    .replace("a=mediaclk:direct=0", "a=mediaclk:" + bad)).rtpTimestampOffset(), bad);
        }
    }

    @Test
    void pipeWireStyleSdpIsReceivable() throws Exception {
        // As PipeWire's RTP sink announces: session-level c=, a tool/type attribute, PTP clock lines at media level.
        String pw = "v=0\no=- 1826432871 1826432871 IN IP4 192.168.1.20\ns=PipeWire RTP Stream on host\n"
                + "c=IN IP4 239.0.0.56/1\nt=0 0\na=tool:PipeWire 1.0.5\na=type:broadcast\n"
                + "m=audio 46000 RTP/AVP 127\na=rtpmap:127 L16/48000/2\na=ptime:1\n"
                + "a=ts-refclk:ptp=IEEE1588-2008:00-11-22-FF-FE-33-44-55:0\na=mediaclk:direct=0\n";
        assertEquals(new StreamFormat("239.0.0.56", 46000, "L16", 48000, 2, 48, 127, 0), SdpSupport.sinkFormat(pw));
    }

    @Test
    void unusableSdpsAreRejectedWithTheReason() {
        SessionException e = assertThrows(SessionException.class, () -> SdpSupport.sinkFormat("hello"));
        assertTrue(e.getMessage().startsWith("cannot parse SDP: "), e.getMessage());
        e = assertThrows(SessionException.class, () -> SdpSupport.sinkFormat(LOCAL_L24.replace("L24/48000/2", "opus/48000/2")));
        assertEquals("cannot parse SDP: unsupported encoding opus", e.getMessage());
    }
}
