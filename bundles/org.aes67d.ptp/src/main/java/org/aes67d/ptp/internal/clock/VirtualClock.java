package org.aes67d.ptp.internal.clock;

import java.util.concurrent.locks.StampedLock;

/**
 * Maps the local monotonic clock ({@link System#nanoTime()}) to PTP time:
 * {@code ptp = basePtp + (local - baseLocal) * (1 + rate)}. It never touches the system clock.
 *
 * <p>One writer at a time (the PTP engine) and any number of readers (audio threads). A reader must never wait
 * for the writer: the writer runs at normal priority and the readers in SCHED_FIFO, so a writer preempted inside
 * its update would keep a spinning reader's CPU to itself until the kernel's real-time throttling let it run
 * (about a second: with 8 daemons on 2 cores that silenced every stream of every daemon at once). So the
 * mapping lives in two slots: the writer fills the one that is not published, then publishes it. A reader reads
 * the published slot under its own optimistic stamp and retries only if the writer has meanwhile moved on to
 * refill that very slot, which it does only after it has published the other one, complete: a retry always
 * finds a finished mapping. Readers take no lock; nothing allocates.
 */
public final class VirtualClock {
    /** One mapping; written only while it is not the published one. */
    private static final class Slot {
        final StampedLock lock = new StampedLock();
        long baseLocal;
        long basePtp;
        /** Fractional frequency correction (1e-9 = 1 ppb). */
        double rate;
    }

    private final Slot[] slots = {new Slot(), new Slot()};
    private volatile int published;
    private final Object writer = new Object();

    public VirtualClock(long baseLocal, long basePtp) {
        Slot s = slots[0];
        s.baseLocal = baseLocal;
        s.basePtp = basePtp;
    }

    /**
     * A clock that starts as CLOCK_REALTIME + {@code offsetSeconds} (37 gives TAI from UTC): the start
     * value of a grandmaster that has not followed anyone yet. The pair (nanoTime, realtime) is the
     * narrowest of many bracketed readings over up to 30 ms: cold (interpreted) calls read the clock
     * off-centre in a wide bracket, which showed as a +-500 ns bias of our grandmaster against
     * ptp4l; once compiled the bracket is below 100 ns and centred within ~40 ns.
     */
    public static VirtualClock fromSystemClock(long offsetSeconds) {
        long best = Long.MAX_VALUE;
        long local = 0;
        long real = 0;
        long end = System.nanoTime() + 30_000_000L;
        for (int i = 0; i < 50_000 && System.nanoTime() - end < 0; i++) {
            long m1 = System.nanoTime();
            java.time.Instant now = java.time.Instant.now();
            long m2 = System.nanoTime();
            if (m2 - m1 < best) {
                best = m2 - m1;
                local = m1 + (m2 - m1) / 2;
                real = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }
        }
        return new VirtualClock(local, real + offsetSeconds * 1_000_000_000L);
    }

    /** PTP ns at local time {@code local}. Lock- and allocation-free; never waits for the writer. */
    public long ptpTime(long local) {
        return map(local, true);
    }

    /** Local nanoTime at which the clock reads {@code ptp}. Same guarantees as {@link #ptpTime}. */
    public long localTime(long ptp) {
        return map(ptp, false);
    }

    /** {@code t} local to PTP ({@code toPtp}) or PTP to local, through the published slot. */
    private long map(long t, boolean toPtp) {
        while (true) {
            Slot s = slots[published];
            long stamp = s.lock.tryOptimisticRead();
            long bl = s.baseLocal;
            long bp = s.basePtp;
            double r = s.rate;
            if (stamp != 0 && s.lock.validate(stamp)) {
                if (toPtp) {
                    long d = t - bl;
                    return bp + d + (long) (d * r);
                }
                long d = t - bp;
                return bl + d - (long) (d * r / (1 + r));
            }
            // the writer has published the other slot and refills this one: read the other
        }
    }

    public double rate() {
        while (true) {
            Slot s = slots[published];
            long stamp = s.lock.tryOptimisticRead();
            double r = s.rate;
            if (stamp != 0 && s.lock.validate(stamp)) {
                return r;
            }
        }
    }

    /**
     * Re-bases the mapping at {@code local}: keeps the current reading there, moves it by {@code stepNs}
     * (a phase step; the reading at {@code local} becomes {@code ptpTime(local) + stepNs}) and sets the
     * new rate from there on. Rebasing at each update keeps {@code local - baseLocal} short, so the
     * double product stays exact to well under a ns.
     */
    public void adjust(long local, long stepNs, double newRate) {
        synchronized (writer) {
            publish(local, ptpTime(local) + stepNs, newRate, NOTHING);
        }
    }

    /** Sets the mapping outright (start-up, or a new master far away). */
    public void set(long local, long ptp, double newRate) {
        synchronized (writer) {
            publish(local, ptp, newRate, NOTHING);
        }
    }

    private static final Runnable NOTHING = () -> { };

    /**
     * Writes the unpublished slot and publishes it. {@code whileWriting} runs with that slot's write lock held:
     * the test's stand-in for a writer preempted in the middle of its update. One caller at a time (the public
     * writers hold {@link #writer}).
     */
    void publish(long local, long ptp, double newRate, Runnable whileWriting) {
        int next = 1 - published;
        Slot s = slots[next];
        long stamp = s.lock.writeLock();
        try {
            s.baseLocal = local;
            s.basePtp = ptp;
            s.rate = newRate;
            whileWriting.run();
        } finally {
            s.lock.unlockWrite(stamp);
        }
        published = next;
    }
}
