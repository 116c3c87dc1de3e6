package org.aes67d.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SdpParserTest {

    // ---- our own SDP ----

    @Test
    void localSource() {
        SessionDescription s = Golden.parse("local-l24-48k-2ch.sdp");
        assertEquals(new Origin("-", "2831159553", "317021570", "IP4", "192.168.1.17"), s.origin());
        assertEquals("Daemon a8c01101 ALSA Source 0", s.name());
        assertNull(s.connection());
        assertEquals(List.of(), s.groupDup());
        MediaDescription m = only(s);
        assertEquals(5004, m.port());
        assertEquals("RTP/AVP", m.transport());
        assertEquals(98, m.payloadType());
        assertEquals("L24", m.encoding());
        assertEquals(48000, m.sampleRate());
        assertEquals(2, m.channels());
        assertEquals(new Connection("239.1.0.1", 15), m.connection());
        assertTrue(m.connection().multicast());
        assertEquals("incl IN IP4 239.1.0.1 192.168.1.17", m.sourceFilter());
        assertEquals("48", m.framecount());
        assertEquals(1.0, m.ptime());
        assertEquals(0.0, m.maxptime());
        assertEquals("direct=0", m.mediaclk());
        assertEquals("PTPv2 0", m.clockDomain());
        assertEquals("ptp=IEEE1588-2008:00-1D-C1-FF-FE-50-36-33:0", m.tsRefclk());
        assertEquals(Optional.of("00-1D-C1-FF-FE-50-36-33"), m.ptpGrandmaster());
        assertEquals(OptionalInt.of(0), m.ptpDomain());
        assertFalse(m.traceable());
        assertEquals("recvonly", m.direction());
        assertNull(m.mid());
        assertEquals(List.of("sync-time:0"), m.otherAttributes());
    }

    @Test
    void localSourceAt44k1KeepsTheTwelveDigitPtime() {
        MediaDescription m = only(Golden.parse("local-l24-44k1-48.sdp"));
        assertEquals(1.08843537415, m.ptime());
        assertEquals(48, m.packetFrames());
    }

    @Test
    void localPairIsGroupedByMid() {
        SessionDescription s = Golden.parse("local-dup.sdp");
        assertEquals(List.of("1", "2"), s.groupDup());
        assertEquals(2, s.media().size());
        MediaDescription a = s.media().get(0);
        MediaDescription b = s.media().get(1);
        assertEquals("1", a.mid());
        assertEquals("2", b.mid());
        assertEquals("239.1.0.5", a.connection().address());
        assertEquals("239.2.0.5", b.connection().address());
        assertEquals(5006, b.port());
        assertEquals("incl IN IP4 239.2.0.5 192.168.2.17", b.sourceFilter());
    }

    @Test
    void localTraceable() {
        MediaDescription m = only(Golden.parse("local-traceable.sdp"));
        assertTrue(m.traceable());
        assertEquals(Optional.empty(), m.ptpGrandmaster());
        assertEquals(OptionalInt.empty(), m.ptpDomain());
        assertEquals(192, m.packetFrames());
        assertEquals(96000, m.sampleRate());
    }

    @Test
    void localUnicastHasNoTtl() {
        MediaDescription m = only(Golden.parse("local-unicast.sdp"));
        assertEquals(new Connection("192.168.1.40", 0), m.connection());
        assertFalse(m.connection().multicast());
        assertEquals(OptionalInt.of(5), m.ptpDomain());
        assertEquals(16, m.packetFrames());
    }

    // ---- other vendors ----

    @Test
    void danteInheritsSessionConnectionAndHasNoFramecount() {
        SessionDescription s = Golden.parse("dante.sdp");
        assertEquals("Y001-Stagebox-0a1b2c : 32", s.name());
        assertEquals(new Connection("239.69.83.171", 32), s.connection());
        assertEquals(List.of("keywds:Dante"), s.otherAttributes());
        MediaDescription m = only(s);
        assertEquals(s.connection(), m.connection());
        assertNull(m.framecount());
        assertEquals(48, m.packetFrames()); // from ptime 1 at 48 kHz
        assertEquals("recvonly", m.direction());
        assertEquals("direct=1184734005", m.mediaclk());
        assertEquals(Optional.of("00-1D-C1-FF-FE-0A-1B-2C"), m.ptpGrandmaster());
        assertEquals(OptionalInt.of(0), m.ptpDomain());
        assertNull(m.clockDomain());
        assertEquals(List.of(), m.otherAttributes()); // the media-level i= line is not an attribute
    }

    @Test
    void ravennaClockDomainBeforeMediaIsInherited() {
        SessionDescription s = Golden.parse("ravenna.sdp");
        assertEquals("PTPv2 0", s.clockDomain());
        MediaDescription m = only(s);
        assertEquals("PTPv2 0", m.clockDomain());
        assertEquals(8, m.channels());
        assertEquals(new Connection("239.1.20.1", 15), m.connection());
        assertEquals("48", m.framecount());
    }

    @Test
    void ravennaFramecountRangeGivesItsLowerBound() {
        MediaDescription m = only(Golden.parse("ravenna-range.sdp"));
        assertEquals("64-192", m.framecount());
        assertEquals(64, m.packetFrames());
        assertEquals(4.35374165, m.ptime());
        assertEquals(4.35374165, m.maxptime());
        assertEquals("L16", m.encoding());
        assertEquals(44100, m.sampleRate());
        assertEquals("PTPv2 1", m.clockDomain());
        assertEquals(Optional.of("00-0C-29-FF-FE-31-90-C8"), m.ptpGrandmaster()); // upper-cased
        assertEquals(OptionalInt.of(1), m.ptpDomain());
    }

    @Test
    void st2110ChannelOrderAndTraceableClock() {
        MediaDescription m = only(Golden.parse("st2110-30.sdp"));
        assertEquals("channel-order=SMPTE2110.(ST)", m.fmtp());
        assertEquals(Optional.of("SMPTE2110.(ST)"), m.channelOrder());
        assertTrue(m.traceable());
        assertEquals("direct=0", m.mediaclk());
        assertEquals(0.125, m.ptime());
        assertEquals(6, m.packetFrames());
        assertEquals(new Connection("239.10.1.50", 64), m.connection());
        assertEquals("incl IN IP4 239.10.1.50 10.10.1.50", m.sourceFilter());
    }

    @Test
    void plainRtpHasNoClockAttributes() {
        SessionDescription s = Golden.parse("plain-rtp.sdp");
        MediaDescription m = only(s);
        assertNull(m.tsRefclk());
        assertNull(m.mediaclk());
        assertNull(m.direction());
        assertEquals(0.0, m.ptime());
        assertEquals(0, m.packetFrames());
        assertFalse(m.traceable());
        assertEquals(Optional.empty(), m.channelOrder());
        assertEquals(List.of("tool:libavformat 61.7.100"), s.otherAttributes());
        assertEquals(96, m.payloadType());
    }

    @Test
    void staticPayloadTypeTenNeedsNoRtpmap() {
        SessionDescription s = Golden.parse("gstreamer-static-pt.sdp");
        assertEquals("1188340656180883", s.origin().sessionId());
        MediaDescription m = only(s);
        assertEquals(10, m.payloadType()); // the first format of "10 11"
        assertEquals("L16", m.encoding());
        assertEquals(44100, m.sampleRate());
        assertEquals(2, m.channels());
        assertEquals(new Connection("224.1.1.1", 16), m.connection());
    }

    @Test
    void staticPayloadTypeElevenIsMono() throws SdpParseException {
        String text = "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=x\nt=0 0\nm=audio 5004 RTP/AVP 11\nc=IN IP4 239.0.0.1/8\n";
        MediaDescription m = only(SdpParser.parse(text));
        assertEquals("L16", m.encoding());
        assertEquals(1, m.channels());
    }

    @Test
    void crlfAndTrailingWhitespace() {
        String text = Golden.text("crlf.sdp");
        assertTrue(text.contains("\r\n"), "the golden file lost its CRLF line ends");
        SessionDescription s = Golden.parse("crlf.sdp");
        assertEquals("CRLF device", s.name());
        assertEquals("192.168.10.5", s.origin().address());
        MediaDescription m = only(s);
        assertEquals(98, m.payloadType());
        assertEquals(4, m.channels());
        assertEquals(new Connection("239.10.10.5", 32), m.connection());
        assertEquals("PTPv2 0", m.clockDomain());
        assertEquals("direct=0", m.mediaclk());
        assertEquals(Optional.of("00-1D-C1-FF-FE-10-10-05"), m.ptpGrandmaster());
    }

    @Test
    void multicastWithoutTtlAndLegacyTraceable() {
        SessionDescription s = Golden.parse("mcast-no-ttl.sdp");
        assertEquals("admin", s.origin().username());
        assertEquals("18446744073709551615", s.origin().sessionId()); // more than a long holds
        assertEquals("18446744073709551616", s.origin().sessionVersion());
        MediaDescription m = only(s);
        assertEquals(new Connection("239.5.5.5", 0), m.connection());
        assertTrue(m.connection().multicast());
        assertEquals("ptp=traceable", m.tsRefclk());
        assertTrue(m.traceable());
    }

    @Test
    void unicastFromSessionLevel() {
        MediaDescription m = only(Golden.parse("unicast.sdp"));
        assertEquals(new Connection("10.0.0.5", 0), m.connection());
        assertFalse(m.connection().multicast());
        assertEquals("sendonly", m.direction());
        assertEquals(1, m.channels());
        assertEquals(192, m.packetFrames()); // ptime 4 at 48 kHz
    }

    @Test
    void foreignDupInheritsSessionClock() {
        SessionDescription s = Golden.parse("dup.sdp");
        assertEquals(List.of("1", "2"), s.groupDup());
        assertEquals(List.of("1", "2"), s.media().stream().map(MediaDescription::mid).toList());
        for (MediaDescription m : s.media()) {
            assertEquals(OptionalInt.of(127), m.ptpDomain());
            assertEquals(Optional.of("08-00-11-FF-FE-22-B3-44"), m.ptpGrandmaster());
            assertEquals("direct=0", m.mediaclk());
            assertEquals(8, m.channels());
        }
        assertEquals("239.21.1.11", s.media().get(1).connection().address());
    }

    @Test
    void localDupGivesTwoLegsInGroupOrder() {
        List<MediaDescription> legs = Golden.parse("local-dup.sdp").duplicateLegs();
        assertEquals(List.of("239.1.0.5:5004", "239.2.0.5:5006"), endpoints(legs));
        assertEquals("incl IN IP4 239.2.0.5 192.168.2.17", legs.get(1).sourceFilter());
        assertNull(legs.get(1).direction()); // the C++ daemon writes no a=recvonly in its second block
    }

    @Test
    void lawoDupWithNamedMidsAndSessionClock() {
        SessionDescription s = Golden.parse("lawo-dup.sdp");
        List<MediaDescription> legs = s.duplicateLegs();
        assertEquals(List.of("239.3.8.1:5004", "239.4.8.1:5004"), endpoints(legs));
        for (MediaDescription m : legs) {
            assertEquals(Optional.of("00-0B-72-FF-FE-07-DC-FC"), m.ptpGrandmaster());
            assertEquals("PTPv2 0", m.clockDomain());
            assertEquals(6, m.packetFrames()); // ptime 0.125 at 48 kHz
            assertEquals(8, m.channels());
        }
        assertEquals("incl IN IP4 239.4.8.1 192.168.104.8", legs.get(1).sourceFilter());
    }

    @Test
    void danteDupKeepsItsMediaClockOffsetOnBothLegs() {
        List<MediaDescription> legs = Golden.parse("dante-dup.sdp").duplicateLegs();
        assertEquals(List.of("239.69.83.172:5004", "239.70.83.172:5004"), endpoints(legs));
        for (MediaDescription m : legs) {
            assertEquals("direct=1184734005", m.mediaclk());
            assertEquals("L24", m.encoding());
            assertEquals(48, m.packetFrames());
        }
    }

    @Test
    void ravennaDupLegsFollowTheGroupNotTheBlockOrder() {
        List<MediaDescription> legs = Golden.parse("ravenna-dup.sdp").duplicateLegs();
        assertEquals(List.of("239.1.20.2:5004", "239.2.20.2:5006"), endpoints(legs));
        assertEquals(48, legs.get(0).packetFrames()); // framecount range 48-192: the lower bound
    }

    @Test
    void noLegsWithoutAUsableGroup() throws SdpParseException {
        assertEquals(List.of(), Golden.parse("ravenna.sdp").duplicateLegs());
        String block = "m=audio 5004 RTP/AVP 98\nc=IN IP4 239.0.0.1/15\na=rtpmap:98 L24/48000/2\na=mid:1\n";
        String head = "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=x\nt=0 0\n";
        assertEquals(List.of(), SdpParser.parse(head + "a=group:DUP 1 3\n" + block + block.replace("mid:1", "mid:2"))
                .duplicateLegs()); // a mid naming no block
        assertEquals(List.of(), SdpParser.parse(head + "a=group:DUP 1 1\n" + block + block).duplicateLegs());
        assertEquals(List.of(), SdpParser.parse(head + "a=group:DUP 1\n" + block).duplicateLegs());
    }

    private static List<String> endpoints(List<MediaDescription> legs) {
        return legs.stream().map(m -> m.connection().address() + ":" + m.port()).toList();
    }

    // ---- leniency ----

    @Test
    void otherMediaTypesAreSkippedWithTheirAttributes() throws SdpParseException {
        String text = "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=x\nt=0 0\nm=video 5000 RTP/AVP 96\nc=IN IP4 239.0.0.9/8\n"
                + "a=rtpmap:96 raw/90000\na=recvonly\nm=audio 5004 RTP/AVP 97\nc=IN IP4 239.0.0.1/8\n"
                + "a=rtpmap:97 l24/48000/2\n";
        SessionDescription s = SdpParser.parse(text);
        assertNull(s.direction());
        MediaDescription m = only(s);
        assertEquals("L24", m.encoding()); // case normalised
        assertEquals("239.0.0.1", m.connection().address());
    }

    @Test
    void unreadableOptionalAttributesStayRaw() throws SdpParseException {
        String text = "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=x\nt=0 0\nm=audio 5004 RTP/AVP 97 98\nc=IN IP4 239.0.0.1\n"
                + "a=rtpmap:97 opus/48000/2\na=rtpmap:98 L16/48000/2\na=ptime:fast\na=framecount:x-y\n"
                + "a=fmtp:98 foo=bar\na=recvonly\na=sendonly\n";
        MediaDescription m = only(SdpParser.parse(text));
        assertEquals("opus", m.encoding());
        assertEquals(0.0, m.ptime());
        assertNull(m.framecount());
        assertNull(m.fmtp());
        assertEquals("recvonly", m.direction());
        assertEquals(List.of("rtpmap:98 L16/48000/2", "ptime:fast", "framecount:x-y", "fmtp:98 foo=bar", "sendonly"),
                m.otherAttributes());
    }

    @Test
    void loneCrLineEndsAndIpv6() throws SdpParseException {
        String text = "v=0\ro=- 1 1 IN IP6 fd00::1\rs=x\rt=0 0\rm=audio 5004 RTP/AVP 97\rc=IN IP6 FF15::1:2/3\r"
                + "a=rtpmap:97 L24/48000\r";
        MediaDescription m = only(SdpParser.parse(text));
        assertEquals(new Connection("FF15::1:2", 0), m.connection());
        assertEquals("IP6", m.connection().addressType());
        assertTrue(m.connection().multicast());
        assertEquals(1, m.channels());
    }

    // ---- rejections ----

    @Test
    void badMediaLineNamesTheLine() {
        String text = "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=x\nt=0 0\nm=audio x RTP/AVP 97\n";
        assertRejected("line 5: bad m= line \"m=audio x RTP/AVP 97\"", text);
    }

    @Test
    void rejections() {
        String head = "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=x\nt=0 0\n";
        assertRejected("empty SDP", " \n\r\n");
        assertRejected("line 1: expected \"v=0\", got \"v=1\"", "v=1\n");
        assertRejected("line 2: not a type=value line \"hello\"", "v=0\nhello\n");
        assertRejected("no o= line", "v=0\ns=x\nm=audio 5004 RTP/AVP 97\nc=IN IP4 239.0.0.1\na=rtpmap:97 L24/48000\n");
        assertRejected("no m=audio line", head + "m=video 5000 RTP/AVP 96\nc=IN IP4 239.0.0.1/8\n");
        assertRejected("missing rtpmap for payload type 97", head + "m=audio 5004 RTP/AVP 97\nc=IN IP4 239.0.0.1\n");
        assertRejected("line 5: m=audio block without a c= line", head + "m=audio 5004 RTP/AVP 10\n");
        assertRejected("line 5: bad c= line \"c=IN IP4 239.1.2.300/32\"", head + "c=IN IP4 239.1.2.300/32\n");
        assertRejected("line 5: bad c= line \"c=IN IP4 239.1.2.3/256\"", head + "c=IN IP4 239.1.2.3/256\n");
        assertRejected("line 7: bad rtpmap \"a=rtpmap:97 L24/fast/2\"",
                head + "m=audio 5004 RTP/AVP 97\nc=IN IP4 239.0.0.1\na=rtpmap:97 L24/fast/2\n");
        assertRejected("line 5: bad m= line \"m=audio 5004 RTP/AVP 128\"", head + "m=audio 5004 RTP/AVP 128\n");
        assertRejected("line 2: bad o= line \"o=- 1 1 IP4 10.0.0.1\"", "v=0\no=- 1 1 IP4 10.0.0.1\n");
        assertRejected("line 5: second o= line", head + "o=- 1 1 IN IP4 10.0.0.1\n");
    }

    @Test
    void inputsOver64KbAreRejectedBeforeParsing() {
        String big = Golden.text("dante.sdp") + "a=x-pad:" + "x".repeat(SdpParser.MAX_LENGTH) + "\n";
        SdpParseException e = assertThrows(SdpParseException.class, () -> SdpParser.parse(big));
        assertEquals("SDP longer than 65536 characters", e.getMessage());
    }

    @Test
    void messagesStayOnOneLine() {
        SdpParseException e = assertThrows(SdpParseException.class,
                () -> SdpParser.parse("v=0\no=- 1\u2028\u0000 1 IN IP4 10.0.0.1 x\n"));
        assertFalse(e.getMessage().chars().anyMatch(c -> Character.isISOControl(c) || c == '\u2028'),
                e.getMessage());
    }

    private static void assertRejected(String message, String text) {
        SdpParseException e = assertThrows(SdpParseException.class, () -> SdpParser.parse(text), message);
        assertEquals(message, e.getMessage());
    }

    private static MediaDescription only(SessionDescription s) {
        assertEquals(1, s.media().size());
        return s.media().get(0);
    }
}
