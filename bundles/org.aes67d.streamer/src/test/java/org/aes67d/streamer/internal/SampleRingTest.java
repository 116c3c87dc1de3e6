package org.aes67d.streamer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SampleRingTest {
    @Test
    void framesComeOutInOrderAcrossTheWrapAndAFullRingDropsAndCounts() {
        SampleRing r = new SampleRing(2, 10);
        int[] in = new int[16];
        int[] out = new int[16];
        int next = 0;
        int expect = 0;
        long position = 0;
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 12; i++) {
                in[i] = next++;
            }
            r.write(position, in, 6); // 6 frames in
            position += 6;
            assertEquals(6, r.available());
            r.read(out, 6);
            for (int i = 0; i < 12; i++) {
                assertEquals(expect++, out[i]);
            }
        }
        r.write(position, in, 6);
        r.write(position + 6, in, 6); // does not fit: dropped whole, never half-written
        assertEquals(6, r.available());
        assertEquals(6, r.dropped());
        assertEquals(0, r.discontinuities());
        r.write(position + 100, in, 1);
        assertEquals(1, r.discontinuities());
    }

    @Test
    void aLiveClientThatFallsAQueueBehindSkipsToTheNewestFrame() throws Exception {
        LiveClient c = new LiveClient(3);
        for (int i = 0; i < 5; i++) {
            c.offer(new byte[] {(byte) i});
        }
        assertEquals(1, c.skips());
        assertEquals(4, c.skippedFrames());
        assertArrayEquals(new byte[] {4}, c.next(10));
        assertEquals(null, c.next(10));
        c.end();
        assertEquals(0, c.next(10).length);
    }
}
