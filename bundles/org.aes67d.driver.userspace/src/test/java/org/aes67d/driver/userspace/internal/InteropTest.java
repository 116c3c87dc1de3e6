package org.aes67d.driver.userspace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Against real peers on lo: GStreamer receives our sources and sends to our sinks; ffmpeg receives a source from
 * its SDP. Each comparison is bit-exact, by our comparator and, where the test bed is there, by compare-wav.py.
 * Skipped (with the apt line to fix it) where the tools are missing.
 */
class InteropTest {
    /**
     * Our sink's delay and the stall margin (ms): beyond any stall of a loaded host (GStreamer runs at normal
     * priority, and a late burst from either sender must still be in time), so these tests check bit-exactness.
     */
    private static final int LATENCY_MS = 250;
    /**
     * GStreamer's jitter buffer (ms) when it receives our source: GStreamer, a normal process, is itself held up on
     * a loaded host (its side has no stall counter), and what it then reads later than this it drops.
     */
    private static final int GST_LATENCY_MS = 1000;
    private static final int GST_SOCKET_BUFFER = 4 << 20;

    private static final String APT = "apt-get install -y --no-install-recommends gstreamer1.0-tools "
            + "gstreamer1.0-plugins-base gstreamer1.0-plugins-good ffmpeg python3";

    @TempDir
    Path media;

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    @BeforeAll
    static void tools() {
        assumeTrue(onPath("gst-launch-1.0"), "gst-launch-1.0 not installed: " + APT);
    }

    /** compare-wav.py of the shared test bed, if this checkout has it (-Daes67d.testbed=DIR elsewhere). */
    static Path compareWav() {
        Path dir = Path.of(System.getProperty("aes67d.testbed", "../../../shared/testbed"));
        Path p = dir.resolve("compare-wav.py");
        return Files.isRegularFile(p) && onPath("python3") ? p : null;
    }

    /**
     * GStreamer maps WAV channel layouts to RTP's default order for more than 2 channels: with 8 channels, WAV
     * channels 4-5 and 6-7 change places on the wire (both ways, so GStreamer to GStreamer looks bit-exact; the
     * test bed notes the same for ffmpeg). Our engine is channel-transparent, so the WAV that GStreamer reads or
     * writes is the reference with this permutation applied (it is its own inverse).
     */
    static int[] gstLayout(int[] s, int channels) {
        if (channels != 8) {
            return s;
        }
        int[] perm = {0, 1, 2, 3, 6, 7, 4, 5};
        int[] out = new int[s.length];
        for (int f = 0; f < s.length / 8; f++) {
            for (int c = 0; c < 8; c++) {
                out[f * 8 + c] = s[f * 8 + perm[c]];
            }
        }
        return out;
    }

    static String run(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return "exit " + p.exitValue() + "\n" + out;
    }

    static void checkWithCompareWav(Path ref, Path rx) throws Exception {
        Path py = compareWav();
        if (py != null) {
            String out = run(List.of("python3", py.toString(), ref.toString(), rx.toString()), 120);
            assertTrue(out.startsWith("exit 0") && out.contains("RESULT: PASS"), "compare-wav.py:\n" + out);
        }
    }

    static List<String> gst(String pipeline) {
        List<String> cmd = new ArrayList<>(List.of("gst-launch-1.0", "-e", "-q"));
        for (String part : pipeline.trim().split("\\s+")) {
            cmd.add(part);
        }
        return cmd;
    }

