package org.aes67d.ptp.internal.clock;

/**
 * Running offset figures for the status. {@code jitter} is the exponentially weighted mean (gain
 * 1/16, like RTP's interarrival jitter of RFC 3550) of |offset(n) - offset(n-1)| in ns: how much
 * consecutive measurements of our clock against the master disagree. {@code rms} is the root of the
 * exponentially weighted mean (gain 1/64, ~8 s at 8 Sync/s) of offset^2. Single writer; readers get
 * possibly slightly stale values (volatile doubles, no tearing).
 */
public final class OffsetStats {
    private volatile double jitter;
    private volatile double meanSquare;
    private volatile long last;
    private volatile long maxAbs;
    private long count;

    public void add(long offset) {
        if (count > 0) {
            jitter += (Math.abs(offset - last) - jitter) / 16;
            meanSquare += ((double) offset * offset - meanSquare) / 64;
        } else {
            meanSquare = (double) offset * offset;
        }
        maxAbs = Math.max(maxAbs, Math.abs(offset));
        last = offset;
        count++;
    }

    public void reset() {
        jitter = 0;
        meanSquare = 0;
        last = 0;
        maxAbs = 0;
        count = 0;
    }

    public long jitterNs() {
        return Math.round(jitter);
    }

    public long rmsNs() {
        return Math.round(Math.sqrt(meanSquare));
    }

    public long lastNs() {
        return last;
    }

    public long maxAbsNs() {
        return maxAbs;
    }
}
