package org.aes67d.audio.jack.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** A 24-bit pseudo-random test signal, WAV files of it, and the alignment-free comparison of a recording. */
final class Prbs {
    private Prbs() {
    }

    /** {@code frames x channels} random 24-bit samples, left-justified in 32 bits (never 0). */
    static int[] signal(int frames, int channels, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] s = new int[frames * channels];
        for (int i = 0; i < s.length; i++) {
            int v;
            do {
                v = r.nextInt() & 0xFFFFFF00;
            } while (v == 0);
            s[i] = v;
        }
        return s;
    }

    /** A PCM WAV of {@code bits} (24 or 32) holding the top bits of {@code samples}. */
    static void writeWav(Path file, int[] samples, int channels, int rate, int bits) throws IOException {
        int bytes = bits / 8;
        ByteBuffer b = ByteBuffer.allocate(44 + samples.length * bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + samples.length * bytes).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) channels).putInt(rate)
                .putInt(rate * channels * bytes).putShort((short) (channels * bytes)).putShort((short) bits);
        b.put("data".getBytes()).putInt(samples.length * bytes);
        for (int v : samples) {
            for (int k = 4 - bytes; k < 4; k++) {
                b.put((byte) (v >>> (8 * k)));
            }
        }
        Files.write(file, b.array());
    }

    /** The samples of a PCM WAV (16/24/32 bit), left-justified in 32 bits. */
    static int[] readWav(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        int bits = 0;
        while (pos + 8 <= b.limit()) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            if (id == 0x20746d66) { // "fmt "
                bits = b.getShort(pos + 22);
            } else if (id == 0x61746164) { // "data"
                int bytes = bits / 8;
                int len = size <= 0 || pos + 8 + size > b.limit() ? b.limit() - pos - 8 : size;
                int[] s = new int[len / bytes];
                for (int i = 0; i < s.length; i++) {
                    int v = 0;
                    for (int k = 0; k < bytes; k++) {
                        v |= (b.get(pos + 8 + i * bytes + k) & 0xFF) << (8 * (4 - bytes + k));
                    }
                    s[i] = v;
                }
                return s;
            }
            pos += 8 + size + (size & 1);
        }
        throw new IOException(file + ": no data chunk");
    }

    private static boolean sound(int[] s, int frame, int channels) {
        for (int c = 0; c < channels; c++) {
            if (s[frame * channels + c] >> 8 == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Asserts that {@code got} (interleaved, {@code channels}) holds, after any leading silence, a contiguous run
     * of {@code ref} up to its trailing silence (compared at 24 bits), at least {@code minFrames} long; returns its length.
     */
    static int assertContiguous(int[] ref, int[] got, int channels, int minFrames) {
        int first = 0; // the first frame with sound on every channel (ports are connected one by one)
        while (first < got.length / channels && !sound(got, first, channels)) {
            first++;
        }
        assertTrue(first < got.length / channels, "the recording is silent");
        int start = -1;
        for (int k = 0; k + 3 < ref.length / channels && start < 0; k++) {
            boolean match = true;
            for (int j = 0; j < 4 * channels && match; j++) {
                match = first * channels + j < got.length && (ref[k * channels + j] >> 8)
                        == (got[first * channels + j] >> 8);
            }
            if (match) {
                start = k;
            }
        }
        assertTrue(start >= 0, "the recording's first frames are not in the reference");
        int last = got.length / channels; // after the last non-silent frame
        while (last > first && !sound(got, last - 1, channels)) {
            last--;
        }
        int n = Math.min(ref.length / channels - start, last - first);
        int run = 0;
        for (; run < n; run++) {
            boolean same = true;
            for (int c = 0; c < channels; c++) {
                same &= (ref[(start + run) * channels + c] >> 8) == (got[(first + run) * channels + c] >> 8);
            }
            if (!same) {
                break;
            }
        }
        assertTrue(run == n, "only " + run + " frames match contiguously (of " + n + " recorded, from reference "
                + "frame " + start + ")");
        assertTrue(run >= minFrames, "only " + run + " frames recorded (at least " + minFrames + " expected)");
        return run;
    }
}
