package org.aes67d.driver.userspace.internal;

import org.aes67d.api.ptp.PtpClock;

/** Conversions between media clock positions (samples since an epoch) and nanoseconds, exact and allocation-free. */
final class MediaTime {
    private static final long NS = 1_000_000_000L;

    private MediaTime() {
    }

    /** Samples at {@code rate} in {@code nanos} (floor), without overflow for any nanoTime value. */
    static long samples(long nanos, int rate) {
        return Math.floorDiv(nanos, NS) * rate + Math.floorMod(nanos, NS) * rate / NS;
    }

    /** The first nanosecond at which {@link #samples} reaches {@code position}. */
    static long nanos(long position, int rate) {
        return Math.floorDiv(position, rate) * NS + (Math.floorMod(position, rate) * NS + rate - 1) / rate;
    }

    /**
     * The engine's media clock at local time {@code localNanos}: the PTP media clock when a clock is present,
     * else the local monotonic clock (sinks of unaligned senders still play without PTP).
     */
    static long now(PtpClock clock, long localNanos, int rate) {
        return clock != null ? clock.mediaClock(localNanos, rate) : samples(localNanos, rate);
    }

    /** Local {@code System.nanoTime()} at which {@link #now} reaches {@code position}. */
    static long localNanos(PtpClock clock, long position, int rate) {
        long n = nanos(position, rate);
        return clock != null ? clock.localNanos(n) : n;
    }
}
