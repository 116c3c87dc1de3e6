package org.aes67d.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SdpWriterTest {

    static List<String> goldenFiles() {
        return Golden.all();
    }

    @ParameterizedTest
    @MethodSource("goldenFiles")
    void parseOfWriteIsIdentity(String name) throws SdpParseException {
        SessionDescription x = Golden.parse(name);
        String written = SdpWriter.write(x);
        assertEquals(x, SdpParser.parse(written), written);
        assertEquals(written, SdpWriter.write(SdpParser.parse(written)), "writing is not a fixed point");
        assertTrue(written.endsWith("\n") && !written.contains("\r"), "LF line ends");
    }

    @Test
    void writesSessionLevelValuesBeforeMediaAndResolvedValuesInEveryBlock() {
        String text = SdpWriter.write(Golden.parse("dante.sdp"));
        assertEquals("""
                v=0
                o=- 1731086 1731093 IN IP4 192.168.1.60
                s=Y001-Stagebox-0a1b2c : 32
                c=IN IP4 239.69.83.171/32
                t=0 0
                a=keywds:Dante
                m=audio 5004 RTP/AVP 97
                c=IN IP4 239.69.83.171/32
                a=rtpmap:97 L24/48000/2
                a=ptime:1
                a=mediaclk:direct=1184734005
                a=ts-refclk:ptp=IEEE1588-2008:00-1D-C1-FF-FE-0A-1B-2C:0
                a=recvonly
                """, text);
    }

    @Test
    void writesGroupFmtpRangeAndModifiedValues() throws SdpParseException {
        SessionDescription s = Golden.parse("ravenna-range.sdp");
        MediaDescription m = s.media().get(0);
        MediaDescription moved = new MediaDescription(m.port(), m.transport(), m.payloadType(), m.encoding(),
                m.sampleRate(), m.channels(), new Connection("239.9.9.9", 0), m.framecount(), m.ptime(),
                m.maxptime(), m.mediaclk(), m.clockDomain(), m.tsRefclk(), m.sourceFilter(),
                "channel-order=SMPTE2110.(M)", "a", m.direction(), m.otherAttributes());
        SessionDescription changed = new SessionDescription(
                new Origin("-", "6", "3", "IP4", "10.0.0.31"), "", null, s.clockDomain(), null, null, null,
                null, List.of("a"), s.otherAttributes(), List.of(moved));
        String text = SdpWriter.write(changed);
        assertTrue(text.contains("\ns= \n"), text);
        assertTrue(text.contains("\na=group:DUP a\n"), text);
        assertTrue(text.contains("\nc=IN IP4 239.9.9.9\n"), text);
        assertTrue(text.contains("\na=framecount:64-192\n"), text);
        assertTrue(text.contains("\na=ptime:4.35374165\n"), text);
        assertTrue(text.contains("\na=fmtp:98 channel-order=SMPTE2110.(M)\n"), text);
        assertEquals(changed, SdpParser.parse(text));
    }

    @Test
    void refusesLineBreaksInValues() {
        SessionDescription s = Golden.parse("unicast.sdp");
        SessionDescription evil = new SessionDescription(s.origin(), "x\na=sendrecv", s.connection(),
                s.clockDomain(), s.tsRefclk(), s.mediaclk(), s.sourceFilter(), s.direction(), s.groupDup(),
                s.otherAttributes(), s.media());
        assertThrows(IllegalArgumentException.class, () -> SdpWriter.write(evil));
    }
}
