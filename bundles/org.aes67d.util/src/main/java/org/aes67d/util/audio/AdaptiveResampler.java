package org.aes67d.util.audio;

/**
 * Variable-ratio resampling of interleaved 32-bit frames pulled from a {@link FrameRing}: a polyphase
 * Kaiser-windowed sinc ({@value #TAPS} taps, {@value SincTable#PHASES} phases with linear interpolation between
 * adjacent phases, one table shared by every instance). It keeps the last {@value #TAPS} input frames and outputs
 * at a fractional position {@value #HALF} frames behind the newest, so it runs {@value #HALF} frames behind its
 * input in every mode. At ratio exactly 1 with no fractional offset it copies integers: pass-through is bit-exact,
 * and switching between the modes is seamless (the kernel at offset 0 is a unit impulse, so the two agree).
 *
 * <p>Why a hand-written one: libsamplerate's best converter is specified at 97 dB, below the 120 dB target, and
 * libsoxr would be a native binding with its own buffers on the audio path; a fixed-table polyphase sinc at a
 * ratio within 0.1 % of 1 is small, allocation-free and measured (ResamplerQualityTest, docs/audio-io.md).
 * Nothing allocates after construction.
 */
public final class AdaptiveResampler {
    /** Kernel length: 64 taps put the Kaiser window's transition band above 20 kHz at 48 kHz (130 dB at 20 kHz). */
    static final int TAPS = 2 * SincTable.HALF;
    /** Frames between the newest input frame and the interpolated position's integer part. */
    static final int HALF = SincTable.HALF;
    private static final int HISTORY = 64; // frames: a power of two, at least the taps
    private static final int MASK = HISTORY - 1;

    private final int channels;
    /** The last HISTORY frames, each written twice (at i and i + HISTORY) so that any TAPS of them are contiguous. */
    private final int[] history;
    private final double[] weights = new double[TAPS];
    private final double[] sums;
    private long pulled;
    private double frac;
    /** The last call ran dry inside an output frame whose step was already added. */
    private boolean pending;

    public AdaptiveResampler(int channels) {
        this.channels = channels;
        this.history = new int[2 * HISTORY * channels];
        this.sums = new double[channels];
    }

    /** The fractional read position (0 in pass-through). */
    public double fraction() {
        return frac;
    }

    /** Input frames held inside the interpolator (read from the ring, not yet output): its added latency. */
    public int held() {
        return HALF;
    }

    /**
     * Takes the first {@value #HALF} frames of a new run into the history, so that the next output frame is the
     * ring's first frame: returns false if the ring has fewer.
     */
    public boolean prime(FrameRing ring) {
        if (ring.fill() < HALF) {
            return false;
        }
        for (int i = 0; i < HALF; i++) {
            pull(ring);
        }
        frac = 0;
        pending = false;
        return true;
    }

    /** Drops the fractional offset (back to pass-through; at most one frame's jump). */
    public void snap() {
        frac = 0;
    }

    private boolean pull(FrameRing ring) {
        int at = (int) (pulled & MASK) * channels;
        if (ring.read(history, at, 1) == 0) {
            return false;
        }
        System.arraycopy(history, at, history, at + HISTORY * channels, channels);
        pulled++;
        return true;
    }

    /**
     * Produces {@code frames} output frames into {@code dst}, consuming input at {@code ratio} input frames per
     * output frame. Returns the frames produced; fewer when the ring ran dry (the rest is left to the caller).
     */
    public int process(FrameRing ring, int[] dst, int offset, int frames, double ratio) {
        int ch = channels;
        for (int f = 0; f < frames; f++) {
            if (!pending) {
                frac += ratio;
                pending = true;
            }
            while (frac >= 1.0) {
                if (!pull(ring)) {
                    return f; // the next call finishes this frame
                }
                frac -= 1.0;
            }
            pending = false;
            int o = offset + f * ch;
            if (frac == 0.0) {
                // the frame HALF behind the newest: the impulse at the kernel's centre
                System.arraycopy(history, (int) ((pulled - 1 - HALF) & MASK) * ch, dst, o, ch);
                continue;
            }
            SincTable.weights(frac, weights);
            // the TAPS frames ending with the newest, contiguous thanks to the doubled history
            int first = (int) ((pulled - TAPS) & MASK) * ch;
            java.util.Arrays.fill(sums, 0.0);
            for (int k = 0; k < TAPS; k++) {
                double w = weights[k];
                int row = first + k * ch;
                for (int c = 0; c < ch; c++) {
                    sums[c] += w * history[row + c];
                }
            }
            for (int c = 0; c < ch; c++) {
                dst[o + c] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.rint(sums[c])));
            }
        }
        return frames;
    }
}
