package org.aes67d.driver.userspace.internal;

/**
 * The stream verifier's view of RTP sequence numbers (receiver thread only): exact counts of lost, duplicated
 * and reordered packets, following RFC 3550 A.1 for what is a jump rather than a loss. A window of the last
 * {@link #WINDOW} sequence numbers tells a duplicate from a late packet that was counted lost (which is then no
 * longer lost). Allocation-free; the counters are read by control code.
 */
final class SequenceStats {
    /** Sequence numbers remembered behind the highest one (RFC 3550's MAX_MISORDER is 100). */
    static final int WINDOW = 128;
    /** A forward jump beyond this is a restarted sender, not loss (RFC 3550's MAX_DROPOUT). */
    static final int MAX_DROPOUT = 3000;

    private final SequenceWindow seen = new SequenceWindow(WINDOW);
    private boolean started;
    private int highest;

    private volatile long lost;
    private volatile long duplicated;
    private volatile long reordered;
    private volatile long sequenceErrors;
    private volatile long jumps;

    /** Forgets the sequence (a new SSRC); the counters stay. */
    void restart() {
        started = false;
    }

    /** One valid packet with sequence number {@code seq}. */
    void packet(int seq) {
        if (!started) {
            started = true;
            highest = seq;
            seen.clearAll();
            seen.mark(seq);
            return;
        }
        int d = (short) (seq - highest);
        if (d == 1) {
            advance(seq, 1);
            return;
        }
        sequenceErrors++;
        if (d > 1 && d <= MAX_DROPOUT) {
            lost += d - 1;
            advance(seq, d);
        } else if (d > MAX_DROPOUT || d < -WINDOW + 1) {
            jumps++; // a restarted sender or a wild number: start over from here
            started = false;
            packet(seq);
        } else if (seen.seen(seq)) {
            duplicated++;
        } else {
            reordered++;
            lost--; // it was counted lost when the sequence moved past it
            seen.mark(seq);
        }
    }

    private void advance(int seq, int d) {
        for (int i = 1; i < d && i < WINDOW; i++) {
            seen.clear(highest + i);
        }
        highest = seq;
        seen.mark(seq);
    }


    long lost() { return lost; }
    long duplicated() { return duplicated; }
    long reordered() { return reordered; }
    /** Packets whose sequence number was not the one after the highest so far. */
    long sequenceErrors() { return sequenceErrors; }
    /** Jumps beyond RFC 3550's limits (sender restarted with the same SSRC), not counted as loss. */
    long jumps() { return jumps; }
}
