package org.aes67d.driver.userspace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;

import org.aes67d.api.driver.StreamLevels;
import org.junit.jupiter.api.Test;

class LevelMeterTest {
    private static final int RATE = 48000;

    /** {@code seconds} of a 1 kHz sine at {@code amplitude} (of full scale) on channel 0, silence on channel 1. */
    private static void sine(LevelMeter m, double amplitude, double seconds, long[] phase) {
        int[] packet = new int[48 * 2];
        for (int p = 0; p < seconds * 1000; p++) {
            for (int f = 0; f < 48; f++, phase[0]++) {
                packet[2 * f] = (int) (amplitude * Integer.MAX_VALUE * Math.sin(2 * Math.PI * 1000 * phase[0] / RATE));
                packet[2 * f + 1] = 0;
            }
            m.meter(packet, 48);
        }
    }

    @Test
    void sinePeakAndRmsThenFallBack() {
        LevelMeter m = new LevelMeter(2, RATE);
        assertEquals(Long.MAX_VALUE, m.read().ageNanos(), "nothing published before audio");
        long[] phase = {0};
        sine(m, 0.5, 2, phase);
        StreamLevels l = m.read();
        assertEquals(-6.02, StreamLevels.dbfs(l.peak()[0]), 0.05);
        assertEquals(-9.03, StreamLevels.dbfs(l.rms()[0]), 0.1);
        assertEquals(-200, StreamLevels.dbfs(l.peak()[1]));
        assertTrue(l.ageNanos() < 1_000_000_000L);
        sine(m, 0, 1.7, phase);
        l = m.read();
        assertEquals(-26.0, StreamLevels.dbfs(l.peak()[0]), 0.5, "20 dB fall-back in 1.7 s");
        assertTrue(StreamLevels.dbfs(l.rms()[0]) < -30, "the RMS follows within 300 ms");
    }

    @Test
    void readerNeverSeesHalfAPublication() throws Exception {
        // every block carries one value on all 16 channels; a torn read would mix two blocks' values
        LevelMeter m = new LevelMeter(16, RATE);
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            int[] block = new int[960 * 16];
            int v = 1;
            while (!stop.get()) {
                v = v % 1000 + 1;
                java.util.Arrays.fill(block, v << 20);
                m.meter(block, 960); // exactly one 20 ms block, so the peak is this block's unless older is larger
            }
        });
        writer.start();
        int reads = 0;
        long end = System.nanoTime() + 300_000_000L;
        try {
            while (System.nanoTime() < end || reads < 1000) {
                float[] p = m.read().peak();
                float[] r = m.read().rms();
                for (int c = 1; c < 16; c++) {
                    assertEquals(p[0], p[c], "peak of one publication on every channel");
                }
                assertTrue(r.length == 16);
                reads++;
            }
        } finally {
            stop.set(true);
            writer.join();
        }
    }
}
