package org.aes67d.util.audio;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Equal clocks and host stalls, simulated in media time (deterministic): the device thread or the engine thread
 * is held up for tens of ms every few seconds and then catches up (late cycles run back to back), or the device
 * loses the stalled time for good (a JACK dummy driver re-anchors its clock after an xrun). None of that is a
 * drift: the resampler must never engage, and every sample that comes out must be one that went in, in order
 * (audio may be lost around a stall, never altered). The signal is a counter, so any interpolation shows.
 */
class StallTest {
    private static final int RATE = 48000;
    private static final int PERIOD = 256;
    private static final int PACKET = 48;
    private static final int TARGET = 512;
    private static final double SECONDS = 90;
    /** Stalls from 25 s (the estimate is settled) every 3.7 s, until 75 s. */
    private static final double FIRST = 25;
    private static final double EVERY = 3.7;
    private static final double LAST = 75;

    /** A side of the simulation: a schedule of periods, stalled now and then. */
    static final class Side {
        final int frames;
        final boolean stalls;
        final boolean losesTime;
        final double stallSeconds;
        double anchor;
        long count;

        Side(int frames, boolean stalls, boolean losesTime, double stallSeconds) {
            this.frames = frames;
            this.stalls = stalls;
            this.losesTime = losesTime;
            this.stallSeconds = stallSeconds;
        }

        double scheduled() {
            return anchor + count * frames / (double) RATE;
        }

        /** When the next period actually runs: at its time, or at the end of a stall it falls into. */
        double runs() {
            double t = scheduled();
            if (stalls && t >= FIRST && t < LAST + stallSeconds) {
                double k = Math.floor((t - FIRST) / EVERY);
                double start = FIRST + k * EVERY;
                if (t < start + stallSeconds && k * EVERY <= LAST - FIRST) {
                    if (losesTime) { // the clock starts again from the end of the stall
                        anchor = start + stallSeconds;
                        count = 0;
                        return anchor;
                    }
                    return start + stallSeconds;
                }
            }
            return t;
        }
    }

    @ParameterizedTest(name = "capture {0}, stalled {1}, {2} ms, loses time {3}")
    @CsvSource({"true, device, 20, false", "true, device, 60, false", "true, device, 20, true",
            "true, engine, 20, false", "true, engine, 60, false", "false, device, 20, false",
            "false, device, 60, false", "false, device, 20, true", "false, engine, 20, false",
            "false, engine, 60, false"})
    void aStallIsNoDrift(boolean capture, String stalled, int stallMs, boolean losesTime) {
        EndpointStatus status = new EndpointStatus("sim", capture ? "capture" : "playback", 1, RATE);
        RingBridge bridge = new RingBridge(1, TARGET, 8192, true, status);
        DriftEstimator estimator = new DriftEstimator(RATE, 0.1);
        bridge.compensate(estimator, capture, RATE);
        Side device = new Side(PERIOD, stalled.equals("device"), losesTime, stallMs / 1000.0);
        Side engine = new Side(PACKET, stalled.equals("engine"), false, stallMs / 1000.0);
        int[] buf = new int[PERIOD];
        long produced = 0;
        long out = 0;
        long last = 0; // the last counter value that came out
        long delivered = 0;
        double maxPpm = 0;
        while (true) {
            double td = device.runs();
            double te = engine.runs();
            double t = Math.min(td, te);
            if (t > SECONDS) {
                break;
            }
            boolean deviceTurn = td <= te;
            Side side = deviceTurn ? device : engine;
            int n = side.frames;
            if (deviceTurn == capture) { // the producer
                for (int i = 0; i < n; i++) {
                    buf[i] = (int) ((produced + i + 1) << 8);
                }
                produced += n;
                bridge.put(buf, 0, n);
            } else {
                bridge.take(buf, 0, n);
                if (status.resampling()) {
                    fail("resampling engaged at " + t + " s, drift " + estimator.ppm());
                }
                for (int i = 0; i < n; i++) {
                    int v = buf[i];
                    if (v == 0) {
                        continue;
                    }
                    if ((v & 0xFF) != 0 || (v >> 8) <= last) {
                        fail("sample " + (v >> 8) + "." + (v & 0xFF) + " after " + last + " at " + t + " s");
                    }
                    last = v >> 8;
                    delivered++;
                }
                out += n;
            }
            if (deviceTurn) {
                estimator.period(Math.round(t * 1e9), PERIOD);
                if (t > 20) {
                    maxPpm = Math.max(maxPpm, Math.abs(estimator.ppm()));
                }
            }
            side.count++;
        }
        System.out.printf("[figure] equal clocks, %s stalled %d ms every %.1f s%s, %s: resampler never engaged, "
                + "largest drift estimate %.3f ppm, %d clock steps, %.2f %% of the output lost (underruns %d, "
                + "overruns %d frames)%n", stalled, stallMs, EVERY, losesTime ? " losing the time" : "",
                capture ? "capture" : "playback", maxPpm, estimator.steps(), 100.0 * (out - delivered) / out,
                status.underrunFrames(), status.overrunFrames());
        assertTrue(maxPpm < RingBridge.ENTER_PPM, "drift estimate " + maxPpm + " ppm");
        assertTrue(delivered > 0.95 * out, delivered + " of " + out);
    }

