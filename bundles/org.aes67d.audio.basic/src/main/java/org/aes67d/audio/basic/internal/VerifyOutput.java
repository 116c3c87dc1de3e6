package org.aes67d.audio.basic.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.aes67d.api.audio.AudioOutput;

/**
 * {@code verify:}: checks every frame a sink plays against {@link TestSignal} (a {@code test:prbs} source at the
 * other end, ours or looped back through any device) and counts what went wrong. It locks on the first frame of the
 * signal; from then on each frame is expected at the position after the previous one:
 * <ul>
 * <li>the expected frame: ok;</li>
 * <li>all silence: a lost frame once the signal returns (the expected position moves on, as the sink plays
 * silence in a gap's place); a silence that lasts is shown as {@code silent_now_frames}, not as loss;</li>
 * <li>a whole valid frame of another position: a shift (counted, with its size: positive = the audio now comes
 * that many frames later than it should); the check follows it;</li>
 * <li>anything else: an error frame, each differing sample counted.</li>
 * </ul>
 * Called on the sink's audio thread: no allocation, no lock; the counters are read by {@link #details()}.
 */
final class VerifyOutput implements AudioOutput {
    private final int channels;

    // audio thread
    private boolean locked;
    private long expected;

    private volatile long framesChecked;
    private volatile long framesOk;
    private volatile long errorFrames;
    private volatile long sampleErrors;
    private volatile long lostFrames;
    private volatile long shifts;
    private volatile long lastShiftFrames;
    private volatile long lastErrorMillis;
    /** Silent frames since the last frame of the signal. */
    private volatile long silence;
    /** Odd while {@link #write} updates the counters: a reader retries, so that its figures add up. */
    private volatile long writes;

    VerifyOutput(int channels) {
        this.channels = channels;
    }

    @Override
    public void write(int[] samples, int offset, int frames) {
        writes++; // one writer: the audio thread
        for (int f = 0, i = offset; f < frames; f++, i += channels) {
            frame(samples, i);
        }
        writes++;
    }

    private void frame(int[] s, int i) {
        boolean silent = true;
        for (int c = 0; c < channels; c++) {
            silent &= s[i + c] == 0;
        }
        if (!locked) {
            int n = silent ? -1 : validPosition(s, i);
            if (n >= 0) {
                locked = true; // the signal starts: from here every frame is checked
                expected = n + 1;
                framesChecked++;
                framesOk++;
            }
            return;
        }
        framesChecked++;
        if (!silent && silence > 0) {
            lostFrames += silence;
            silence = 0;
            lastErrorMillis = System.currentTimeMillis();
        }
        if (matchesAt(s, i, expected)) {
            framesOk++; // (the signal's one all-zero frame per period on one channel lands here too)
            expected++;
            return;
        }
        if (silent) {
            silence++; // lost only if the signal comes back: a stopped stream is not a gap
            expected++;
            return;
        }
        lastErrorMillis = System.currentTimeMillis();
        int n = validPosition(s, i);
        if (n >= 0) {
            shifts++;
            lastShiftFrames = TestSignal.distance(expected, n);
            expected = n + 1;
            framesOk++;
            return;
        }
        errorFrames++;
        for (int c = 0; c < channels; c++) {
            if (!TestSignal.matches(s[i + c], expected, c)) {
                sampleErrors++;
            }
        }
        expected++;
    }

    /** The position of a frame of the signal, if every channel agrees; else -1. */
    private int validPosition(int[] s, int i) {
        int n = TestSignal.position(s[i], 0);
        return matchesAt(s, i, n) ? n : -1;
    }

    private boolean matchesAt(int[] s, int i, long n) {
        for (int c = 0; c < channels; c++) {
            if (!TestSignal.matches(s[i + c], n, c)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Map<String, Object> details() {
        long[] c = new long[8];
        for (int attempt = 0; attempt < 1000; attempt++) { // a write is one chunk: it ends soon
            long before = writes;
            c[0] = framesChecked;
            c[1] = framesOk;
            c[2] = errorFrames;
            c[3] = sampleErrors;
            c[4] = lostFrames;
            c[5] = silence;
            c[6] = shifts;
            c[7] = lastShiftFrames;
            if ((before & 1) == 0 && before == writes) {
                break;
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("signal", "prbs");
        m.put("locked", locked);
        m.put("frames_checked", c[0]);
        m.put("frames_ok", c[1]);
        m.put("error_frames", c[2]);
        m.put("sample_errors", c[3]);
        m.put("lost_frames", c[4]);
        m.put("silent_now_frames", c[5]);
        m.put("shifts", c[6]);
        m.put("last_shift_frames", c[7]);
        long last = lastErrorMillis;
        m.put("last_error", last == 0 ? null : Instant.ofEpochMilli(last).toString());
        return m;
    }

    @Override
    public void close() {
        // nothing held
    }
}
