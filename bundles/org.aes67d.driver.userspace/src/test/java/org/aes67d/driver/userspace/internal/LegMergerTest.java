package org.aes67d.driver.userspace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.aes67d.rtp.RtpHeader;
import org.junit.jupiter.api.Test;

/** The merge itself, packet by packet: which copy goes on to the sink, and the per-leg counters. */
class LegMergerTest {
    private static final int PT = 97;
    private static final int FRAME_BYTES = 6; // L24, 2 channels

    private final LegMerger merger = new LegMerger(null, "a", null, "b", PT, FRAME_BYTES);

    private static byte[] packet(int seq, int ssrc, int pt, int payload) {
        byte[] p = new byte[12 + payload];
        RtpHeader.write(p, 0, false, pt, seq & 0xFFFF, seq * 48, ssrc);
        return p;
    }

    private boolean offer(int leg, int seq) {
        byte[] p = packet(seq, 0x1234, PT, 48 * FRAME_BYTES);
        return merger.accept(leg, p, p.length, 1);
    }

    private long counter(int leg, String key) {
        return ((Number) legStatus().get(leg).get(key)).longValue();
    }

    private List<Map<String, Object>> legStatus() {
        return merger.status(1);
    }

    @Test
    void disjointLossOnBothLegsWithOneLegLaggingLosesNothing() {
        List<Integer> played = new ArrayList<>();
        int lag = 20; // leg B's copies arrive 20 packets after leg A's
        int n = 70_000; // wraps the 16-bit sequence number
        long droppedA = 0;
        long droppedB = 0;
        for (int i = 0; i < n + lag; i++) {
            int seqA = 65_000 + i;
            if (i < n) {
                if (i % 10 == 3 || (i >= 30_000 && i < 35_000)) { // 10 % random-like loss, then the leg down
                    droppedA++;
                } else if (offer(0, seqA)) {
                    played.add(i);
                }
            }
            int j = i - lag;
            if (j >= 0) {
                if (j % 10 == 7 && !(j >= 30_000 && j < 35_000)) { // disjoint from leg A's loss
                    droppedB++;
                } else if (offer(1, 65_000 + j)) {
                    played.add(j);
                }
            }
        }
        played.sort(null);
        assertEquals(n, played.size(), "every packet once");
        for (int i = 0; i < n; i++) {
            assertEquals(i, played.get(i));
        }
        assertEquals(droppedA, counter(0, "missing"));
        assertEquals(droppedB, counter(1, "missing"));
        assertEquals(n - droppedA, counter(0, "received"));
        assertEquals(counter(0, "received"), counter(0, "used") + counter(0, "redundant"));
        assertEquals(counter(1, "received"), counter(1, "used") + counter(1, "redundant"));
        assertEquals(n, counter(0, "used") + counter(1, "used"));
    }

    @Test
    void anInvalidCopyNeverStandsInForTheValidOne() {
        assertTrue(offer(0, 1));
        byte[] wrongPt = packet(2, 0x1234, 98, 48 * FRAME_BYTES);
        assertTrue(merger.accept(0, wrongPt, wrongPt.length, 1), "goes on: the sink counts and flags it");
        byte[] partial = packet(2, 0x1234, PT, 48 * FRAME_BYTES - 1);
        assertTrue(merger.accept(0, partial, partial.length, 1));
        assertTrue(merger.accept(0, new byte[] {1, 2, 3}, 3, 1));
        assertTrue(offer(1, 2), "the valid copy of leg B plays");
        assertFalse(offer(0, 2), "a later valid copy is redundant");
        assertEquals(3, counter(0, "invalid"));
        assertEquals(1, counter(0, "redundant"));
    }

    @Test
    void anotherSenderOrARestartedSequenceStartsOver() {
        assertTrue(offer(0, 100));
        assertFalse(offer(1, 100));
        byte[] other = packet(100, 0x9999, PT, 48 * FRAME_BYTES);
        assertTrue(merger.accept(1, other, other.length, 1), "another SSRC: a new sequence");
        byte[] copy = other.clone();
        assertFalse(merger.accept(0, copy, copy.length, 1));
        // the same SSRC restarting far behind: dropped as too old until it is clearly a new sequence
        for (int i = 0; i < 7; i++) {
            byte[] p = packet(40_000 + i, 0x9999, PT, 48 * FRAME_BYTES);
            assertFalse(merger.accept(0, p, p.length, 1));
        }
        byte[] p = packet(40_007, 0x9999, PT, 48 * FRAME_BYTES);
        assertTrue(merger.accept(0, p, p.length, 1));
        assertEquals(7, counter(0, "too_old"));
    }
}
