package org.aes67d.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class RtpHeaderTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void writesTheGoldenHeader() {
        byte[] b = new byte[12];
        assertEquals(12, RtpHeader.write(b, 0, true, 97, 0xBEEF, 0x01020304, 0xCAFEBABE));
        assertArrayEquals(hex("80 E1 BEEF 01020304 CAFEBABE"), b);
    }

    @Test
    void parsesAPlainPacket() {
        byte[] b = hex("80 61 0001 FFFFFFF0 12345678 00 01 02 03 04 05");
        RtpHeader h = new RtpHeader();
        assertEquals(RtpHeader.OK, h.parse(b, 0, b.length));
        assertEquals(2, h.version());
        assertFalse(h.marker());
        assertEquals(97, h.payloadType());
        assertEquals(1, h.sequence());
        assertEquals(0xFFFFFFF0, h.timestamp());
        assertEquals(0x12345678, h.ssrc());
        assertEquals(12, h.payloadOffset());
        assertEquals(6, h.payloadLength());
    }

    @Test
    void skipsCsrcExtensionAndPadding() {
        // V=2 P=1 X=1 CC=2, 2 CSRC, extension of 1 word, 4 payload bytes, 3 padding bytes (last = 3)
        byte[] b = hex("B2 60 0002 00000030 00000001 11111111 22222222 BEDE0001 AABBCCDD 01020304 00 00 03");
        RtpHeader h = new RtpHeader();
        assertEquals(RtpHeader.OK, h.parse(b, 0, b.length));
        assertTrue(h.padding());
        assertTrue(h.extension());
        assertEquals(2, h.csrcCount());
        assertEquals(12 + 8 + 8, h.payloadOffset());
        assertEquals(4, h.payloadLength());
    }

    @Test
    void parsesAtAnOffset() {
        byte[] b = hex("FFFF 80 61 0001 00000000 00000000 7F");
        RtpHeader h = new RtpHeader();
        assertEquals(RtpHeader.OK, h.parse(b, 2, 13));
        assertEquals(14, h.payloadOffset());
        assertEquals(1, h.payloadLength());
    }

    @Test
    void rejectsBrokenPackets() {
        RtpHeader h = new RtpHeader();
        assertEquals(RtpHeader.TRUNCATED, h.parse(hex("80 61 0001"), 0, 4));
        assertEquals(RtpHeader.BAD_VERSION, h.parse(hex("40 61 0001 00000000 00000000"), 0, 12));
        assertEquals(RtpHeader.BAD_CSRC, h.parse(hex("8F 61 0001 00000000 00000000 00000000"), 0, 16));
        assertEquals(RtpHeader.BAD_EXTENSION, h.parse(hex("90 61 0001 00000000 00000000 BEDE"), 0, 14));
        assertEquals(RtpHeader.BAD_EXTENSION, h.parse(hex("90 61 0001 00000000 00000000 BEDE0002 00000000"), 0, 20));
        assertEquals(RtpHeader.BAD_PADDING, h.parse(hex("A0 61 0001 00000000 00000000 0000 00"), 0, 15));
        assertEquals(RtpHeader.BAD_PADDING, h.parse(hex("A0 61 0001 00000000 00000000 0000 09"), 0, 15));
        assertEquals(RtpHeader.TRUNCATED, h.parse(null, 0, 12));
        assertEquals(RtpHeader.TRUNCATED, h.parse(new byte[12], 4, 12));
    }
}
