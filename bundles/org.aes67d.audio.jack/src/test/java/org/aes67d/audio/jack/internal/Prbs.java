package org.aes67d.audio.jack.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
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

    /** The frame's first two channels at 24 bits: enough to locate a frame of the PRBS. */
    private static long key(int[] s, int frame, int channels) {
        return ((long) (s[frame * channels] >> 8) << 24)
                ^ ((s[frame * channels + Math.min(1, channels - 1)] >> 8) & 0xFFFFFFL);
    }

    /**
     * Asserts that every frame of {@code got} with sound on all channels is the reference's, in runs that continue
     * the reference contiguously (24 bits compared): a run ends at silence or a jump (a loaded machine's dropout
     * loses audio but corrupts none), and that at least {@code minFrames} frames matched. Returns
     * {frames matched, runs}.
     */
    static int[] assertBitExact(int[] ref, int[] got, int channels, int minFrames) {
        Map<Long, Integer> index = new HashMap<>();
        for (int k = 0; k < ref.length / channels; k++) {
            index.putIfAbsent(key(ref, k, channels), k);
        }
        int matched = 0;
        int runs = 0;
        int next = -1;
        for (int f = 0; f < got.length / channels; f++) {
            if (!sound(got, f, channels)) {
                next = -1;
                continue;
            }
            if (next < 0 || next >= ref.length / channels || key(ref, next, channels) != key(got, f, channels)) {
                Integer k = index.get(key(got, f, channels));
                assertTrue(k != null, "frame " + f + " of the recording is not in the reference (after " + matched
                        + " matched)");
                next = k;
                runs++;
            }
            matched++;
            next++;
        }
        assertTrue(matched >= minFrames, "only " + matched + " frames recorded (at least " + minFrames + ")");
        return new int[] {matched, runs};
    }
}
