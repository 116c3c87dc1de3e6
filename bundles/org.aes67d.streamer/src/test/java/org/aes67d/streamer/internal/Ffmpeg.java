package org.aes67d.streamer.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** ffprobe and ffmpeg as independent judges of what the streamer serves. */
final class Ffmpeg {
    private Ffmpeg() {
    }

    static void assumeInstalled() {
        boolean ok;
        try {
            ok = new ProcessBuilder("ffprobe", "-version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            ok = false;
        }
        Assumptions.assumeTrue(ok, "ffmpeg missing: apt-get install -y --no-install-recommends ffmpeg "
                + "(scripts/test.sh does it)");
    }

    static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + new String(out));
        }
        return new String(out);
    }

    /** {@code codec_name profile sample_rate channels} of the first audio stream, e.g. "aac LC 48000 2". */
    static String probe(Path file) throws IOException, InterruptedException {
        return run(List.of("ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
                "stream=codec_name,profile,sample_rate,channels", "-of", "default=nw=1:nk=1", file.toString()))
                .trim().replace('\n', ' ');
    }

    /** Decodes {@code file} to interleaved floats. */
    static float[] decode(Path file, Path work) throws IOException, InterruptedException {
        Path raw = work.resolve(file.getFileName() + ".f32");
        run(List.of("ffmpeg", "-v", "error", "-y", "-i", file.toString(), "-f", "f32le", "-c:a", "pcm_f32le",
                raw.toString()));
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
        float[] s = new float[b.remaining() / 4];
        b.asFloatBuffer().get(s);
        return s;
    }
}
