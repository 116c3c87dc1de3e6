package org.aes67d.util.audio;

import java.util.Arrays;

/**
 * The hand-over between a device's thread and the engine's clock thread: a {@link FrameRing} with a working fill
 * ({@link #target}). The consumer plays silence until the ring first holds {@code target} frames, and again after
 * an underrun, so a late period costs one gap and then the full margin is back, not a run of clicks. Overflow is
 * dropped; with {@code boundLatency} the consumer also drops the oldest frames down to the target when the fill
 * passes twice the target (a producer that got ahead, e.g. while nobody consumed), so the added latency stays
 * bounded. Both are counted in the {@link EndpointStatus}.
 *
 * <p>Two clocks: with {@link #compensate} the consumer reads through an {@link AdaptiveResampler} whose ratio is
 * the device's rate against the media clock ({@link DriftEstimator}), corrected slowly by the averaged fill
 * error so the margin stays centred. Samples pass through untouched (bit-exact) until the drift estimate has
 * stayed at or above {@value #ENTER_PPM} ppm for {@value #ENTER_HOLD_SECONDS} s, confirmed all along by the
 * lower envelope of the period phases ({@link DriftEstimator#confirmed}: a changing host load pulls the loop's
 * estimate, never the envelope): a drift is what engages the resampler, never a fill error alone. A host stall moves the fill by a step (a late thread, or a JACK dummy
 * driver that re-anchors its clock after an xrun) and briefly disturbs the estimate, but it is no drift: in
 * pass-through a fill that stays off by more than half the target is re-centred by whole frames (dropped, or
 * silence), which loses audio once, as the stall did, and alters none. The hold restarts at every clock step
 * the estimator sees: a device that keeps stepping is left to re-centring. Nothing here blocks or allocates.
 */
public final class RingBridge {
    /** Drift above which the resampler takes over from pass-through. */
    static final double ENTER_PPM = 2.0;
    private static final double EXIT_PPM = 1.0;
    /** How long the drift must stay above {@link #ENTER_PPM}: longer than a stall's disturbance of the estimate. */
    static final double ENTER_HOLD_SECONDS = 10.0;
    /** The fill error is corrected over about this long: slow enough that its own noise stays inaudible. */
    private static final double CORRECT_SECONDS = 10.0;
    /**
     * The fill error (frames, averaged) beyond which it is corrected, and below which the correction stops: in
     * between the ratio is the measured drift alone, constant, so the tone carries no correction wobble.
     */
    private static final double CORRECT_ABOVE = 32;
    private static final double CORRECT_BELOW = 4;
    /** Time constant of each of the two averaging stages of the fill. */
    private static final double AVERAGE_SECONDS = 2.0;
    private static final double MAX_CORRECTION = 1e-3;
    /** No crystal is this far off: a device that is not paced (a file PCM) or a clock step; left alone. */
    private static final double PLAUSIBLE_PPM = 1000.0;

    private final FrameRing ring;
    private final int channels;
    private final boolean boundLatency;
    private final EndpointStatus status;
    private final AdaptiveResampler resampler;
    private volatile int target;
    private volatile DriftEstimator drift;
    private volatile boolean deviceProduces;
    private volatile int rate;
    // consumer side only
    private boolean primed;
    private boolean resampling;
    private boolean correcting;
    private double fill1 = -1;
    private double fill2;
    /** Consumer frames for which the drift has stayed above ENTER_PPM (pass-through only). */
    private long driftHeld;
    /** The estimator's clock steps at the last call. */
    private long steps;
    /** Consumer frames for which the averaged fill has stayed more than half the target off (pass-through). */
    private long offHeld;

    public RingBridge(int channels, int target, int capacity, boolean boundLatency, EndpointStatus status) {
        this.ring = new FrameRing(channels, Math.max(capacity, 2 * target + 1));
        this.channels = channels;
        this.target = target;
        this.boundLatency = boundLatency;
        this.status = status;
        this.resampler = new AdaptiveResampler(channels);
    }

    public FrameRing ring() {
        return ring;
    }

    public int target() {
        return target;
    }

    /** A new working fill (the device's period became known); at most a third of the ring. */
    public void retarget(int frames) {
        target = Math.max(4, Math.min(frames, ring.capacity() / 3));
    }

    /**
     * Compensates the device clock measured by {@code estimator} against the media clock at {@code sampleRate};
     * {@code deviceProduces}: the device fills the ring (capture), else it empties it (playback).
     */
    public void compensate(DriftEstimator estimator, boolean producedByDevice, int sampleRate) {
        this.deviceProduces = producedByDevice;
        this.rate = sampleRate;
        this.drift = estimator;
    }

