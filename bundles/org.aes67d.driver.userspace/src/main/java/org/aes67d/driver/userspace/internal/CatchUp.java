package org.aes67d.driver.userspace.internal;

/**
 * Paces a source's packets after a stall of its thread: the backlog goes out at {@link #SPEED} times the stream's
 * packet rate instead of at line rate. A line-rate burst of a long stall (thousands of packets at 125 us) fills a
 * receiver's socket buffer the moment that receiver is itself held up, and every packet past it is lost; at 4x a
 * receiver needs 4x its usual headroom, for at most a third of the stall.
 *
 * <p>Works on the media clock in units of 1/SPEED sample, so it is exact for every packet size and needs no
 * floating point: each packet sent moves the earliest time of the next one by {@code framesPerPacket / SPEED}
 * samples. Credit for a thread that woke late is kept up to {@link #CREDIT_MILLIS} of catch-up time (so a late
 * wake-up does not slow the catch-up below SPEED), never more, so no burst at line rate is longer than that. A
 * stream that is on time is never held: its packet is due one packet time after the previous one, which is later
 * than the pace allows. Plain state, used by the clock thread only; allocation-free.
 */
final class CatchUp {
    /** Catch-up speed, in multiples of real time: a stall of S is caught up in S / (SPEED - 1). */
    static final int SPEED = 4;
    /** Catch-up time (ms) that a thread waking late may send at once. */
    static final int CREDIT_MILLIS = 1;
    private static final long UNSET = Long.MIN_VALUE;

    private final int framesPerPacket;
    private final long credit;
    /** Earliest media position (x SPEED) at which the next packet may leave. */
    private long earliest = UNSET;

    CatchUp(int rate, int framesPerPacket) {
        this.framesPerPacket = framesPerPacket;
        // one packet at least, else a 1 ms credit would block packets longer than 1/SPEED ms
        this.credit = Math.max(framesPerPacket, (long) SPEED * rate * CREDIT_MILLIS / 1000);
    }

    /** True if a due packet may leave at media position {@code media}. */
    boolean allows(long media) {
        return earliest == UNSET || media * SPEED >= earliest;
    }

    /** A packet left at media position {@code media}. */
    void sent(long media) {
        long floor = media * SPEED - credit;
        earliest = Math.max(earliest == UNSET ? floor : earliest, floor) + framesPerPacket;
    }

    /** The first media position at which {@link #allows} is true again. */
    long nextAllowed() {
        return earliest == UNSET ? Long.MIN_VALUE : Math.floorDiv(earliest + SPEED - 1, SPEED);
    }

    /** Forgets the pace (the stream restarts). */
    void reset() {
        earliest = UNSET;
    }
}
