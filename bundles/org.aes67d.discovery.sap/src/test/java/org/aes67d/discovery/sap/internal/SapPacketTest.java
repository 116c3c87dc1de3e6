package org.aes67d.discovery.sap.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class SapPacketTest {
    private static final HexFormat HEX = HexFormat.of();
    /** "application/sdp" and its NUL. */
    private static final String TYPE_HEX = "6170706c69636174696f6e2f73647000";

    private static byte[] hex(String s) {
        return HEX.parseHex(s.replace(" ", ""));
    }

    @Test
    void announcementGoldenBytes() throws Exception {
        SapPacket p = SapPacket.sdp(false, 0x1234, InetAddress.getByName("127.0.0.1"), "v=0\n");
        byte[] expected = hex("20 00 1234 7f000001" + TYPE_HEX + "763d300a");
        assertArrayEquals(expected, p.encode());
        assertEquals(24, p.encode().length - 4, "the header of compat.md is 24 bytes");
    }

    @Test
    void deletionGoldenBytes() throws Exception {
        String oLine = "o=- 8323329 1700000000 IN IP4 127.0.0.1\n";
        SapPacket p = SapPacket.sdp(true, 0xB129, InetAddress.getByName("10.0.0.7"), oLine);
        byte[] expected = hex("24 00 b129 0a000007" + TYPE_HEX
                + HEX.formatHex(oLine.getBytes(StandardCharsets.US_ASCII)));
        assertArrayEquals(expected, p.encode());
    }

    @Test
    void decodesGoldenBytes() throws Exception {
        SapPacket p = SapPacket.decode(hex("24 00 abcd c0a80101" + TYPE_HEX + "6f3d2d"));
        assertNotNull(p);
        assertTrue(p.deletion());
        assertEquals(0xABCD, p.hash());
        assertEquals(InetAddress.getByName("192.168.1.1"), p.origin());
        assertEquals("application/sdp", p.payloadType());
        assertEquals("o=-", p.payloadText());
    }

    @Test
    void roundTripIpv6Origin() throws Exception {
        SapPacket p = SapPacket.sdp(false, 7, InetAddress.getByName("fe80::1"), "v=0\r\ns=x\r\n");
        byte[] b = p.encode();
        assertEquals(0x30, b[0] & 0xFF);
        assertEquals(p, SapPacket.decode(b));
        assertTrue(SapPacket.decode(b).ipv6());
    }

    @Test
    void impliedPayloadTypeAndAuthenticationDataSkipped() throws Exception {
        // one 32-bit word of authentication data, then an SDP without a payload type (RFC 2974 section 5)
        SapPacket p = SapPacket.decode(hex("20 01 0001 7f000001 deadbeef 763d300a"));
        assertNotNull(p);
        assertEquals("application/sdp", p.payloadType());
        assertEquals("v=0\n", p.payloadText());
        assertFalse(p.deletion());
    }

    @Test
    void payloadTypeIsCaseInsensitive() {
        SapPacket p = SapPacket.decode(hex("20 00 0001 7f000001 4150504c49434154494f4e2f53445000 763d30"));
        assertNotNull(p);
        assertEquals("application/sdp", p.payloadType());
    }

    @Test
    void rejectsWhatIsNotUsableSap() {
        assertNull(SapPacket.decode(new byte[0]));
        assertNull(SapPacket.decode(hex("20 00 00")), "shorter than 4 bytes");
        assertNull(SapPacket.decode(hex("20 00 0001 7f00")), "truncated origin");
        assertNull(SapPacket.decode(hex("00 00 0001 7f000001" + TYPE_HEX)), "version 0");
        assertNull(SapPacket.decode(hex("40 00 0001 7f000001" + TYPE_HEX)), "version 2");
        assertNull(SapPacket.decode(hex("22 00 0001 7f000001" + TYPE_HEX)), "encrypted");
        assertNull(SapPacket.decode(hex("21 00 0001 7f000001" + TYPE_HEX)), "compressed");
        assertNull(SapPacket.decode(hex("20 02 0001 7f000001 00000000")), "auth data past the end");
        assertNull(SapPacket.decode(hex("20 00 0001 7f000001 6170706c")), "type without NUL");
        assertNull(SapPacket.decode(hex("20 00 0001 7f000001 00 763d30")), "empty type");
        assertNull(SapPacket.decode(hex("20 00 0001 7f000001 61 20 62 00")), "space in type");
        assertNull(SapPacket.decode(hex("20 00 0001 7f000001")), "no payload type at all");
    }

    @Test
    void decodesASliceOfABuffer() throws Exception {
        byte[] inner = SapPacket.sdp(false, 9, InetAddress.getByName("127.0.0.1"), "v=0\n").encode();
        byte[] buf = new byte[inner.length + 10];
        System.arraycopy(inner, 0, buf, 5, inner.length);
        assertEquals(SapPacket.decode(inner), SapPacket.decode(buf, 5, inner.length));
        assertNull(SapPacket.decode(buf, 5, buf.length), "length past the end of the buffer");
        assertNull(SapPacket.decode(buf, -1, 4));
    }
}
