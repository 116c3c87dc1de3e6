package org.aes67d.ptp.internal.history;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} PTP samples (one a second), oldest overwritten. Writes come from one sampling thread,
 * reads from HTTP threads; both hold the monitor, which the packet path never touches.
 */
public final class OffsetHistory {
    /** One second of PTP: when, lock state, last offset from the master, mean path delay. */
    public record Sample(long epochMillis, String state, long offsetNs, long pathDelayNs) {
    }

    private final long[] time;
    private final String[] state;
    private final long[] offset;
    private final long[] delay;
    private int next;
    private int size;

    public OffsetHistory(int capacity) {
        time = new long[capacity];
        state = new String[capacity];
        offset = new long[capacity];
        delay = new long[capacity];
    }

    public synchronized void add(long epochMillis, String lockState, long offsetNs, long pathDelayNs) {
        time[next] = epochMillis;
        state[next] = lockState;
        offset[next] = offsetNs;
        delay[next] = pathDelayNs;
        next = (next + 1) % time.length;
        size = Math.min(size + 1, time.length);
    }

    /** Samples newer than {@code sinceEpochMillis}, oldest first. */
    public synchronized List<Sample> since(long sinceEpochMillis) {
        List<Sample> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int at = Math.floorMod(next - size + i, time.length);
            if (time[at] > sinceEpochMillis) {
                out.add(new Sample(time[at], state[at], offset[at], delay[at]));
            }
        }
        return out;
    }

    public int capacity() {
        return time.length;
    }
}
