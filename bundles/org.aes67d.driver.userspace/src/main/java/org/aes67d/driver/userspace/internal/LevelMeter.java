package org.aes67d.driver.userspace.internal;

import java.lang.invoke.VarHandle;
import java.util.Map;

import org.aes67d.api.driver.StreamLevels;

/**
 * Per-channel peak and RMS levels of one stream. The audio thread feeds every packet's samples to
 * {@link #meter} (no allocation, no lock) and publishes the levels every 20 ms of audio through a sequence counter
 * (odd while it writes); control code copies them with {@link #read}, retrying while a write is in progress, and
 * never blocks the audio thread.
 *
 * <p>Ballistics: the peak falls back 20 dB in 1.7 s (the IEC 60268-10 type I fall-back), so a peak shows to a
 * reader that looks a few times a second; the RMS is an exponential average with a 300 ms time constant.
 */
final class LevelMeter {
    private static final double FALL_BACK_DB_PER_SECOND = 20 / 1.7;
    private static final double RMS_SECONDS = 0.3;
    private static final double FULL_SCALE = 2147483648.0; // samples are 32-bit left-justified
    private static final int MAX_READ_TRIES = 10_000;

    final int channels;
    private final int rate;
    private final int blockFrames;

    // audio thread only
    private final int[] blockPeak;
    private final double[] blockSquares;
    private int blockFilled;
    private final float[] peak;
    private final double[] meanSquare;

    // audio thread -> control, under the sequence counter
    private final float[] publishedPeak;
    private final float[] publishedRms;
    private long publishedAt;
    private volatile int version;

    LevelMeter(int channels, int rate) {
        this.channels = channels;
        this.rate = rate;
        this.blockFrames = Math.max(1, rate / 50);
        this.blockPeak = new int[channels];
        this.blockSquares = new double[channels];
        this.peak = new float[channels];
        this.meanSquare = new double[channels];
        this.publishedPeak = new float[channels];
        this.publishedRms = new float[channels];
    }

    /** Audio thread: {@code frames} interleaved frames of {@code channels} samples from {@code samples[0..]}. */
    void meter(int[] samples, int frames) {
        int n = frames * channels;
        for (int i = 0; i < n; i += channels) {
            for (int c = 0; c < channels; c++) {
                int v = samples[i + c];
                int a = v ^ (v >> 31); // |v| without the overflow of Math.abs(MIN_VALUE); 1 LSB low for negatives
                if (a > blockPeak[c]) {
                    blockPeak[c] = a;
                }
                double d = v;
                blockSquares[c] += d * d;
            }
        }
        blockFilled += frames;
        if (blockFilled >= blockFrames) {
            publish();
        }
    }

    private void publish() {
        double seconds = (double) blockFilled / rate;
        float fall = (float) Math.pow(10, -FALL_BACK_DB_PER_SECOND * seconds / 20);
        double alpha = 1 - Math.exp(-seconds / RMS_SECONDS);
        double norm = 1 / (FULL_SCALE * FULL_SCALE * blockFilled);
        for (int c = 0; c < channels; c++) {
            peak[c] = Math.max((float) (blockPeak[c] / FULL_SCALE), peak[c] * fall);
            meanSquare[c] += alpha * (blockSquares[c] * norm - meanSquare[c]);
            blockPeak[c] = 0;
            blockSquares[c] = 0;
        }
        blockFilled = 0;
        int v = version;
        version = v + 1;
        VarHandle.storeStoreFence(); // the odd version is visible before any of the writes below
        for (int c = 0; c < channels; c++) {
            publishedPeak[c] = peak[c];
            publishedRms[c] = (float) Math.sqrt(meanSquare[c]);
        }
        publishedAt = System.nanoTime();
        version = v + 2;
    }

    /** Control: the levels last published (all zero before the first 20 ms of audio). */
    StreamLevels read() {
        float[] p = new float[channels];
        float[] r = new float[channels];
        long at = 0;
        for (int tries = 0; tries < MAX_READ_TRIES; tries++) {
            int before = version;
            if ((before & 1) == 0) {
                System.arraycopy(publishedPeak, 0, p, 0, channels);
                System.arraycopy(publishedRms, 0, r, 0, channels);
                at = publishedAt;
                VarHandle.loadLoadFence(); // the copies above are done before the version is read again
                if (version == before) {
                    break;
                }
            }
            Thread.onSpinWait();
        }
        return new StreamLevels(p, r, at == 0 ? Long.MAX_VALUE : Math.max(0, System.nanoTime() - at));
    }

    /** {@code in}, metered after each read. */
    static AudioIn metered(AudioIn in, LevelMeter meter) {
        return new AudioIn() {
            @Override
            public void read(long pos, int[] dst, int frames) {
                in.read(pos, dst, frames);
                meter.meter(dst, frames);
            }

            @Override
            public void close() {
                in.close();
            }
        };
    }

    /** {@code out}, metered before each write. */
    static AudioOut metered(AudioOut out, LevelMeter meter) {
        return new AudioOut() {
            @Override
            public void write(long pos, int[] src, int frames) {
                meter.meter(src, frames);
                out.write(pos, src, frames);
            }

            @Override
            public Map<String, Object> details() {
                return out.details();
            }

            @Override
            public void close() {
                out.close();
            }
        };
    }
}
