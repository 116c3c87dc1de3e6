package org.aes67d.audio.basic.internal;

/**
 * The test signal of {@code test:prbs} and {@code verify:}: a pseudo-random 24-bit sequence in which every sample
 * carries its own stream position, so a verifier needs no reference and can tell a changed sample from a frame
 * that arrives at another place (a shift).
 *
 * <p>Frame {@code n}, channel {@code c}: the top 16 bits are a bijective scramble of the 16-bit word
 * {@code (n + c * CHANNEL_STRIDE) mod 2^16}, the next 8 bits a hash of that word, the low 8 bits zero (a 32-bit,
 * left-justified sample). The position repeats every {@link #PERIOD} frames (1.37 s at 48 kHz), so a shift is known
 * modulo that. An L16 stream keeps only the top 16 bits; the check accepts either form.
 */
public final class TestSignal {
    /** Frames after which the sequence repeats. */
    public static final int PERIOD = 1 << 16;
    /** Distance between the words of two channels: any frame differs from any other in every channel. */
    private static final int CHANNEL_STRIDE = 0x3C6F;
    private static final char[] SCRAMBLE = new char[PERIOD];
    private static final char[] UNSCRAMBLE = new char[PERIOD];

    static {
        for (int w = 0; w < PERIOD; w++) {
            int x = w;
            x = (x * 0x6A5D + 0x3B9) & 0xFFFF; // odd multiplier: a bijection mod 2^16
            x ^= x >>> 7;
            x = (x * 0x2C1B) & 0xFFFF;
            x ^= x >>> 9;
            SCRAMBLE[w] = (char) x;
        }
        for (int w = 0; w < PERIOD; w++) {
            UNSCRAMBLE[SCRAMBLE[w]] = (char) w;
        }
    }

    private TestSignal() {
    }

    /** The sample of frame {@code n} (any long; taken modulo the period) on channel {@code c}. */
    public static int sample(long n, int c) {
        int word = (int) (n + (long) c * CHANNEL_STRIDE) & 0xFFFF;
        int low = ((word * 0x9E3779B1) >>> 24) & 0xFF;
        return SCRAMBLE[word] << 16 | low << 8;
    }

    /** True if {@code received} is the sample of frame {@code n}, channel {@code c}, at 24 or at 16 bits. */
    static boolean matches(int received, long n, int c) {
        int want = sample(n, c);
        int r = received & 0xFFFFFF00;
        return r == want || (r & 0xFF00) == 0 && (r & 0xFFFF0000) == (want & 0xFFFF0000);
    }

    /** The position (0..PERIOD-1) that channel {@code c}'s sample {@code received} says. */
    static int position(int received, int c) {
        int word = UNSCRAMBLE[(received >>> 16) & 0xFFFF];
        return (word - c * CHANNEL_STRIDE) & 0xFFFF;
    }

    /** {@code a - b} modulo the period, in -PERIOD/2 .. PERIOD/2-1. */
    static int distance(long a, long b) {
        return (short) (a - b);
    }
}
