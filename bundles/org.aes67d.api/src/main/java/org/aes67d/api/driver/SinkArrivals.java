package org.aes67d.api.driver;

/**
 * What a running sink received: valid RTP packets, their bytes (header included), and the distribution of their
 * arrival margin (how long before its playout time each packet arrived; negative = too late to play).
 * {@code bucketCounts[i]} counts the packets whose margin is at most {@code bucketBounds[i]} seconds (cumulative,
 * as a Prometheus histogram; the last bound is +Infinity, so its count is every packet), {@code marginSumSeconds}
 * their sum.
 *
 * @since 1.3
 */
public record SinkArrivals(long packets, long bytes, double[] bucketBounds, long[] bucketCounts,
        double marginSumSeconds) {
    public SinkArrivals {
        bucketBounds = bucketBounds.clone();
        bucketCounts = bucketCounts.clone();
    }

    @Override
    public double[] bucketBounds() {
        return bucketBounds.clone();
    }

    @Override
    public long[] bucketCounts() {
        return bucketCounts.clone();
    }
}
