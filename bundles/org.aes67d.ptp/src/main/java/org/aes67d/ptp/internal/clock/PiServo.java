package org.aes67d.ptp.internal.clock;

/**
 * Disciplines a {@link VirtualClock} from offset samples (offset = our time - master time, ns).
 *
 * <ol>
 * <li>First sample: step the phase.</li>
 * <li>Frequency estimate: least-squares slope of the offsets over {@code estimateWindowNs}, then step
 *     again and seed the integral with it (a plain PI loop would take many time constants to pull
 *     in a 100 ppm oscillator error). A lone offset beyond the step threshold is left out; two in a
 *     row step and start the estimate again.</li>
 * <li>Tracking: PI on the frequency. Per sample the proportional term removes {@code kp} of the offset
 *     over the next interval, the integral adds {@code ki} of it to the frequency. kp = 0.1 and
 *     ki = kp^2/4 give a critically damped loop (double pole at 1 - kp/2), time constant ~20 samples:
 *     2.5 s at 8 Sync/s, which averages user-space timestamp noise.</li>
 * </ol>
 * While tracking (after lock) every offset up to {@code stepThresholdNs} is slewed, never stepped: the
 * correction is a frequency change of at most {@code MAX_RATE}, so the media clock that sources and sinks
 * follow stays continuous and a PTP-aligned sink never re-anchors on it. The integral does not wind up while
 * the correction is at that limit (else a large offset would overshoot after it is removed). Only an offset
 * beyond the threshold (the master's time jumped, or our clock is beyond what slewing fixes in seconds) steps
 * the phase again; the port then drops the lock, and aligned sinks follow the new timeline (a jump beyond half
 * a sink's buffer is counted in its re_aligns). Not thread-safe: called from the engine only.
 */
public final class PiServo {
    public static final int NONE = 0;
    public static final int STEPPED = 1;
    public static final int ESTIMATING = 2;
    public static final int TRACKING = 3;

    /** 1000 ppm: far beyond any crystal; guards bad input and bounds the slew. */
    public static final double MAX_RATE = 1e-3;

    private final double kp;
    private final double ki;
    private final long stepThresholdNs;
    private final long estimateWindowNs;

    private int phase;
    private long lastLocal;
    private double integral;
    private boolean estimateOutlier; // the previous estimate sample was beyond the bound
    // regression sums over (x = local - estStart in s, y = offset in ns)
    private long estStart;
    private int n;
    private double sx;
    private double sy;
    private double sxx;
    private double sxy;

    public PiServo(double kp, double ki, long stepThresholdNs, long estimateWindowNs) {
        this.kp = kp;
        this.ki = ki;
        this.stepThresholdNs = stepThresholdNs;
        this.estimateWindowNs = estimateWindowNs;
    }

    /**
     * Offset (ns) beyond which a tracking servo steps instead of slewing: 1 ms. Below it a slew (at up to
     * 1000 ppm: 1 ms in about 1.3 s) keeps every stream continuous; user-space timestamps on a busy VM scatter
     * by a few 100 us, and stepping on those would throw the clock around. Beyond it our senders' timestamps
     * are already later or earlier than most receivers' link offset (AES67 devices: 1-2 ms), and seconds of
     * slewing would keep them so on every receiver in the network: one step is the smaller harm.
     */
    public static final long STEP_AFTER_LOCK_NS = 1_000_000;

    /** The defaults described in the class comment, {@link #STEP_AFTER_LOCK_NS} and a 1 s frequency estimate. */
    public static PiServo defaults() {
        return new PiServo(0.1, 0.0025, STEP_AFTER_LOCK_NS, 1_000_000_000L);
    }

    /** Forget everything (new master). The clock keeps its current mapping. */
    public void reset() {
        phase = 0;
        n = 0;
    }

    /** True once the frequency estimate is done and the PI loop runs. */
    public boolean tracking() {
        return phase == 2;
    }

    /**
     * Feeds one offset measured at local time {@code local} and corrects {@code clock}.
     *
     * @return what was done: {@link #STEPPED}, {@link #ESTIMATING} or {@link #TRACKING}
     */
    public int sample(long offset, long local, VirtualClock clock) {
        switch (phase) {
            case 0:
                clock.adjust(local, -offset, clock.rate());
                startEstimate(local);
                return STEPPED;
            case 1:
                // the offset grows with the (still uncorrected) frequency error: allow for up to MAX_RATE
                if (Math.abs(offset) > stepThresholdNs + MAX_RATE * (local - estStart)) {
                    // a lone late timestamp (a stalled thread, a step of the system clock under kernel
                    // stamps) is set aside; stepping on it would be wrong and restart the estimate, and on a
                    // busy host such samples came often enough that the estimate never finished
                    if (!estimateOutlier) {
                        estimateOutlier = true;
                        return ESTIMATING;
                    }
                    clock.adjust(local, -offset, clock.rate());
                    startEstimate(local);
                    return STEPPED;
                }
                estimateOutlier = false;
                addPoint(local, offset);
                if (local - estStart < estimateWindowNs || n < 4) {
                    return ESTIMATING;
                }
                double den = n * sxx - sx * sx;
                double slope = den == 0 ? 0 : (n * sxy - sx * sy) / den; // ns per s
                double intercept = (sy - slope * sx) / n;
                double x = (local - estStart) / 1e9;
                double fitted = intercept + slope * x;
                integral = clamp(clock.rate() - slope * 1e-9);
                clock.adjust(local, -Math.round(fitted), integral);
                lastLocal = local;
                phase = 2;
                return STEPPED;
            default:
                if (Math.abs(offset) > stepThresholdNs) {
                    clock.adjust(local, -offset, clock.rate());
                    lastLocal = local;
                    return STEPPED;
                }
                // dt clamped: a burst of samples or a long gap must not make the gains explode
                double dt = Math.max(1e6, Math.min(4e9, local - lastLocal));
                lastLocal = local;
                double i = integral - ki * offset / dt;
                double out = i - kp * offset / dt;
                if (Math.abs(out) < MAX_RATE) {
                    integral = i; // no integration while the correction is at its limit (anti-windup)
                }
                clock.adjust(local, 0, clamp(out));
                return TRACKING;
        }
    }

    private void startEstimate(long local) {
        phase = 1;
        estimateOutlier = false;
        estStart = local;
        n = 0;
        sx = sy = sxx = sxy = 0;
        addPoint(local, 0); // right after the step the offset is 0 by construction
    }

    private void addPoint(long local, long offset) {
        double x = (local - estStart) / 1e9;
        n++;
        sx += x;
        sy += offset;
        sxx += x * x;
        sxy += x * offset;
    }

    private static double clamp(double r) {
        return Math.max(-MAX_RATE, Math.min(MAX_RATE, r));
    }
}