    @ParameterizedTest(name = "our {0} {1} ch {2} frames -> GStreamer")
    @CsvSource({"L24, 2, 48", "L24, 8, 6", "L16, 8, 48", "L16, 2, 6"})
    void gstreamerReceivesOurSourceBitExact(String codec, int channels, int fpp) throws Exception {
        int bits = codec.equals("L16") ? 16 : 24;
        Path ref = media.resolve("ref.wav");
        int[] samples = Harness.writePrbsWav(ref, 48000, channels, bits, 48000 * 8, 5);
        Path rx = media.resolve("rx.wav");
        int port = 5020 + fpp;
        String caps = "application/x-rtp,media=audio,clock-rate=48000,encoding-name=" + codec + ",channels="
                + channels + ",payload=97";
        String sender = "";
        List<String> cmd = new ArrayList<>(List.of("timeout", "-s", "INT", "-k", "5", "5"));
        // buffer-size: at 125 us packets the default 208 KB socket buffer holds 256 packets (32 ms), less than a
        // loaded host holds GStreamer up at its start (seen: exactly 256 packets, then a gap); 4 MB, as a receiver
        // of 8000 packets/s in the field sets it (capped by net.core.rmem_max)
        cmd.addAll(gst("udpsrc address=239.69.20.1 port=" + port + " buffer-size=" + GST_SOCKET_BUFFER
                + " multicast-iface=lo auto-multicast=true caps="
                + caps + " ! rtpjitterbuffer latency=" + GST_LATENCY_MS + " ! rtp" + codec + "depay ! audioconvert ! audio/x-raw,format=S"
                + bits + "LE ! wavenc ! filesink location=" + rx));
        try (Harness h = new Harness(media, false)) {
            Process gst = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            h.driver.startSource(Harness.stream(0, "239.69.20.1", port, codec, 48000, channels, fpp, 0,
                    "file:" + ref));
            assertTrue(gst.waitFor(20, TimeUnit.SECONDS), "gst-launch ends after 5 s");
            String log = new String(gst.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            h.assumeNoStallBeyond(LATENCY_MS * 48, 48000, 0);
            assertTrue(Files.size(rx) > 48000 * channels * bits / 8, "GStreamer recorded over 1 s: " + log);
            SourceStream s = h.driver.engine().source(0);
            sender = "; our source: " + s.packetsSent() + " packets, worst " + s.maxLatenessNanos() / 1000
                    + " us late, " + s.lateOverMilli() + " over 1 ms late, " + s.sendErrors() + " send errors";
        }
        int[] ch = new int[1];
        int[] rec = Harness.readWav(rx, ch);
        assertEquals(channels, ch[0]);
        int[] expected = gstLayout(samples, channels);
        Harness.Comparison c = Harness.compareLooped(expected, rec, channels, bits == 16 ? 0xFFFF0000 : 0xFFFFFF00);
        assertTrue(c.bitExact() && c.compared() > 48000L * channels, c + sender);
        Path refGst = media.resolve("ref-gst.wav");
        Harness.writeWav(refGst, 48000, channels, bits, expected);
        checkWithCompareWav(refGst, rx);
    }

    @ParameterizedTest(name = "GStreamer {0} {1} ch {2} us -> our sink")
    @CsvSource({"L24, 2, 1000", "L16, 8, 125", "L24, 8, 1000"})
    void ourSinkRecordsAGstreamerSenderBitExact(String codec, int channels, int ptimeUs) throws Exception {
        int bits = codec.equals("L16") ? 16 : 24;
        int fpp = 48 * ptimeUs / 1000;
        Path ref = media.resolve("ref.wav");
        int[] samples = Harness.writePrbsWav(ref, 48000, channels, bits, 48000 * 3, 6);
        Path refGst = media.resolve("ref-gst.wav"); // what GStreamer reads, so that the wire carries ref
        Harness.writeWav(refGst, 48000, channels, bits, gstLayout(samples, channels));
        Path out = media.resolve("out.wav");
        int port = 5030 + channels;
        try (Harness h = new Harness(media, false)) {
            h.driver.startSink(Harness.stream(0, "239.69.21.1", port, codec, 48000, channels, fpp, LATENCY_MS * 48,
                    "file:" + out));
            String log = run(gst("filesrc location=" + refGst + " ! wavparse ! audioconvert ! audio/x-raw,format=S"
                    + bits + "BE,rate=48000,channels=" + channels + " ! rtp" + codec + "pay pt=97 min-ptime="
                    + ptimeUs * 1000 + " max-ptime=" + ptimeUs * 1000 + " ! udpsink host=239.69.21.1 port=" + port
                    + " auto-multicast=true multicast-iface=lo ttl-mc=1 sync=true"), 30);
            assertTrue(log.startsWith("exit 0"), log);
            SinkStream sink = h.driver.engine().sink(0);
            long end = sink.buffer().highestEnd();
            Harness.await(() -> sink.buffer().readPosition() >= end, 5, "playout of the last packet");
            h.assumeNoStallBeyond(LATENCY_MS * 48, 48000, 0);
            assertFalse(sink.aligned(), "GStreamer's timestamps are not PTP time: free-running");
            assertEquals(0, sink.buffer().concealedFrames() + sink.buffer().lateFrames());
            h.assumeRecordingComplete(0);
            h.driver.stopSink(0);
        }
        int[] ch = new int[1];
        int[] rec = Harness.readWav(out, ch);
        Harness.Comparison c = Harness.compareLooped(samples, rec, channels, bits == 16 ? 0xFFFF0000 : 0xFFFFFF00);
        assertTrue(c.bitExact(), c.toString());
        assertTrue(c.compared() >= 48000L * 29 / 10 * channels, "nearly all of the 3 s arrived: " + c);
        checkWithCompareWav(ref, out);
    }

    @Test
    void ffmpegReceivesOurSourceFromItsSdp() throws Exception {
        assumeTrue(onPath("ffmpeg"), "ffmpeg not installed: " + APT);
        Path ref = media.resolve("ref.wav");
        int[] samples = Harness.writePrbsWav(ref, 48000, 2, 24, 48000 * 8, 7);
        Path sdp = media.resolve("s.sdp");
        // unicast: ffmpeg joins groups on the default route's interface, which is not lo on most hosts
        Files.writeString(sdp, "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=aes67d test\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 5040 RTP/AVP 97\r\na=rtpmap:97 L24/48000/2\r\na=ptime:1\r\n"
                + "a=ts-refclk:ptp=IEEE1588-2008:00-11-22-FF-FE-33-44-55:0\r\na=mediaclk:direct=0\r\n");
        Path rx = media.resolve("rx-ffmpeg.wav");
        try (Harness h = new Harness(media, false)) {
            Process ff = new ProcessBuilder("timeout", "-s", "INT", "-k", "5", "4", "ffmpeg", "-hide_banner",
                    "-nostdin", "-loglevel", "error", "-protocol_whitelist", "file,udp,rtp", "-i", sdp.toString(),
                    "-c:a", "pcm_s24le", "-y", rx.toString()).redirectErrorStream(true).start();
            h.driver.startSource(Harness.stream(0, "127.0.0.1", 5040, "L24", 48000, 2, 48, 0, "file:" + ref));
            assertTrue(ff.waitFor(20, TimeUnit.SECONDS));
        }
        int[] ch = new int[1];
        int[] rec = Harness.readWav(rx, ch);
        Harness.Comparison c = Harness.compareLooped(samples, rec, 2, 0xFFFFFF00);
        assertTrue(c.bitExact() && c.compared() > 48000L * 2, c.toString());
    }
}
