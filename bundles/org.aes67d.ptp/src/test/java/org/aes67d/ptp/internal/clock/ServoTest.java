package org.aes67d.ptp.internal.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The servo on synthetic timestamps: a master clock, a local oscillator with a known offset and drift. */
class ServoTest {
    static final long S = 1_000_000_000L;

    /**
     * Runs 8 samples/s for {@code seconds}: master time = true time; local = offset0 + true * (1 + drift);
     * each measurement gets Gaussian noise. Returns the rms true error over the last 20 s.
     */
    static double run(double drift, long offset0, double noise, int seconds, long seed, VirtualClock clock,
            PiServo servo) {
        Random r = new Random(seed);
        double sum2 = 0;
        int n = 0;
        for (long k = 1; k <= seconds * 8L; k++) {
            long trueTime = 1_700_000_000L * S + k * S / 8;
            long local = offset0 + (long) ((k * S / 8) * (1 + drift));
            long measured = clock.ptpTime(local) - trueTime + (long) (r.nextGaussian() * noise);
            servo.sample(measured, local, clock);
            if (k > (seconds - 20) * 8L) {
                long err = clock.ptpTime(local) - trueTime;
                sum2 += (double) err * err;
                n++;
            }
        }
        return Math.sqrt(sum2 / n);
    }

    @Test
    void convergesWithFrequencyOffsetAndNoise() {
        for (double drift : new double[] {0, 50e-6, -120e-6, 3e-6}) {
            VirtualClock clock = new VirtualClock(0, 0);
            PiServo servo = PiServo.defaults();
            double rms = run(drift, 12_345_678_901L, 200, 60, 7, clock, servo);
            assertTrue(servo.tracking());
            assertTrue(rms < 150, "drift " + drift + ": rms " + rms);
            // the rate found is the inverse of the oscillator's error (within what 200 ns noise allows)
            assertEquals(1 / (1 + drift) - 1, clock.rate(), 0.5e-6, "drift " + drift);
        }
    }

    @Test
    void noiselessInputConvergesToNanoseconds() {
        VirtualClock clock = new VirtualClock(0, 0);
        double rms = run(30e-6, 5 * S, 0, 60, 1, clock, PiServo.defaults());
        assertTrue(rms < 2, "rms " + rms);
    }

    @Test
    void largeOffsetWhileTrackingSteps() {
        VirtualClock clock = new VirtualClock(0, 0);
        PiServo servo = PiServo.defaults();
        run(0, 0, 0, 10, 1, clock, servo);
        assertTrue(servo.tracking());
        long local = 20 * S;
        long before = clock.ptpTime(local);
        assertEquals(PiServo.STEPPED, servo.sample(5_000_000, local, clock));
        // the step moved the reading at that instant by exactly -offset, and tracking goes on
        assertEquals(before - 5_000_000, clock.ptpTime(local));
        assertEquals(PiServo.TRACKING, servo.sample(10, local + S / 8, clock));
    }

    @Test
    void virtualClockMapsBothWaysAndSteps() {
        VirtualClock c = new VirtualClock(1_000, 5_000_000_000L);
        assertEquals(5_000_000_000L + 9_000, c.ptpTime(10_000));
        c.adjust(10_000, 1_000, 100e-6); // +1 us step, then 100 ppm fast
        assertEquals(5_000_000_000L + 10_000, c.ptpTime(10_000));
        assertEquals(5_000_000_000L + 10_000 + 1_000_000_000L + 100_000, c.ptpTime(10_000 + S));
        for (long local : new long[] {10_000, 10_000 + S, 10_000 + 3600 * S, -S}) {
            assertEquals(local, c.localTime(c.ptpTime(local)), 1.0);
        }
    }

    @Test
    void statsDefinition() {
        OffsetStats s = new OffsetStats();
        s.add(100);
        assertEquals(0, s.jitterNs());
        assertEquals(100, s.rmsNs());
        s.add(-60); // |difference| 160: jitter moves 1/16 of the way
        assertEquals(10, s.jitterNs());
        assertEquals(160, s.maxAbsNs() + 60);
    }
}
