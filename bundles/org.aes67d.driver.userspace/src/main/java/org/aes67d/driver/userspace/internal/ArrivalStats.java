package org.aes67d.driver.userspace.internal;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;

import org.aes67d.api.driver.SinkArrivals;

/**
 * A sink's arrival margins, written by the receiver thread once per valid packet (no allocation, no lock): a
 * histogram for metrics, and one-second windows (smallest, mean and largest margin) for the sink's history,
 * published in a small ring that control code reads without clearing anything.
 */
final class ArrivalStats {
    /** Histogram bounds in seconds: "le" as Prometheus has it; at most 0 is too late to play. */
    static final double[] BOUNDS = {0, 0.0005, 0.001, 0.002, 0.003, 0.005, 0.01, 0.02, 0.05, 0.1,
        Double.POSITIVE_INFINITY};
    private static final long WINDOW_NANOS = 1_000_000_000L;
    private static final int RING = 8;

    final int rate;
    private final long[] boundFrames = new long[BOUNDS.length - 1];
    /** Packets per bucket (not cumulative); one writer, so a release store after a plain read is enough. */
    private final AtomicLongArray buckets = new AtomicLongArray(BOUNDS.length);
    private volatile long bytes;
    private volatile long marginSumFrames;

    // receiver thread only: the window being filled
    private long windowStart = Long.MIN_VALUE;
    private long windowMin;
    private long windowMax;
    private long windowSum;
    private int windowCount;

    // receiver -> control: completed windows, slot = number % RING
    private final long[] ringEnd = new long[RING];
    private final long[] ringMin = new long[RING];
    private final long[] ringMax = new long[RING];
    private final long[] ringSum = new long[RING];
    private final int[] ringCount = new int[RING];
    private volatile long windows;

    ArrivalStats(int rate) {
        this.rate = rate;
        for (int i = 0; i < boundFrames.length; i++) {
            boundFrames[i] = (long) Math.floor(BOUNDS[i] * rate);
        }
    }

    /** Receiver thread: a valid packet of {@code length} bytes arrived {@code margin} frames before its time. */
    void packet(long margin, int length, long arrival) {
        int b = 0;
        while (b < boundFrames.length && margin > boundFrames[b]) {
            b++;
        }
        buckets.lazySet(b, buckets.get(b) + 1);
        bytes += length;
        marginSumFrames += margin;
        if (windowStart == Long.MIN_VALUE || arrival - windowStart >= WINDOW_NANOS) {
            if (windowCount > 0) {
                int slot = (int) (windows % RING);
                ringEnd[slot] = arrival;
                ringMin[slot] = windowMin;
                ringMax[slot] = windowMax;
                ringSum[slot] = windowSum;
                ringCount[slot] = windowCount;
                windows = windows + 1; // volatile: the slot's writes are visible before the new count
            }
            windowStart = arrival;
            windowMin = Long.MAX_VALUE;
            windowMax = Long.MIN_VALUE;
            windowSum = 0;
            windowCount = 0;
        }
        windowMin = Math.min(windowMin, margin);
        windowMax = Math.max(windowMax, margin);
        windowSum += margin;
        windowCount++;
    }

    /** One completed window: margins in frames, {@code endNanos} on System.nanoTime's scale. */
    record Window(long number, long endNanos, long min, long mean, long max, int packets) {
    }

    /** Windows completed since {@code after} (a window number; -1 for all still kept, up to 7) in order. */
    java.util.List<Window> windowsAfter(long after) {
        long n = windows;
        java.util.List<Window> out = new java.util.ArrayList<>();
        for (long k = Math.max(after + 1, n - RING + 1); k < n; k++) { // slot n - RING is the next written
            int slot = (int) (k % RING);
            Window w = new Window(k, ringEnd[slot], ringMin[slot], ringSum[slot] / Math.max(1, ringCount[slot]),
                    ringMax[slot], ringCount[slot]);
            VarHandle.loadLoadFence();
            if (windows - k < RING) { // not overwritten while it was read (the writer fills slot n % RING)
                out.add(w);
            }
        }
        return out;
    }

    /** Control: the counters and the cumulative histogram now. */
    SinkArrivals snapshot() {
        long[] cumulative = new long[BOUNDS.length];
        long sum = 0;
        for (int i = 0; i < BOUNDS.length; i++) {
            sum += buckets.get(i);
            cumulative[i] = sum;
        }
        // the packet count is the histogram's total, so _count and the +Inf bucket agree in every scrape
        return new SinkArrivals(sum, bytes, BOUNDS, cumulative, (double) marginSumFrames / rate);
    }
}
