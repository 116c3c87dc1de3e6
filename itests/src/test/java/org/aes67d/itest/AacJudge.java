package org.aes67d.itest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Assume;

/**
 * ffprobe and ffmpeg as independent judges of served AAC, and an analysis of a decoded sine that finds gaps:
 * every period (between rising zero crossings, interpolated) and the level of every 10 ms block.
 */
final class AacJudge {
    private AacJudge() {
    }

    static void assumeFfmpeg() {
        boolean ok;
        try {
            ok = new ProcessBuilder("ffprobe", "-version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            ok = false;
        }
        Assume.assumeTrue("ffmpeg missing (scripts/test.sh installs it)", ok);
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + ": " + new String(out));
        }
        return new String(out);
    }

    /** e.g. {@code "aac LC 48000 2"}. */
    static String probe(Path file) throws IOException, InterruptedException {
        return run(List.of("ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
                "stream=codec_name,profile,sample_rate,channels", "-of", "default=nw=1:nk=1", file.toString()))
                .trim().replace('\n', ' ');
    }

    /** Channel 0 of {@code file}, decoded by ffmpeg. */
    static float[] decodeLeft(Path file, int channels) throws IOException, InterruptedException {
        Path raw = file.resolveSibling(file.getFileName() + ".f32");
        run(List.of("ffmpeg", "-v", "error", "-y", "-i", file.toString(), "-f", "f32le", "-c:a", "pcm_f32le",
                raw.toString()));
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
        float[] left = new float[b.remaining() / 4 / channels];
        for (int i = 0; i < left.length; i++) {
            left[i] = b.getFloat(i * channels * 4);
        }
        return left;
    }

    /** What {@link #sine} found. */
    record Sine(double frames, double minPeriod, double maxPeriod, double minBlockDb, double maxBlockDb) {
        double meanFrequency(int rate, double periods) {
            return rate / periods;
        }

        @Override
        public String toString() {
            return String.format("%.0f frames, periods %.3f..%.3f samples, 10 ms levels %.2f..%.2f dBFS", frames,
                    minPeriod, maxPeriod, minBlockDb, maxBlockDb);
        }
    }

    /** Analyses {@code s[from..to)}; block levels are peak-equivalent (RMS + 3.01 dB). */
    static Sine sine(float[] s, int from, int to, int rate) {
        double minP = Double.MAX_VALUE;
        double maxP = 0;
        double last = -1;
        for (int i = from + 1; i < to; i++) {
            if (s[i - 1] < 0 && s[i] >= 0) {
                double t = i - 1 + s[i - 1] / (s[i - 1] - s[i]);
                if (last >= 0) {
                    minP = Math.min(minP, t - last);
                    maxP = Math.max(maxP, t - last);
                }
                last = t;
            }
        }
        int block = rate / 100;
        double minDb = Double.MAX_VALUE;
        double maxDb = -Double.MAX_VALUE;
        for (int b = from; b + block <= to; b += block) {
            double sum = 0;
            for (int i = b; i < b + block; i++) {
                sum += s[i] * s[i];
            }
            double db = 10 * Math.log10(2 * sum / block);
            minDb = Math.min(minDb, db);
            maxDb = Math.max(maxDb, db);
        }
        return new Sine(to - from, minP, maxP, minDb, maxDb);
    }
}
