package org.aes67d.streamer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

/**
 * What the streamer does on the driver's audio thread ({@link StreamerCore#played}) allocates nothing, while the
 * encoding thread drains the ring at the same time.
 */
class TapAllocationTest {
    @Test
    void playedAllocatesNothingAndLosesNothingAtTheRealRate() throws Exception {
        Ffmpeg.assumeInstalled(); // stands for "libavcodec is installed" (ffmpeg depends on it)
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (StreamerCore core = new StreamerCore(Libav.load(), 4, 1)) {
            core.sinkStarted(5, 48000, 8);
            int[] packet = new int[48 * 8];
            long position = 0;
            long tid = Thread.currentThread().getId();
            long measured = -1;
            long start = System.nanoTime();
            for (int round = 0; round < 2; round++) { // round 0 warms up (JIT), round 1 is measured
                long before = mx.getThreadAllocatedBytes(tid);
                for (int i = 0; i < 1000; i++) { // 1 s of 1 ms packets, paced like the clock thread
                    for (int s = 0; s < packet.length; s++) {
                        packet[s] = (int) ((position + s / 8) * 1_000_003L) << 8;
                    }
                    core.played(5, position, packet, 48, 8);
                    position += 48;
                    long due = start + position * 1_000_000_000L / 48000;
                    while (System.nanoTime() < due) {
                        Thread.onSpinWait();
                    }
                }
                measured = mx.getThreadAllocatedBytes(tid) - before;
            }
            SinkCapture c = (SinkCapture) core.sink(5);
            assertEquals(0, measured, "bytes allocated by 1000 calls of played()");
            assertEquals(0, c.ring.dropped(), "frames dropped");
            assertEquals(0, c.ring.discontinuities());
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (c.encodedFrames() < position - 2048 && System.nanoTime() < deadline) {
                Thread.sleep(10); // polling the encoder's progress, with a deadline
            }
            assertTrue(c.encodedFrames() >= position - 2048, "encoded " + c.encodedFrames() + " of " + position);
            assertEquals(8, c.channels);
        }
    }
}
