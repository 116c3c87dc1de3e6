package org.aes67d.util.audio;

/**
 * The rate of a device clock against the PTP media clock, from the device's period timestamps: a second-order
 * delay-locked loop (the classic DLL for audio period times) filters the media-clock position at which each period
 * began. Written by the device thread ({@link #period}); read by anyone ({@link #ratio}, {@link #ppm}). No locks,
 * no allocation.
 */
public final class DriftEstimator {
    private final double bandwidthHz;
    private final int rate;
    private final PhaseEnvelope envelope;
    // device thread only
    private double b;
    private double c;
    private double t1;
    private double e2;
    private int lastFrames;
    private int outliers;
    private double outlierError;
    private long base;
    private long periods;
    /** Consecutive outlying periods after which the phase follows them (a clock step, not a late period). */
    private static final int OUTLIERS = 4;
    // published
    private volatile double ratio = 1.0;
    private volatile long updates;
    private volatile long steps;

    /** @param bandwidthHz loop bandwidth: lower is smoother and slower (0.1 Hz settles in tens of seconds) */
    public DriftEstimator(int rate, double bandwidthHz) {
        this.rate = rate;
        this.bandwidthHz = bandwidthHz;
        this.envelope = new PhaseEnvelope(rate);
    }

    /**
     * Device thread: a period of {@code frames} device frames began (or ended: the same point every period) at
     * {@code clockNanos} of the media clock (PTP time, or the local clock without PTP).
     */
    public void period(long clockNanos, int frames) {
        envelope.period(clockNanos, frames);
        if (periods == 0 && lastFrames == 0) {
            base = clockNanos;
        }
        double media = (clockNanos - base) * 1e-9 * rate;
        if (periods == 0 || frames != lastFrames) {
            double omega = 2 * Math.PI * Math.max(bandwidthHz, 0.01) * frames / rate;
            b = Math.sqrt(2) * omega;
            c = omega * omega;
            if (periods == 0 || Math.abs(media - t1) > 4.0 * frames) {
                e2 = frames;
                t1 = media + frames;
            } else { // a new period size: the same rate, in the new unit
                e2 *= frames / (double) lastFrames;
                t1 = media + e2;
            }
            lastFrames = frames;
            periods = 1;
            return;
        }
        double e = media - t1;
        // an eighth of a period, but not under 1 ms: a small ALSA period's ordinary wake-up jitter is still data
        if (Math.abs(e) > Math.max(frames / 8.0, rate / 1000.0)) {
            // a late period (host stall, then cycles back to back: the error shrinks by a period each time) or
            // a step of either clock (the error stays): no rate information, so the loop coasts at its rate; a
            // step that persists for OUTLIERS periods moves the phase, never the rate
            t1 += e2;
            if (outliers == 0 || Math.abs(e - outlierError) > frames / 4.0) {
                outliers = 0;
                outlierError = e;
            }
            if (++outliers >= OUTLIERS) {
                t1 = media + e2;
                outliers = 0;
                steps++;
            }
            return;
        }
        outliers = 0;
        t1 += b * e + e2;
        e2 += c * e;
        periods++;
        if (periods > 8) {
            ratio = frames / e2;
            updates++;
        }
    }

    /**
     * True when the loop's estimate is confirmed by the load-proof {@link PhaseEnvelope} of the same periods
     * (within 1 ppm or 10 %): a loop pulled by a host whose load changes reads a rate the envelope does not see.
     */
    public boolean confirmed() {
        if (!envelope.valid()) {
            return false;
        }
        double e = envelope.ppm();
        return Math.abs(ppm() - e) <= Math.max(1.0, 0.1 * Math.abs(e));
    }

    /** The envelope's drift (ppm), NaN until it has fitted its first 20 s (or again after a clock step). */
    public double envelopePpm() {
        return envelope.valid() ? envelope.ppm() : Double.NaN;
    }

    /** Device frames per media-clock frame (1.0 until the loop has run a few periods). */
    public double ratio() {
        return ratio;
    }

    /** The device's deviation from the media clock in parts per million (positive: the device runs fast). */
    public double ppm() {
        return (ratio - 1.0) * 1e6;
    }

    public long updates() {
        return updates;
    }

    /** Clock steps seen (timestamps that stayed off by the same amount): the phase followed, not the rate. */
    public long steps() {
        return steps;
    }

    /**
     * True once the loop has run about two of its time constants ({@code 2 / bandwidth} seconds of periods): only
     * then is the estimate used to resample.
     */
    public boolean settled() {
        return updates * (double) lastFrames / rate >= 2.0 / Math.max(bandwidthHz, 0.01);
    }
}
