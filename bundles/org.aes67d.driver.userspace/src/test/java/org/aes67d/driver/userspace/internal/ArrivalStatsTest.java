package org.aes67d.driver.userspace.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.aes67d.api.driver.SinkArrivals;
import org.junit.jupiter.api.Test;

class ArrivalStatsTest {
    @Test
    void histogramAndOneSecondWindows() {
        ArrivalStats a = new ArrivalStats(48000);
        long t = 5_000_000_000L;
        // first second: margins 48 frames (1 ms) and -1 (late); second: 240 (5 ms)
        a.packet(48, 300, t);
        a.packet(-1, 300, t + 500_000_000L);
        a.packet(240, 300, t + 1_000_000_000L);
        a.packet(240, 300, t + 1_500_000_000L);
        SinkArrivals s = a.snapshot();
        assertEquals(4, s.packets());
        assertEquals(1200, s.bytes());
        // le: 0, 0.5ms, 1ms, 2ms, 3ms, 5ms, ...
        assertArrayEquals(new long[] {1, 1, 2, 2, 2, 4, 4, 4, 4, 4, 4}, s.bucketCounts());
        assertEquals((48 - 1 + 480) / 48000.0, s.marginSumSeconds(), 1e-12);

        List<ArrivalStats.Window> w = a.windowsAfter(-1);
        assertEquals(1, w.size(), "the second window is still open");
        assertEquals(-1, w.get(0).min());
        assertEquals(48, w.get(0).max());
        assertEquals(2, w.get(0).packets());
        assertEquals(t + 1_000_000_000L, w.get(0).endNanos());
        assertEquals(0, a.windowsAfter(0).size(), "nothing new after window 0");
        for (int i = 2; i < 20; i++) {
            a.packet(96, 300, t + i * 1_000_000_000L);
        }
        List<ArrivalStats.Window> kept = a.windowsAfter(-1);
        assertEquals(7, kept.size(), "the ring keeps the last 7 whole windows");
        assertEquals(18, kept.get(6).number());
        assertEquals(96, kept.get(6).mean());
    }
}
