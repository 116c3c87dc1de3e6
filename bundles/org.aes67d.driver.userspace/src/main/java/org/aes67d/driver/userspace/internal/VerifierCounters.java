package org.aes67d.driver.userspace.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The counters of the built-in stream verifier, as reported in the {@code verifier} object of a sink's status:
 * their names, which of them are glitches, and the "since the last read" differences (control code only).
 */
final class VerifierCounters {
    static final int RECEIVED = 0;
    static final int LOST = 1;
    static final int LATE = 2;
    static final int EARLY = 3;
    static final int DUPLICATED = 4;
    static final int REORDERED = 5;
    static final int RE_ANCHORS = 6;
    static final int RE_ALIGNS = 7;
    static final int SEQUENCE_ERRORS = 8;
    static final int SEQUENCE_JUMPS = 9;
    static final int SSRC_ERRORS = 10;
    static final int PAYLOAD_TYPE_ERRORS = 11;
    static final int TIMESTAMP_ERRORS = 12;
    static final int MALFORMED = 13;
    static final int LOST_FRAMES = 14;
    static final int LATE_FRAMES = 15;

    /** JSON names, by index. */
    static final String[] NAMES = {"received", "lost", "late", "early", "duplicated", "reordered", "re_anchors",
        "re_aligns", "sequence_errors", "sequence_jumps", "ssrc_errors", "payload_type_errors", "timestamp_errors",
        "malformed", "lost_frames", "late_frames"};

    /**
     * Counters that are events a listener may hear (packets lost, late, early, duplicated, reordered; a jump of the
     * timeline; another sender; rejected packets). Sequence errors are not added: they are the lost, duplicated and
     * reordered packets again; frame counts are their consequence.
     */
    private static final int[] GLITCHES = {LOST, LATE, EARLY, DUPLICATED, REORDERED, RE_ANCHORS, RE_ALIGNS,
        SEQUENCE_JUMPS, SSRC_ERRORS, PAYLOAD_TYPE_ERRORS, TIMESTAMP_ERRORS, MALFORMED};

    private long[] previous = new long[NAMES.length];

    static long glitches(long[] c) {
        long g = 0;
        for (int i : GLITCHES) {
            g += c[i];
        }
        return g;
    }

    /** The counters {@code c} (minus {@code base} if given) by name, with their glitch sum. */
    static Map<String, Object> map(long[] c, long[] base) {
        long[] d = c;
        if (base != null) {
            d = new long[c.length];
            for (int i = 0; i < c.length; i++) {
                d[i] = c[i] - base[i];
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.length; i++) {
            m.put(NAMES[i], d[i]);
        }
        m.put("glitches", glitches(d));
        return m;
    }

    /** What changed since the previous {@link #delta} (since creation before the first), without moving it. */
    Map<String, Object> peek(long[] c) {
        return map(c, previous);
    }

    /** What changed since the previous call (since creation at the first). */
    Map<String, Object> delta(long[] c) {
        Map<String, Object> m = map(c, previous);
        previous = c.clone();
        return m;
    }
}
