package org.aes67d.util.audio;

/**
 * The {@link AdaptiveResampler}'s kernel: a Kaiser-windowed sinc cut off at the input's Nyquist frequency,
 * tabulated at {@value #PHASES} + 1 fractional offsets of {@code 2 * HALF} taps, each row normalised to unity
 * gain at DC. Computed once, immutable, shared by all resamplers (0.5 MB).
 */
final class SincTable {
    /** Half the kernel length in taps. */
    static final int HALF = 32;
    /** Fractional offsets tabulated per input frame; the weights between two of them are interpolated linearly. */
    static final int PHASES = 1024;
    /** Kaiser window parameter: stopband about 130 dB; with 64 taps the transition band is about 21-27 kHz. */
    static final double BETA = 13.0;

    private static final int TAPS = 2 * HALF;
    /** Row p, tap k: the weight of frame (centre + k - HALF + 1) at offset p / PHASES past the centre. */
    private static final double[] TABLE = build();

    private SincTable() {
    }

    /**
     * The weights of the {@code 2 * HALF} frames around a position {@code x} (0 <= x < 1) frames past the
     * centre frame (the tap at index {@code HALF - 1}) into {@code out}.
     */
    static void weights(double x, double[] out) {
        double pos = x * PHASES;
        int p = Math.min(PHASES - 1, (int) pos);
        double a = pos - p;
        int r0 = p * TAPS;
        int r1 = r0 + TAPS;
        for (int k = 0; k < TAPS; k++) {
            double w0 = TABLE[r0 + k];
            out[k] = w0 + a * (TABLE[r1 + k] - w0);
        }
    }

    private static double[] build() {
        double[] t = new double[(PHASES + 1) * TAPS];
        double norm = besselI0(BETA);
        for (int p = 0; p <= PHASES; p++) {
            double x = p / (double) PHASES;
            double sum = 0;
            for (int k = 0; k < TAPS; k++) {
                double d = k - HALF + 1 - x; // distance in frames from the interpolated position
                double r = d / HALF;
                double window = Math.abs(r) >= 1 ? 0 : besselI0(BETA * Math.sqrt(1 - r * r)) / norm;
                double sinc = d == 0 ? 1 : Math.sin(Math.PI * d) / (Math.PI * d);
                t[p * TAPS + k] = sinc * window;
                sum += sinc * window;
            }
            for (int k = 0; k < TAPS; k++) {
                t[p * TAPS + k] /= sum;
            }
        }
        return t;
    }

    /** The modified Bessel function of the first kind, order 0 (power series; converges fast for x < 30). */
    static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 200 && term > sum * 1e-17; k++) {
            term *= q / ((double) k * k);
            sum += term;
        }
        return sum;
    }
}
