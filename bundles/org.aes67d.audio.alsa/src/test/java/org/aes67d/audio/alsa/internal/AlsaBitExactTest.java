package org.aes67d.audio.alsa.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.aes67d.api.audio.AudioFormat;
import org.aes67d.util.audio.EndpointStatus;
import org.aes67d.util.audio.PcmCodec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ALSA with no sound card: file-plugin PCMs defined in the test's {@code ~/.asoundrc} (surefire points HOME at
 * target/alsa-home). Playback must leave exactly the stream's samples in the file, capture must deliver exactly
 * the file's, for every format; aplay and arecord read and write the same bytes; a PCM that cannot open is an
 * error in the status and opens by itself once it can.
 */
class AlsaBitExactTest {
    private static final int RATE = 48000;
    private static final int FRAMES = RATE; // one second
    private static final long DEADLINE = TimeUnit.SECONDS.toNanos(20);
    private static Path home;

    @BeforeAll
    static void asoundrc() throws IOException {
        assumeTrue(AlsaLib.check() == null, "libasound2 missing: " + AlsaLib.check());
        home = Path.of(System.getenv("HOME"));
        assumeTrue(home.endsWith("alsa-home"), "HOME is not the test's alsa-home (run through Maven): " + home);
        Files.createDirectories(home);
        StringBuilder rc = new StringBuilder();
        for (PcmCodec c : PcmCodec.values()) {
            rc.append("pcm.sink_").append(c).append(" { type file slave.pcm \"null\" file \"").append(home)
                    .append("/sink_").append(c).append(".raw\" format \"raw\" }\n");
            rc.append("pcm.aplay_").append(c).append(" { type file slave.pcm \"null\" file \"").append(home)
                    .append("/aplay_").append(c).append(".raw\" format \"raw\" }\n");
            rc.append("pcm.src_").append(c).append(" { type file slave.pcm \"null\" file \"/dev/null\" infile \"")
                    .append(home).append("/src_").append(c).append(".raw\" format \"raw\" }\n");
        }
        rc.append("pcm.later { type file slave.pcm \"null\" file \"/dev/null\" infile \"").append(home)
                .append("/later.raw\" format \"raw\" }\n");
        Files.writeString(home.resolve(".asoundrc"), rc.toString());
    }

    private static AlsaBackend backend() {
        return new AlsaBackend(new AlsaBackend.Config() {
            @Override public Class<? extends Annotation> annotationType() { return AlsaBackend.Config.class; }
            @Override public int period_frames() { return 96; }
            @Override public int periods() { return 4; }
            @Override public int margin_ms() { return 4; }
            @Override public int retry_ms() { return 50; }
        });
    }

    /** Random samples with only the bits {@code codec} carries, 32-bit left-justified. */
    static int[] prbs(PcmCodec codec, int samples, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int mask = codec == PcmCodec.S16_LE ? 0xFFFF0000 : codec == PcmCodec.S24_3LE ? 0xFFFFFF00 : -1;
        int[] s = new int[samples];
        for (int i = 0; i < s.length; i++) {
            s[i] = r.nextInt() & mask;
        }
        return s;
    }

    static byte[] encode(PcmCodec codec, int[] samples) {
        ByteBuffer b = ByteBuffer.allocate(samples.length * codec.bytes).order(ByteOrder.LITTLE_ENDIAN);
        codec.encode(samples, 0, b, samples.length);
        return b.array();
    }

    static void await(String what, BooleanSupplier condition) {
        long until = System.nanoTime() + DEADLINE;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < until, "timed out waiting for " + what);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    @ParameterizedTest
    @CsvSource({"S16_LE, 2", "S24_3LE, 2", "S32_LE, 2", "S24_3LE, 8"})
    void playbackIsBitExact(PcmCodec codec, int channels) throws Exception {
        Path out = home.resolve("sink_" + codec + ".raw");
        Files.deleteIfExists(out);
        int[] signal = prbs(codec, FRAMES * channels, channels);
        AlsaPlayback sink = (AlsaPlayback) backend().openOutput("alsa:sink_" + codec + "?format=" + codec,
                new AudioFormat(RATE, channels));
        await("the PCM to open", () -> sink.status.state() == EndpointStatus.State.RUNNING);
        for (int f = 0; f < FRAMES; f += 48) {
            await("room in the ring", () -> sink.ring.capacity() - sink.ring.fill() >= 48);
            sink.write(signal, f * channels, 48);
        }
        sink.close();
        assertEquals(0, sink.status.overrunFrames());
        assertEquals(0, sink.status.xruns());
        assertEquals(codec.name(), sink.status.toMap().get("format"));
        assertArrayEquals(encode(codec, signal), Files.readAllBytes(out), codec + " x " + channels);

        // aplay writes the same bytes to the same kind of PCM (it appends silence at drain: compare the prefix)
        Path viaAplay = home.resolve("aplay_" + codec + ".raw");
        Files.deleteIfExists(viaAplay);
        Path input = home.resolve("aplay-in.raw");
        Files.write(input, encode(codec, signal));
        run("aplay", "-q", "-D", "aplay_" + codec, "-t", "raw", "-f", codec.name(), "-c", "" + channels, "-r",
                "" + RATE, input.toString());
        byte[] got = Files.readAllBytes(viaAplay);
        assertTrue(got.length >= Files.size(out), "aplay wrote " + got.length + " bytes");
        assertArrayEquals(Files.readAllBytes(out), Arrays.copyOf(got, (int) Files.size(out)));
    }

