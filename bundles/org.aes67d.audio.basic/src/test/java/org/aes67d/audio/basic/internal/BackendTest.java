package org.aes67d.audio.basic.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.aes67d.api.audio.AudioFormat;
import org.aes67d.api.audio.AudioInput;
import org.aes67d.api.audio.AudioOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendTest {
    @TempDir
    Path dir;

    private final FileBackend files = new FileBackend(new FileBackend.Config() {
        @Override public Class<? extends Annotation> annotationType() { return FileBackend.Config.class; }
        @Override public int ring_ms() { return 100; }
        @Override public int header_interval_ms() { return 100; }
    });

    /** Sample n of channel c, left-justified, with {@code bits} significant bits. */
    static int value(int n, int c, int bits) {
        int v = n * 7919 + c * 1000003;
        return bits == 32 ? v : (v << (32 - bits));
    }

    static Path writeWav(Path p, int tag, int channels, int rate, int bits, int frames) throws IOException {
        ByteBuffer h = Wav.header(channels, rate, bits, (long) frames * channels * bits / 8);
        h.putShort(20, (short) tag);
        ByteBuffer data = ByteBuffer.allocate(frames * channels * bits / 8).order(ByteOrder.LITTLE_ENDIAN);
        byte[] b = data.array();
        int[] s = new int[frames * channels];
        for (int n = 0; n < frames; n++) {
            for (int c = 0; c < channels; c++) {
                s[n * channels + c] = value(n, c, bits);
            }
        }
        PcmFormat.ofBits(bits).encode(s, 0, b, 0, s.length);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(h);
            ch.write(data);
        }
        return p;
    }

    static void await(BooleanSupplier condition, String what) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    @Test
    void playsWavFilesOfEveryWidthInALoop() throws IOException {
        for (int bits : new int[] {16, 24, 32}) {
            Path p = writeWav(dir.resolve("in" + bits + ".wav"), 1, 3, 48000, bits, 1000);
            try (AudioInput in = files.openInput("file:" + p, new AudioFormat(48000, 3))) {
                int[] buf = new int[2500 * 3];
                for (int done = 0; done < 2500; done += 100) {
                    in.read(buf, done * 3, 100); // the feeder keeps up with 100-frame reads
                }
                for (int n = 0; n < 2500; n++) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(value(n % 1000, c, bits), buf[n * 3 + c], bits + " bit frame " + n + " ch " + c);
                    }
                }
                assertEquals(0, ((WavFileInput) in).underrunFrames());
            }
        }
    }

    @Test
    void rejectsFilesThatDoNotFit() throws IOException {
        Path flt = writeWav(dir.resolve("float.wav"), 3, 2, 48000, 32, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> files.openInput("file:" + flt, new AudioFormat(48000, 2)));
        assertTrue(e.getMessage().contains("not integer PCM"), e.getMessage());
        Path st = writeWav(dir.resolve("stereo.wav"), 1, 2, 48000, 16, 10);
        e = assertThrows(IllegalArgumentException.class, () -> files.openInput("file:" + st, new AudioFormat(48000, 8)));
        assertEquals("WAV file has 2 channels, the stream map has 8", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> files.openInput("file:" + st, new AudioFormat(96000, 2)));
        assertTrue(e.getMessage().contains("44100") || e.getMessage().contains("48000"), e.getMessage());
        Path junk = Files.writeString(dir.resolve("junk.wav"), "hello, not a wav at all");
        assertThrows(IllegalArgumentException.class, () -> files.openInput("file:" + junk, new AudioFormat(48000, 2)));
        assertThrows(IllegalArgumentException.class, () -> files.openInput("file:rel.wav", new AudioFormat(48000, 2)));
    }

    @Test
    void recordsAWavWhoseHeaderIsUpdatedWhileRunning() throws IOException {
        Path p = dir.resolve("rec.wav");
        AudioOutput out = files.openOutput("file:" + p, new AudioFormat(48000, 2));
        int[] s = new int[480 * 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = value(i, 0, 24);
        }
        out.write(s, 0, 480);
        // before close: the periodic header rewrite makes the file readable as it is (kill -9 case)
        await(() -> dataSize(p) == 480 * 2 * 3, "periodic header");
        out.write(s, 0, 480);
        out.close();
        assertEquals(960 * 2 * 3, dataSize(p));
        assertEquals(Map.of("overrun_frames", 0L), out.details());
        try (FileChannel ch = FileChannel.open(p)) {
            Wav.Info info = Wav.read(ch);
            assertEquals(24, info.bits());
            assertEquals(2, info.channels());
            assertEquals(48000, info.sampleRate());
        }
        try (AudioInput back = files.openInput("file:" + p, new AudioFormat(48000, 2))) {
            int[] got = new int[480 * 2];
            back.read(got, 0, 480);
            assertArrayEquals(s, got);
        }
    }

    @Test
    void framesTheRecorderCouldNotKeepAreCountedAndMissingFromTheFile() throws IOException {
        Path p = dir.resolve("burst.wav");
        AudioOutput out = files.openOutput("file:" + p, new AudioFormat(48000, 2));
        int frames = 48000; // one second in one write: ten times the 100 ms ring, whatever the writer does meanwhile
        out.write(new int[frames * 2], 0, frames);
        out.close();
        long overrun = ((Number) out.details().get("overrun_frames")).longValue();
        assertTrue(overrun >= frames - 2 * 4800, "overrun " + overrun);
        assertEquals((frames - overrun) * 2 * 3, dataSize(p), "the file holds what fit, no more");
    }

    private static long dataSize(Path p) {
        try (FileChannel ch = FileChannel.open(p)) {
            ByteBuffer b = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, 0);
            return b.getInt(40) & 0xFFFFFFFFL;
        } catch (IOException e) {
            return -1;
        }
    }

    @Test
    void toneHasTheAskedLevelAndFrequency() {
        ToneBackend tones = new ToneBackend();
        AudioInput in = tones.openInput("tone:1000@-6", new AudioFormat(48000, 2));
        int[] buf = new int[48000 * 2];
        in.read(buf, 0, 48000);
        int max = 0;
        int crossings = 0;
        for (int n = 0; n < 48000; n++) {
            assertEquals(buf[n * 2], buf[n * 2 + 1]);
            max = Math.max(max, buf[n * 2] >> 8);
            if (n > 0 && buf[n * 2 - 2] < 0 && buf[n * 2] >= 0) {
                crossings++;
            }
        }
        assertEquals(0x7FFFFF * Math.pow(10, -6 / 20.0), max, 2);
        assertEquals(1000, crossings, 1);
        assertThrows(IllegalArgumentException.class, () -> tones.openInput("tone:30000", new AudioFormat(48000, 2)));
        assertThrows(IllegalArgumentException.class, () -> tones.openOutput("tone:1000", new AudioFormat(48000, 2)));
    }

    @Test
    void pipesCarryRawPcmBothWays() throws Exception {
        PipeBackend pipes = new PipeBackend(new PipeBackend.Config() {
            @Override public Class<? extends Annotation> annotationType() { return PipeBackend.Config.class; }
            @Override public int ring_ms() { return 100; }
        });
        Path fifo = dir.resolve("audio.s24");
        AudioFormat fmt = new AudioFormat(48000, 2);
        int[] s = new int[1000 * 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = value(i, 1, 24);
        }
        byte[] raw = new byte[s.length * 3];
        PcmFormat.S24_3LE.encode(s, 0, raw, 0, s.length);

        // pipe -> input: an external writer (this thread) feeds the FIFO the daemon reads
        try (AudioInput in = pipes.openInput("pipe:" + fifo, fmt)) {
            assertTrue(Fifo.isFifo(fifo));
            try (FileChannel w = FileChannel.open(fifo, StandardOpenOption.WRITE)) {
                w.write(ByteBuffer.wrap(raw));
            }
            int[] got = new int[1000 * 2];
            int[] part = new int[100 * 2];
            int[] frames = {0};
            await(() -> {
                in.read(part, 0, 100);
                boolean silent = part[0] == 0 && part[1] == 0 && part[199] == 0;
                if (!silent || frames[0] > 0) {
                    System.arraycopy(part, 0, got, frames[0] * 2, 200);
                    frames[0] += 100;
                }
                return frames[0] == 1000;
            }, "audio through the input pipe");
            assertArrayEquals(s, got);
        }

        // output -> pipe: an external reader drains what the daemon writes
        Path out = dir.resolve("out.s16");
        try (AudioOutput o = pipes.openOutput("pipe:" + out, fmt)) {
            try (FileChannel r = FileChannel.open(out, StandardOpenOption.READ)) {
                await(((PipeOutput) o)::connected, "reader connected");
                o.write(s, 0, 1000);
                ByteBuffer b = ByteBuffer.allocate(1000 * 2 * 2);
                while (b.hasRemaining()) {
                    r.read(b);
                }
                int[] back = new int[2000];
                PcmFormat.S16_LE.decode(b.array(), 0, back, 0, 2000);
                for (int i = 0; i < 2000; i++) {
                    assertEquals(s[i] & 0xFFFF0000, back[i]);
                }
            }
        }
    }

    @Test
    void pipeFormatComesFromTheName() {
        assertEquals(PcmFormat.S16_LE, PcmFormat.ofPipeName("mic.s16"));
        assertEquals(PcmFormat.S24_3LE, PcmFormat.ofPipeName("x.S24_3LE"));
        assertEquals(PcmFormat.S32_LE, PcmFormat.ofPipeName("x.raw"));
    }
}
