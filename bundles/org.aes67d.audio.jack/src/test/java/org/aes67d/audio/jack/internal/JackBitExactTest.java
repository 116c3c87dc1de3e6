package org.aes67d.audio.jack.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.aes67d.api.audio.AudioFormat;
import org.aes67d.util.audio.EndpointStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against a private {@code jackd -d dummy}: our ports as other JACK clients see them, a PRBS played by GStreamer's
 * jackaudiosink into a source's ports reaches the engine side bit-exact, a sink's audio reaches jack_rec
 * bit-exact (a stalled host may cut the audio into runs, which are printed; no frame may differ), and with no
 * server the stream is an error and silent.
 */
class JackBitExactTest {
    private static final int RATE = 48000;
    private static final long DEADLINE = TimeUnit.SECONDS.toNanos(20);
    private static JackServer server;

    @BeforeAll
    static void jackd() throws Exception {
        server = JackServer.start(RATE, 256);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static JackBackend backend(String serverName, String clientName) {
        return backend(serverName, clientName, 20);
    }

    static JackBackend backend(String serverName, String clientName, int marginMillis) {
        return new JackBackend(new JackBackend.Config() {
            @Override public Class<? extends Annotation> annotationType() { return JackBackend.Config.class; }
            @Override public String client_name() { return clientName; }
            @Override public String server_name() { return serverName; }
            @Override public int margin_ms() { return marginMillis; }
            @Override public int retry_ms() { return 100; }
            @Override public String device_capture_connect() { return ""; }
            @Override public String device_playback_connect() { return ""; }
        });
    }

    static void await(String what, BooleanSupplier condition) {
        long until = System.nanoTime() + DEADLINE;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < until, "timed out waiting for " + what);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private static boolean lists(String port) {
        try {
            return Arrays.asList(server.tool("jack_lsp").output().split("\n")).contains(port);
        } catch (Exception e) {
            return false;
        }
    }

    /** jack_rec (which connects itself) is connected to {@code port}. */
    private static boolean recordedBy(String port) {
        try {
            return server.tool("jack_lsp", "-c", port).output().contains("jackrec:");
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void gstreamerPlaysIntoASourceBitExact() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gst-launch-1.0")), "gst-launch-1.0 missing (apt-get install "
                + "gstreamer1.0-tools gstreamer1.0-plugins-good; scripts/test.sh does): skipped");
        JackBackend backend = backend(server.name, "aes67d");
        JackStream in = (JackStream) backend.openInput("jack:mic", new AudioFormat(RATE, 2));
        Process gst = null;
        try {
            await("our ports", () -> lists("aes67d:mic_1") && lists("aes67d:mic_2"));
            assertEquals(EndpointStatus.State.RUNNING, in.status.state());
            int[] ref = Prbs.signal(RATE * 6, 2, 42);
            Path wav = server.dir.resolve("prbs.wav");
            Prbs.writeWav(wav, ref, 2, RATE, 24);
            gst = server.builder("gst-launch-1.0", "-q", "filesrc", "location=" + wav, "!", "wavparse", "!",
                    "audioconvert", "!", "audio/x-raw,format=F32LE", "!", "jackaudiosink", "server=" + server.name,
                    "client-name=gstplay", "connect=0").redirectOutput(server.dir.resolve("gst.log").toFile())
                    .start();
            await("GStreamer's ports", () -> lists("gstplay:out_jackaudiosink0_1"));
            assertEquals(0, server.tool("jack_connect", "gstplay:out_jackaudiosink0_1", "aes67d:mic_1").exit());
            assertEquals(0, server.tool("jack_connect", "gstplay:out_jackaudiosink0_2", "aes67d:mic_2").exit());
            // the engine's side: read 3 s in packets of 48 frames as they arrive
            int[] got = new int[RATE * 3 * 2];
            in.read(got, 0, 48); // the first read drops the backlog of the time nobody read (counted)
            long overrunsBefore = in.status.overrunFrames();
            for (int f = 0; f < RATE * 3; f += 48) {
                await("audio from JACK", () -> in.bridge.ring().fill() >= 48);
                in.read(got, f * 2, 48);
            }
            int[] m = Prbs.assertBitExact(ref, got, 2, RATE);
            System.out.println("[figure] JACK -> source: " + m[0] + " frames bit-exact in " + m[1] + " run(s)");
            // a stalled test thread lets JACK overfill the ring, which then drops (the runs above show it)
            System.out.println("[figure] frames dropped while the engine read: "
                    + (in.status.overrunFrames() - overrunsBefore));
        } finally {
            if (gst != null) {
                gst.destroy();
                gst.waitFor(5, TimeUnit.SECONDS);
            }
            in.close();
            backend.deactivate();
        }
    }

    @Test
    void aSinkPlaysToJackRecBitExact() throws Exception {
        JackBackend backend = backend(server.name, "aes67d-out");
        JackStream out = (JackStream) backend.openOutput("jack:spk", new AudioFormat(RATE, 2));
        Process rec = null;
        try {
            await("our ports", () -> lists("aes67d-out:spk_1"));
            int[] ref = Prbs.signal(RATE * 2, 2, 7);
            Path wav = server.dir.resolve("rec.wav");
            rec = server.builder("jack_rec", "-f", wav.toString(), "-d", "4", "-b", "32", "aes67d-out:spk_1",
                    "aes67d-out:spk_2").redirectOutput(server.dir.resolve("rec.log").toFile()).start();
            // jack_rec connects itself; start the audio once it does
            await("jack_rec's connection", () -> recordedBy("aes67d-out:spk_2"));
            for (int f = 0; f < RATE * 2; f += 48) {
                // as the engine would: no further ahead than the working fill allows
                await("room for the sink", () -> out.bridge.ring().fill() + 48 <= 2 * out.bridge.target());
                out.write(ref, f * 2, 48);
            }
            assertTrue(rec.waitFor(20, TimeUnit.SECONDS), "jack_rec did not finish");
            int[] m = Prbs.assertBitExact(ref, Prbs.readWav(wav), 2, RATE);
            System.out.println("[figure] sink -> JACK: " + m[0] + " frames bit-exact in " + m[1] + " run(s) in jack_rec");
            assertEquals(0, out.status.overrunFrames());
        } finally {
            if (rec != null) {
                rec.destroyForcibly();
            }
            out.close();
            backend.deactivate();
        }
    }

    /** A client of the graph that stops (SIGSTOP) cannot finish its cycle: jackd's xrun reaches our status. */
    @Test
    void aStoppedClientOfTheGraphIsAServerXrunInOurStatus() throws Exception {
        JackBackend backend = backend(server.name, "aes67d-xrun");
        JackStream out = (JackStream) backend.openOutput("jack:x", new AudioFormat(RATE, 1));
        Process rec = null;
        try {
            await("our ports", () -> lists("aes67d-xrun:x_1"));
            rec = server.builder("jack_rec", "-f", server.dir.resolve("xrun.wav").toString(), "-d", "60",
                    "aes67d-xrun:x_1").redirectOutput(server.dir.resolve("xrun.log").toFile()).start();
            await("jack_rec's connection", () -> recordedBy("aes67d-xrun:x_1"));
            long before = (Long) backend.status().get("server_xruns");
            assertEquals(0, new ProcessBuilder("kill", "-STOP", "" + rec.pid()).start().waitFor());
            try {
                await("a server xrun", () -> (Long) backend.status().get("server_xruns") > before);
            } finally {
                new ProcessBuilder("kill", "-CONT", "" + rec.pid()).start().waitFor();
            }
        } finally {
            if (rec != null) {
                rec.destroyForcibly();
            }
            out.close();
            backend.deactivate();
        }
    }

    @Test
    void noServerIsAnErrorUntilOneStarts() throws Exception {
        JackServer other = null;
        JackBackend backend = backend("i12nosuch" + ProcessHandle.current().pid(), "aes67d");
        JackStream in = (JackStream) backend.openInput("jack:late", new AudioFormat(RATE, 1));
        try {
            await("the error", () -> in.status.state() == EndpointStatus.State.ERROR);
            assertTrue(in.status.error().contains("JACK server"), in.status.error());
            assertEquals(Boolean.FALSE, backend.status().get("active"));
            int[] buf = {5, 5};
            in.read(buf, 0, 2);
            assertEquals(0, buf[0] | buf[1], "silence while there is no server");
        } finally {
            in.close();
            backend.deactivate();
        }
    }
}