    /**
     * Equal clocks on a host whose load comes and goes: every device period runs late by a random amount whose
     * mean ramps from 0 to 1 ms over 15 s and back, again and again (a build starting and ending beside the
     * daemon). The loop filter reads that ramp as a rate of tens of ppm for longer than the hold; the phase
     * envelope does not, so the resampler must stay off and every sample come out unaltered.
     */
    @ParameterizedTest(name = "capture {0}")
    @CsvSource({"true", "false"})
    void aChangingLoadIsNoDrift(boolean capture) {
        EndpointStatus status = new EndpointStatus("sim", capture ? "capture" : "playback", 1, RATE);
        RingBridge bridge = new RingBridge(1, TARGET, 8192, true, status);
        DriftEstimator estimator = new DriftEstimator(RATE, 0.1);
        bridge.compensate(estimator, capture, RATE);
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        int[] buf = new int[PERIOD];
        long produced = 0;
        long last = 0;
        long devicePeriods = 0;
        long enginePackets = 0;
        double deviceRuns = 0;
        double loopFooledSeconds = 0; // how long the loop alone read a drift above the threshold
        double fooledSince = -1;
        while (true) {
            double scheduled = devicePeriods * PERIOD / (double) RATE;
            double ramp = (scheduled % 30) / 15; // 0..2
            double meanLate = 1e-3 * (ramp <= 1 ? ramp : 2 - ramp);
            double td = Math.max(deviceRuns, scheduled - meanLate * Math.log(1 - random.nextDouble()));
            double te = enginePackets * PACKET / (double) RATE;
            double t = Math.min(td, te);
            if (t > 150) { // the counter (23 bits) lasts 174 s
                break;
            }
            boolean deviceTurn = td <= te;
            int n = deviceTurn ? PERIOD : PACKET;
            if (deviceTurn == capture) {
                for (int i = 0; i < n; i++) {
                    buf[i] = (int) ((produced + i + 1) << 8);
                }
                produced += n;
                bridge.put(buf, 0, n);
            } else {
                bridge.take(buf, 0, n);
                if (status.resampling()) {
                    fail("resampling engaged at " + t + " s, loop " + estimator.ppm() + " ppm, envelope "
                            + estimator.envelopePpm());
                }
                for (int i = 0; i < n; i++) {
                    int v = buf[i];
                    if (v != 0) {
                        if ((v & 0xFF) != 0 || (v >> 8) <= last) {
                            fail("sample " + (v >> 8) + "." + (v & 0xFF) + " after " + last + " at " + t + " s");
                        }
                        last = v >> 8;
                    }
                }
            }
            if (deviceTurn) {
                estimator.period(Math.round(td * 1e9), PERIOD);
                deviceRuns = td;
                devicePeriods++;
                boolean fooled = estimator.settled() && Math.abs(estimator.ppm()) >= RingBridge.ENTER_PPM;
                if (fooled && fooledSince < 0) {
                    fooledSince = t;
                } else if (!fooled && fooledSince >= 0) {
                    loopFooledSeconds = Math.max(loopFooledSeconds, t - fooledSince);
                    fooledSince = -1;
                }
            } else {
                enginePackets++;
            }
        }
        System.out.printf("[figure] equal clocks, load ramping 0..1 ms mean lateness every 15 s, %s: the loop alone "
                + "read >= %.0f ppm for up to %.1f s at a time, the envelope %.3f ppm; resampler never engaged%n",
                capture ? "capture" : "playback", RingBridge.ENTER_PPM, loopFooledSeconds, estimator.envelopePpm());
        // the case is only worth its name if the loop alone would have engaged the resampler
        assertTrue(loopFooledSeconds >= RingBridge.ENTER_HOLD_SECONDS, "the loop read a drift for only "
                + loopFooledSeconds + " s");
        assertTrue(Math.abs(estimator.envelopePpm()) < 1.0, "envelope " + estimator.envelopePpm());
    }
}
