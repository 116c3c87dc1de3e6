package org.aes67d.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PlayoutBufferTest {
    private static final int CH = 2;
    private static final int FPP = 4;

    /** A packet whose sample k of channel c is (t + k) * 16 + c, in L24. */
    private static byte[] packet(long t) {
        int[] s = new int[FPP * CH];
        for (int k = 0; k < FPP; k++) {
            for (int c = 0; c < CH; c++) {
                s[k * CH + c] = value(t + k, c);
            }
        }
        byte[] b = new byte[FPP * CH * 3];
        SampleCodec.L24.encode(s, 0, b, 0, s.length);
        return b;
    }

    private static int value(long t, int c) {
        return (int) ((t * 16 + c + 1) << 8);
    }

    private static void put(PlayoutBuffer b, long t) {
        b.put(t, packet(t), 0, FPP, SampleCodec.L24);
    }

    @Test
    void playsInOrderPackets() {
        PlayoutBuffer b = new PlayoutBuffer(CH, 64);
        assertEquals(64, b.capacity());
        b.seek(1000);
        put(b, 1000);
        put(b, 1004);
        int[] out = new int[8 * CH];
        assertEquals(8, b.read(1000, out, 0, 8));
        for (int k = 0; k < 8; k++) {
            assertEquals(value(1000 + k, 0), out[k * CH]);
            assertEquals(value(1000 + k, 1), out[k * CH + 1]);
        }
        assertEquals(1008, b.readPosition());
        assertEquals(0, b.concealedFrames());
    }

    @Test
    void concealsLossWithSilenceAndCountsIt() {
        PlayoutBuffer b = new PlayoutBuffer(CH, 64);
        b.seek(0);
        put(b, 0);
        put(b, 8); // packet at 4 lost
        int[] out = new int[12 * CH];
        assertEquals(8, b.read(0, out, 0, 12));
        for (int i = 4 * CH; i < 8 * CH; i++) {
            assertEquals(0, out[i]);
        }
        assertEquals(value(8, 1), out[8 * CH + 1]);
        assertEquals(4, b.concealedFrames());
        assertEquals(0, b.underrunFrames());
        b.read(12, out, 0, 4); // nothing newer: underrun, not loss
        assertEquals(4, b.underrunFrames());
    }

    @Test
    void reordersAndDropsDuplicates() {
        PlayoutBuffer b = new PlayoutBuffer(CH, 64);
        b.seek(0);
        put(b, 4);
        put(b, 0);
        assertEquals(PlayoutBuffer.DUPLICATE, b.put(4, packet(4), 0, FPP, SampleCodec.L24));
        put(b, 8);
        int[] out = new int[12 * CH];
        assertEquals(12, b.read(0, out, 0, 12));
        for (int k = 0; k < 12; k++) {
            assertEquals(value(k, 0), out[k * CH]);
        }
        assertEquals(1, b.reordered());
        assertEquals(1, b.duplicates());
        assertEquals(4, b.packets());
    }

    @Test
    void dropsLateAndTooEarlyPackets() {
        PlayoutBuffer b = new PlayoutBuffer(CH, 16);
        b.seek(100);
        assertEquals(PlayoutBuffer.LATE, b.put(90, packet(90), 0, FPP, SampleCodec.L24));
        assertEquals(PlayoutBuffer.TOO_EARLY, b.put(114, packet(114), 0, FPP, SampleCodec.L24));
        assertEquals(PlayoutBuffer.ACCEPTED, b.put(98, packet(98), 0, FPP, SampleCodec.L24)); // half late
        int[] out = new int[2 * CH];
        assertEquals(2, b.read(100, out, 0, 2));
        assertEquals(value(100, 0), out[0]);
        assertEquals(1, b.latePackets());
        assertEquals(1, b.tooEarlyPackets());
    }

    @Test
    void wrapsAroundTheRingAndThe32BitTimestamp() {
        PlayoutBuffer b = new PlayoutBuffer(CH, 16);
        long start = 0xFFFFFFF8L;
        b.seek(start);
        int[] out = new int[FPP * CH];
        for (int i = 0; i < 40; i++) {
            long t = PlayoutBuffer.extend((int) (start + i * FPP), start + i * FPP - 3);
            assertEquals(start + i * FPP, t);
            put(b, t);
            assertEquals(FPP, b.read(t, out, 0, FPP));
            assertEquals(value(t + 3, 1), out[3 * CH + 1]);
        }
        assertEquals(0, b.concealedFrames());
        assertEquals(-2, PlayoutBuffer.extend(-2, 5));
        assertEquals(0x1_0000_0002L, PlayoutBuffer.extend(2, 0xFFFF_FFF0L));
    }
}
