package org.aes67d.ptp.internal.bmca;

import org.aes67d.ptp.internal.message.PtpMessage;

/**
 * Foreign master records of one port (1588-2008 9.3.2.4/9.3.2.5). A sender is qualified once
 * {@value #THRESHOLD} of its Announces arrived within {@value #WINDOW_INTERVALS} of its announce
 * intervals. Fixed capacity, entries reused: no allocation per Announce.
 * Not thread-safe: the port engine owns it under its lock.
 */
public final class ForeignMasters {
    /** FOREIGN_MASTER_THRESHOLD. */
    public static final int THRESHOLD = 2;
    /** FOREIGN_MASTER_TIME_WINDOW in announce intervals. */
    public static final int WINDOW_INTERVALS = 4;

    private final Entry[] entries;
    private int size;

    /** One foreign master: its latest dataset and the local receive times of its last two Announces. */
    public static final class Entry {
        public final Dataset dataset = new Dataset();
        long last;
        long previous;
        int count; // Announces seen, saturating at THRESHOLD

        /** Local time of the latest Announce. */
        public long lastAnnounce() {
            return last;
        }

        long window() {
            return WINDOW_INTERVALS * intervalNanos(dataset.logAnnounceInterval);
        }

        /** Announce receipt timeout of this master: count x its interval, at most {@code maxNs}. */
        public long timeout(int count, long maxNs) {
            return Math.min(maxNs, count * intervalNanos(dataset.logAnnounceInterval));
        }

        boolean qualified(long now) {
            return count >= THRESHOLD && now - previous <= window();
        }
    }

    public ForeignMasters(int capacity) {
        entries = new Entry[capacity];
        for (int i = 0; i < capacity; i++) {
            entries[i] = new Entry();
        }
    }

    /**
     * Records an Announce (already checked for domain and for not being our own).
     *
     * @return the entry, or null if it is not acceptable (stepsRemoved 255 or more, or the table is full)
     */
    public Entry onAnnounce(PtpMessage m, long now, long ourClock, int ourPort) {
        if (m.stepsRemoved >= 255) {
            return null; // 9.3.2.5 d)
        }
        Entry e = find(m.sourceClockIdentity, m.sourcePortNumber);
        if (e == null) {
            expire(now);
            if (size == entries.length) {
                return null;
            }
            e = entries[size++];
            e.count = 0;
        }
        e.dataset.fromAnnounce(m, ourClock, ourPort);
        e.previous = e.last;
        e.last = now;
        if (e.count < THRESHOLD) {
            e.count++;
        }
        return e;
    }

    public Entry find(long clock, int port) {
        for (int i = 0; i < size; i++) {
            Dataset d = entries[i].dataset;
            if (d.senderClockIdentity == clock && d.senderPortNumber == port) {
                return entries[i];
            }
        }
        return null;
    }

    /** Drops entries whose last Announce is older than their qualification window. */
    public void expire(long now) {
        for (int i = 0; i < size; ) {
            Entry e = entries[i];
            if (now - e.last > e.window()) {
                // swap with the last live entry; the removed object stays in the pool
                entries[i] = entries[size - 1];
                entries[size - 1] = e;
                size--;
            } else {
                i++;
            }
        }
    }

    /**
     * Erbest: the best qualified foreign master whose last Announce is not older than its announce
     * receipt timeout, or null.
     *
     * @param receiptTimeout announceReceiptTimeout (in announce intervals)
     * @param maxTimeoutNs upper bound of that timeout in ns
     */
    public Entry best(long now, int receiptTimeout, long maxTimeoutNs) {
        Entry best = null;
        for (int i = 0; i < size; i++) {
            Entry e = entries[i];
            if (e.qualified(now) && now - e.last <= e.timeout(receiptTimeout, maxTimeoutNs)
                    && (best == null || Bmca.compare(e.dataset, best.dataset) < 0)) {
                best = e;
            }
        }
        return best;
    }

    public int size() {
        return size;
    }

    public void clear() {
        size = 0;
    }

    /** 2^log2 seconds in ns; log2 is clamped to a sane range so a bogus field cannot overflow. */
    public static long intervalNanos(int log2) {
        int l = Math.max(-10, Math.min(10, log2));
        return l >= 0 ? 1_000_000_000L << l : 1_000_000_000L >> -l;
    }
}
