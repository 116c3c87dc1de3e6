package org.aes67d.util.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The interpolator alone, pure computation (no clock, no thread: a host stall cannot change a figure): a sine at
 * 48 kHz resampled at a fixed ratio, the output fitted with a sine of the expected frequency; SNR = signal over
 * everything else (noise, distortion, images: THD+N). At ratio 1 the output is the input, bit for bit.
 * Figures: {@code mvn -B -o -q -pl bundles/org.aes67d.util -am verify -Dtest=ResamplerQualityTest
 * -Dsurefire.failIfNoSpecifiedTests=false} prints the {@code [figure]} lines (docs/audio-io.md).
 */
class ResamplerQualityTest {
    private static final int RATE = 48000;
    private static final double AMPLITUDE = 0.5 * 2147483648.0;
    private static final int BLOCK = 48;

    /** {@code frames} output frames of a {@code hz} sine resampled at {@code ratio}, {@code channels} copies. */
    static int[] resample(double hz, double ratio, int frames, int channels) {
        FrameRing ring = new FrameRing(channels, 4096);
        AdaptiveResampler r = new AdaptiveResampler(channels);
        int[] in = new int[BLOCK * channels];
        int[] out = new int[(frames + BLOCK) * channels];
        long written = 0;
        int produced = 0;
        boolean primed = false;
        while (produced < frames) {
            while (ring.capacity() - ring.fill() >= BLOCK) {
                for (int i = 0; i < BLOCK; i++) {
                    int v = (int) Math.rint(AMPLITUDE * Math.sin(2 * Math.PI * hz * (written + i) / RATE + 0.3));
                    for (int c = 0; c < channels; c++) {
                        in[i * channels + c] = c % 2 == 0 ? v : -v;
                    }
                }
                ring.write(in, 0, BLOCK);
                written += BLOCK;
            }
            if (!primed) {
                assertTrue(r.prime(ring));
                primed = true;
            }
            int n = Math.min(BLOCK, frames - produced);
            assertEquals(n, r.process(ring, out, produced * channels, n, ratio));
            produced += n;
        }
        return out;
    }

    static double snr(double hz, double ratio) {
        int frames = RATE / 2;
        int[] out = resample(hz, ratio, frames, 1);
        int skip = 4 * AdaptiveResampler.TAPS;
        return DriftCompensationTest.SineFit.fit(out, skip, frames - skip, hz * ratio, RATE)[1];
    }

    @ParameterizedTest(name = "{0} Hz at ratio {1}")
    @CsvSource({"1000, 1.0001, 135", "5000, 1.0001, 135", "10000, 1.0001, 130", "15000, 1.0001, 125",
            "20000, 1.0001, 120", "10000, 0.9999, 130", "10000, 1.001, 130"})
    void snrOfASineResampled(double hz, double ratio, double floorDb) {
        double db = snr(hz, ratio);
        System.out.printf("[figure] resampler %d taps, ratio %.4f, %5.0f Hz: SNR (THD+N) %.1f dB%n",
                AdaptiveResampler.TAPS, ratio, hz, db);
        assertTrue(db >= floorDb, hz + " Hz: " + db + " dB, floor " + floorDb);
    }

    @Test
    void ratioOneIsTheInputDelayed() {
        int frames = 4800;
        int[] out = resample(997, 1.0, frames, 3);
        int[] want = new int[frames * 3];
        for (int i = 0; i < frames; i++) {
            int v = (int) Math.rint(AMPLITUDE * Math.sin(2 * Math.PI * 997 * i / RATE + 0.3));
            for (int c = 0; c < 3; c++) {
                want[i * 3 + c] = c % 2 == 0 ? v : -v;
            }
        }
        assertArrayEquals(want, java.util.Arrays.copyOf(out, frames * 3));
    }

    @Test
    void channelsAreIndependent() {
        int frames = 4800;
        int[] two = resample(7000, 1.0003, frames, 2);
        for (int i = 2 * AdaptiveResampler.TAPS; i < frames; i++) {
            assertTrue(Math.abs(two[2 * i] + two[2 * i + 1]) <= 1, "frame " + i); // channel 1 is channel 0 negated
        }
    }
}
