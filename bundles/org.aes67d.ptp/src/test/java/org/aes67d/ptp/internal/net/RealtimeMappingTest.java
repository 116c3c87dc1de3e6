package org.aes67d.ptp.internal.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The stamp conversion against clocks this test controls: the point is a step of CLOCK_REALTIME, and stepping
 * the real system clock of a shared CI machine would disturb everything else on it. The real clocks are
 * exercised by the loopback and namespace tests; docs/ptp.md gives the command that steps the real clock.
 */
class RealtimeMappingTest {
    /** Monotonic time advancing 40-400 ns per reading; realtime = monotonic + offset (+ reading noise). */
    static final class TestClocks implements RealtimeMapping.Clocks {
        final Random random = new Random(5);
        long mono = 1_000_000_000L;
        long offset = 1_796_000_000_000_000_000L;
        long noise;

        @Override
        public long monotonic() {
            mono += 40 + random.nextInt(360);
            return mono;
        }

        @Override
        public long realtime() {
            mono += 40 + random.nextInt(360);
            return mono + offset + (noise == 0 ? 0 : (long) (random.nextGaussian() * noise));
        }

        /** A packet stamped now: its realtime and its true monotonic time. */
        long[] stamp() {
            mono += 10_000;
            return new long[] {mono + offset, mono};
        }
    }

    @Test
    void readingNoiseNeverMovesTheMapping() {
        TestClocks clocks = new TestClocks();
        clocks.noise = 300;
        RealtimeMapping mapping = new RealtimeMapping(clocks);
        long first = mapping.realMinusMono();
        for (int i = 0; i < 10_000; i++) {
            long[] s = clocks.stamp();
            assertEquals(s[0] - first, mapping.toMonotonic(s[0]));
            assertEquals(first, mapping.realMinusMono(), "moved at conversion " + i);
        }
        assertEquals(0, mapping.steps());
        assertTrue(Math.abs(first - clocks.offset) < 1_000, "mapping " + (first - clocks.offset) + " ns off");
    }

    @Test
    void aStepOfTheSystemClockIsFollowedAtTheNextStamp() {
        TestClocks clocks = new TestClocks();
        RealtimeMapping mapping = new RealtimeMapping(clocks);
        long step = 5_000_000;
        for (int i = 0; i < 200; i++) {
            if (i % 10 == 5) {
                clocks.offset += (i % 20 == 5) ? step : -step; // +5 ms, later -5 ms, as a time-sync agent does
            }
            long[] s = clocks.stamp();
            long error = mapping.toMonotonic(s[0]) - s[1];
            assertTrue(Math.abs(error) < 500, "stamp " + i + ": " + error + " ns off");
        }
        assertEquals(20, mapping.steps());
    }
}
