package org.aes67d.driver.userspace.internal;

/**
 * Paces a source's packets after a stall of its thread: the backlog goes out at {@link #SPEED} times the stream's
 * packet rate instead of at line rate. A line-rate burst of a long stall (thousands of packets at 125 us) fills a
 * receiver's socket buffer the moment that receiver is itself held up, and every packet past it is lost; at 4x a
 * receiver needs 4x its usual headroom, for at most a third of the stall.
 *
 * <p>Up to {@link #BURST_MILLIS} of audio still leaves at once (as before, for short stalls): a receiver
 * with a short playout delay gets the packets it can still play without waiting for the pace, and a sink of the
 * same engine, which plays what has arrived after the clock thread overslept, finds them; 20 ms of 125 us
 * packets (160) fit a default 208 KB socket buffer. The same credit absorbs a thread that wakes late (it refills
 * at SPEED, so the average stays SPEED over any 5 ms).
 *
 * <p>Works on the media clock in units of 1/SPEED sample, so it is exact for every packet size and needs no
 * floating point: each packet sent moves the earliest time of the next one by {@code framesPerPacket / SPEED}
 * samples. A stream that is on time is never held: its packet is due one packet time after the previous one,
 * which is later than the pace allows. Plain state, used by the clock thread only; allocation-free.
 */
final class CatchUp {
    /** Catch-up speed, in multiples of real time: a stall of S is caught up in S / (SPEED - 1). */
    static final int SPEED = 4;
    /** Audio (ms) that may leave at once, at line rate, before the pace applies. */
    static final int BURST_MILLIS = 20;
    private static final long UNSET = Long.MIN_VALUE;

    private final int framesPerPacket;
    private final long credit;
    /** Earliest media position (x SPEED) at which the next packet may leave. */
    private long earliest = UNSET;

    CatchUp(int rate, int framesPerPacket) {
        this.framesPerPacket = framesPerPacket;
        // in 1/SPEED samples, the credit allows credit / framesPerPacket packets beyond the first: that much audio
        this.credit = Math.max(framesPerPacket, (long) rate * BURST_MILLIS / 1000);
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
