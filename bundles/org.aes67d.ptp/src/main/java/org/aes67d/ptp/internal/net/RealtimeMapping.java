package org.aes67d.ptp.internal.net;

/**
 * Turns the kernel's CLOCK_REALTIME packet stamps into CLOCK_MONOTONIC ({@code System.nanoTime()}) by
 * subtracting REALTIME - MONOTONIC, followed at every conversion.
 *
 * <p>Why at every conversion: only a step of the system clock (clock_settime by an NTP client, a VM's
 * time-sync agent, an administrator) changes REALTIME - MONOTONIC; slewing moves both clocks alike. A
 * mapping re-measured once a second turned each step into up to a second of timestamps off by the step,
 * which restarted the servo's frequency estimate again and again: on a clock stepped every few seconds PTP
 * never locked (the likely cause of a CI run with offsets of exactly +-5 ms, docs/ptp.md). Read right after the stamp, the mapping is exact unless
 * the step falls in the microseconds between stamp and reading (one sample, which the spike filter drops).
 *
 * <p>A quick bracketed reading (two tries, the narrowest kept) is compared with the mapping in use; only a
 * difference beyond the reading's own uncertainty plus {@link #TOLERANCE_NS} is confirmed by a careful
 * measurement and taken over, so reading noise never moves the mapping. One instance per thread (the
 * event socket's reader, the sender); allocation-free.
 */
final class RealtimeMapping {
    /** Differences up to this (beyond the bracket's width) are reading noise: the mapping stays put. */
    static final long TOLERANCE_NS = 1_000;

    /** The two clocks, read back to back: CLOCK_MONOTONIC and CLOCK_REALTIME in ns. */
    interface Clocks {
        long monotonic();

        long realtime();
    }

    private final Clocks clocks;
    private volatile long realMinusMono;
    private long width; // of the last bracket read by measure()
    private volatile long steps; // single writer (the owner thread)

    RealtimeMapping(Clocks clocks) {
        this.clocks = clocks;
        // cold calls first: many tries over up to 30 ms (see VirtualClock.fromSystemClock)
        realMinusMono = measure(50_000, 30_000_000L);
    }

    /** The local monotonic time of a realtime stamp taken a moment ago. */
    long toMonotonic(long realtimeStamp) {
        long m = measure(2, 0);
        if (Math.abs(m - realMinusMono) > width / 2 + TOLERANCE_NS) {
            long careful = measure(9, 1_000_000L);
            if (Math.abs(careful - realMinusMono) > width / 2 + TOLERANCE_NS) {
                realMinusMono = careful;
                steps++;
            }
        }
        return realtimeStamp - realMinusMono;
    }

    /** CLOCK_REALTIME - CLOCK_MONOTONIC in use (ns); any thread. */
    long realMinusMono() {
        return realMinusMono;
    }

    /** How many changes of the system clock were taken over; any thread. */
    long steps() {
        return steps;
    }

    /** REALTIME - MONOTONIC: the narrowest of up to {@code tries} bracketed readings within {@code maxNanos}. */
    private long measure(int tries, long maxNanos) {
        long best = Long.MAX_VALUE;
        long result = 0;
        long end = clocks.monotonic() + maxNanos;
        for (int i = 0; i < tries && (i < 2 || clocks.monotonic() - end < 0); i++) {
            long m1 = clocks.monotonic();
            long real = clocks.realtime();
            long m2 = clocks.monotonic();
            if (m2 - m1 < best) {
                best = m2 - m1;
                result = real - (m1 + (m2 - m1) / 2);
            }
        }
        width = best;
        return result;
    }
}