    /** Producer: appends {@code frames}; what does not fit is dropped and counted. */
    public void put(int[] src, int offset, int frames) {
        int n = ring.write(src, offset, frames);
        if (n < frames) {
            status.overrun(frames - n);
        }
    }

    /** Consumer: {@code frames} frames into {@code dst}, silence while not primed or where the ring runs dry. */
    public void take(int[] dst, int offset, int frames) {
        int t = target;
        if (boundLatency && ring.fill() > 2 * t) {
            status.overrun(ring.skip(ring.fill() - t));
        }
        if (!primed) {
            if (ring.fill() < t || !resampler.prime(ring)) {
                Arrays.fill(dst, offset, offset + frames * channels, 0);
                return;
            }
            primed = true;
            fill1 = -1; // a new run starts at the target: the average of the last one is no error
            offHeld = 0;
        }
        double ratio = ratio(t, frames);
        if (ratio == RECENTRE) {
            recentre(t);
            if (!primed) {
                Arrays.fill(dst, offset, offset + frames * channels, 0);
                return;
            }
            ratio = 1.0;
        }
        int got = resampler.process(ring, dst, offset, frames, ratio);
        if (got < frames) {
            Arrays.fill(dst, offset + got * channels, offset + frames * channels, 0);
            status.underrun(frames - got);
            primed = false;
        }
    }

    /** {@link #ratio}'s answer when the pass-through fill must be re-centred by whole frames first. */
    private static final double RECENTRE = -1.0;

    /**
     * Pass-through only: brings the fill back to the target with whole frames, dropping the oldest (too full) or
     * playing silence until the ring holds the target again (too empty); counted as overrun or underrun.
     */
    private void recentre(int t) {
        int fill = ring.fill() + resampler.held();
        if (fill > t) {
            status.overrun(ring.skip(fill - t));
        } else if (fill < t) {
            status.underrun(t - fill);
            primed = false;
        }
        fill1 = -1;
        offHeld = 0;
    }

    /** Input frames per output frame for this call: exactly 1 in pass-through (or {@link #RECENTRE}). */
    private double ratio(int t, int frames) {
        DriftEstimator d = drift;
        if (d == null) {
            return 1.0;
        }
        double fill = ring.fill() + resampler.held(); // what the interpolator holds is part of the margin
        double alpha = Math.min(1.0, frames / (AVERAGE_SECONDS * rate));
        if (fill1 < 0) {
            fill1 = fill;
            fill2 = fill;
        }
        fill1 += (fill - fill1) * alpha;
        fill2 += (fill1 - fill2) * alpha;
        double error = fill2 - t;
        double ppm = Math.abs(d.ppm());
        if (!resampling) {
            // a device whose clock steps (an xrun that re-anchors it) is unsteady: its estimate is not trusted to
            // resample until it has been held again for the whole hold without a step
            long stepped = d.steps();
            boolean drifting = d.settled() && ppm >= ENTER_PPM && ppm <= PLAUSIBLE_PPM && stepped == steps
                    && d.confirmed();
            steps = stepped;
            driftHeld = drifting ? driftHeld + frames : 0;
            if (driftHeld < ENTER_HOLD_SECONDS * rate) {
                status.resampler(false, 1.0, d.ppm());
                offHeld = Math.abs(error) > t / 2.0 ? offHeld + frames : 0;
                return offHeld >= AVERAGE_SECONDS * rate ? RECENTRE : 1.0;
            }
            resampling = true;
            driftHeld = 0;
        } else if (ppm > PLAUSIBLE_PPM || (ppm < EXIT_PPM && Math.abs(error) < 1.0)
                || Math.abs(d.envelopePpm()) < EXIT_PPM) { // NaN compares false: an envelope not yet fitted
            // keeps the resampler
            resampling = false;
            resampler.snap();
            status.resampler(false, 1.0, d.ppm());
            return 1.0;
        }
        double nominal = deviceProduces ? d.ratio() : 1.0 / d.ratio();
        correcting = Math.abs(error) > (correcting ? CORRECT_BELOW : CORRECT_ABOVE);
        double correction = !correcting ? 0.0
                : Math.max(-MAX_CORRECTION, Math.min(MAX_CORRECTION, error / (rate * CORRECT_SECONDS)));
        double ratio = nominal * (1.0 + correction);
        status.resampler(true, ratio, d.ppm());
        return ratio;
    }
}