    @ParameterizedTest
    @CsvSource({"S16_LE, 2", "S24_3LE, 2", "S32_LE, 2", "S32_LE, 8"})
    void captureIsBitExact(PcmCodec codec, int channels) throws Exception {
        int[] signal = prbs(codec, FRAMES * channels, 100 + channels);
        Path src = home.resolve("src_" + codec + ".raw");
        Files.write(src, encode(codec, signal));
        AlsaCapture source = (AlsaCapture) backend().openInput("alsa:src_" + codec + "?format=" + codec + "&period=48",
                new AudioFormat(RATE, channels));
        int[] got = new int[signal.length];
        try {
            await("the ring to fill", () -> source.ring.fill() >= source.target);
            for (int f = 0; f < FRAMES; f += 48) {
                await("a packet's worth in the ring", () -> source.ring.fill() >= 48);
                source.read(got, f * channels, 48);
            }
        } finally {
            source.close();
        }
        assertEquals(0, source.status.underrunFrames());
        assertArrayEquals(signal, got, codec + " x " + channels);

        // arecord captures the same bytes from the same PCM
        Path rec = home.resolve("arecord_" + codec + ".raw");
        run("arecord", "-q", "-D", "src_" + codec, "-t", "raw", "-f", codec.name(), "-c", "" + channels, "-r",
                "" + RATE, "-s", "" + FRAMES, rec.toString());
        assertArrayEquals(encode(codec, signal), Files.readAllBytes(rec));
    }

    @Test
    void aPcmThatCannotOpenIsReportedAndRetried() throws Exception {
        Path later = home.resolve("later.raw");
        Files.deleteIfExists(later);
        AlsaBackend backend = backend();
        AlsaCapture source = (AlsaCapture) backend.openInput("alsa:later?format=S16_LE",
                new AudioFormat(RATE, 2));
        try {
            await("the open error", () -> source.status.state() == EndpointStatus.State.ERROR);
            assertTrue(source.status.error().contains("later"), source.status.error());
            assertEquals("error", backend.endpoints().get(0).get("state"));
            int[] buf = new int[96];
            Arrays.fill(buf, 7);
            source.read(buf, 0, 48); // silence while the device is missing
            assertArrayEquals(new int[96], buf);
            // the device "comes back": the next retry opens it, no restart
            int[] signal = prbs(PcmCodec.S16_LE, RATE * 2, 5);
            Files.write(later, encode(PcmCodec.S16_LE, signal));
            await("the retry to open", () -> source.status.state() == EndpointStatus.State.RUNNING);
            assertEquals(1, source.status.opens());
            assertEquals("", backend.endpoints().get(0).get("error"));
        } finally {
            source.close();
        }
        assertTrue(backend.endpoints().isEmpty(), "a closed endpoint leaves the status");
    }

    @Test
    void malformedIoIsRefused() {
        AlsaBackend b = backend();
        for (String io : new String[] {"alsa:", "alsa:hw:0?format=S20_LE", "alsa:hw:0?period=3", "alsa:x?speed=2"}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> b.openInput(io, new AudioFormat(RATE, 2)), io);
            assertTrue(e.getMessage().startsWith("alsa") || e.getMessage().startsWith("expected"), e.getMessage());
        }
    }

    private static void run(String... command) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin", command[0])), command[0]
                + " missing (apt-get install alsa-utils; scripts/test.sh does): its interop check is skipped");
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(home.resolve("tool.log").toFile()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " hangs");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + Files.readString(home.resolve("tool.log")));
    }
}
