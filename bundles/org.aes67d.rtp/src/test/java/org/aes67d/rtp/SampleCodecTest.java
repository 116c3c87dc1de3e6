package org.aes67d.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HexFormat;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class SampleCodecTest {
    private static final int[] VALUES = {0, 0x7FFFFF00, 0x80000000, 0xFFFFFF00, 0x12345600, 0x00000100};

    @Test
    void l16Golden() {
        byte[] out = new byte[12];
        SampleCodec.L16.encode(VALUES, 0, out, 0, 6);
        assertArrayEquals(HexFormat.of().parseHex("00007FFF8000FFFF12340000"), out);
        int[] back = new int[6];
        SampleCodec.L16.decode(out, 0, back, 0, 6);
        assertArrayEquals(new int[] {0, 0x7FFF0000, 0x80000000, 0xFFFF0000, 0x12340000, 0}, back);
    }

    @Test
    void l24Golden() {
        byte[] out = new byte[18];
        SampleCodec.L24.encode(VALUES, 0, out, 0, 6);
        assertArrayEquals(HexFormat.of().parseHex("0000007FFFFF800000FFFFFF123456000001"), out);
        int[] back = new int[6];
        SampleCodec.L24.decode(out, 0, back, 0, 6);
        assertArrayEquals(VALUES, back);
    }

    @Test
    void am824Golden() {
        byte[] out = new byte[8];
        SampleCodec.AM824.encode(new int[] {0x12345600, 0xFFFFFF00}, 0, out, 0, 2);
        assertArrayEquals(HexFormat.of().parseHex("40123456" + "40FFFFFF"), out);
        int[] back = new int[2];
        SampleCodec.AM824.decode(out, 0, back, 0, 2);
        assertArrayEquals(new int[] {0x12345600, 0xFFFFFF00}, back);
    }

    @Test
    void roundTripsAtOffsets() {
        SplittableRandom r = new SplittableRandom(7);
        for (SampleCodec c : SampleCodec.values()) {
            int[] in = new int[100];
            for (int i = 0; i < in.length; i++) {
                in[i] = r.nextInt() & (c == SampleCodec.L16 ? 0xFFFF0000 : 0xFFFFFF00);
            }
            byte[] wire = new byte[5 + 90 * c.bytesPerSample()];
            c.encode(in, 10, wire, 5, 90);
            int[] back = new int[93];
            c.decode(wire, 5, back, 3, 90);
            for (int i = 0; i < 90; i++) {
                assertEquals(in[10 + i], back[3 + i], c + " sample " + i);
            }
        }
    }

    @Test
    void namesMatchSdp() {
        assertEquals(SampleCodec.L24, SampleCodec.forName("L24"));
        assertEquals(SampleCodec.AM824, SampleCodec.forName("AM824"));
        assertNull(SampleCodec.forName("L20"));
        assertEquals(16, SampleCodec.L16.bits());
        assertEquals(24, SampleCodec.AM824.bits());
    }
}
