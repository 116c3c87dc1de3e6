package org.aes67d.util.audio;

/**
 * A second opinion on a device's drift that host load cannot fool. A period's timestamp is the moment its thread
 * ran, and a loaded host only ever makes that later, never earlier; a load that grows or shrinks over seconds
 * moves the average lateness, which a loop filter ({@link DriftEstimator}) takes for a rate (tens to hundreds
 * of ppm were seen on a busy 2-core VM with a JACK dummy driver on the very clock of the media). Here the phase of
 * each period (timestamp minus the frames counted so far at the nominal rate) is reduced to its minimum per
 * {@link #BIN_SECONDS} bin, the period that ran on time, and the drift is the least-squares slope through the
 * last {@link #BINS} minima. A jump of a minimum by more than {@link #STEP_NANOS} is a clock step (a JACK dummy
 * driver re-anchoring after an xrun), not a rate: the bins start again.
 *
 * <p>Device thread only ({@link #period}); {@link #ppm} and {@link #valid} are read by anyone. Allocation-free.
 */
final class PhaseEnvelope {
    static final double BIN_SECONDS = 1.0;
    /** Bins in the fit: the slope of 20 s of minima that are good to tens of microseconds is good to a ppm. */
    static final int BINS = 20;
    /** Twice what the most drifting plausible device (1000 ppm) moves the phase in a bin: a step, not a rate. */
    static final long STEP_NANOS = 2_000_000;

    private final int rate;
    private final long binNanos = (long) (BIN_SECONDS * 1e9);
    private final double[] binTime = new double[BINS];
    private final double[] binPhase = new double[BINS];
    // device thread only
    private long origin = Long.MIN_VALUE;
    private long frames;
    private long binStart;
    private double minPhase = Double.MAX_VALUE;
    private double minTime;
    private int count;
    private int next;
    private double lastMin = Double.NaN;
    // published
    private volatile double ppm;
    private volatile boolean valid;
    private volatile long steps;

    PhaseEnvelope(int rate) {
        this.rate = rate;
    }

    /** A period of {@code n} frames began at media-clock {@code clockNanos}. */
    void period(long clockNanos, int n) {
        if (origin == Long.MIN_VALUE) {
            origin = clockNanos;
            binStart = clockNanos;
        }
        double t = clockNanos - origin;
        double phase = t - frames * 1e9 / rate; // ns the period began after its nominal time
        frames += n;
        if (clockNanos - binStart >= binNanos) {
            closeBin();
            binStart = clockNanos;
        }
        if (phase < minPhase) {
            minPhase = phase;
            minTime = t;
        }
    }

    private void closeBin() {
        if (minPhase == Double.MAX_VALUE) {
            return;
        }
        double m = minPhase;
        minPhase = Double.MAX_VALUE;
        if (!Double.isNaN(lastMin) && Math.abs(m - lastMin) > STEP_NANOS) {
            count = 0; // a clock step: what was fitted belongs to the old phase
            next = 0;
            valid = false;
            steps++;
        }
        lastMin = m;
        binTime[next] = minTime;
        binPhase[next] = m;
        next = (next + 1) % BINS;
        if (count < BINS) {
            count++;
        }
        if (count == BINS) {
            ppm = -slope() * 1e6; // the phase grows when the device is slow
            valid = true;
        }
    }

    /** Least-squares slope of phase over time (ns per ns) through the bins held. */
    private double slope() {
        double st = 0;
        double sp = 0;
        for (int i = 0; i < count; i++) {
            st += binTime[i];
            sp += binPhase[i];
        }
        double mt = st / count;
        double mp = sp / count;
        double num = 0;
        double den = 0;
        for (int i = 0; i < count; i++) {
            double dt = binTime[i] - mt;
            num += dt * (binPhase[i] - mp);
            den += dt * dt;
        }
        return den == 0 ? 0 : num / den;
    }

    /** The device's drift against the media clock (positive: the device runs fast), once {@link #valid}. */
    double ppm() {
        return ppm;
    }

    /** True once {@link #BINS} bins have been fitted since the start or the last clock step. */
    boolean valid() {
        return valid;
    }

    long steps() {
        return steps;
    }
}
