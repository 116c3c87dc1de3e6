package org.aes67d.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Any datagram goes through parse + put without an exception; every one is either used or counted. */
class FuzzTest {
    @Test
    void anyDatagramIsCountedOrUsedNeverThrown() {
        SplittableRandom r = new SplittableRandom(0x5EED);
        RtpHeader h = new RtpHeader();
        PlayoutBuffer buf = new PlayoutBuffer(8, 4096);
        int[] out = new int[64 * 8];
        long[] results = new long[RtpHeader.RESULTS];
        long used = 0;
        long dropped = 0;
        byte[] pkt = new byte[1600];
        buf.seek(0);
        for (int i = 0; i < 200_000; i++) {
            int len = r.nextInt(8) == 0 ? r.nextInt(16) : r.nextInt(1500);
            if (r.nextBoolean()) {
                // a plausible header with random flags and a random body
                RtpHeader.write(pkt, 0, r.nextBoolean(), 96 + r.nextInt(32), r.nextInt(65536), r.nextInt(8192), 1);
                pkt[0] = (byte) (0x80 | r.nextInt(64)); // random P, X, CC
                for (int k = 12; k < len; k++) {
                    pkt[k] = (byte) r.nextInt();
                }
            } else {
                for (int k = 0; k < len; k++) {
                    pkt[k] = (byte) r.nextInt();
                }
            }
            int res = h.parse(pkt, 0, len);
            results[res]++;
            if (res != RtpHeader.OK) {
                dropped++;
                continue;
            }
            SampleCodec codec = SampleCodec.values()[r.nextInt(3)];
            int frameBytes = codec.bytesPerSample() * 8;
            int frames = h.payloadLength() / frameBytes;
            if (frames == 0 || h.payloadLength() % frameBytes != 0) {
                dropped++;
                continue;
            }
            long t = PlayoutBuffer.extend(h.timestamp(), buf.readPosition());
            buf.put(t, pkt, h.payloadOffset(), frames, codec);
            used++;
            if ((i & 63) == 0) {
                buf.read(buf.readPosition(), out, 0, 64);
            }
        }
        long total = 0;
        for (long c : results) {
            total += c;
        }
        assertEquals(200_000, total);
        assertEquals(200_000, used + dropped);
        for (int k = 1; k < RtpHeader.RESULTS; k++) {
            assertTrue(results[k] > 0, "fuzzing reached " + RtpHeader.resultName(k));
        }
        assertTrue(used > 0);
        assertEquals(used, buf.packets());
    }
}
