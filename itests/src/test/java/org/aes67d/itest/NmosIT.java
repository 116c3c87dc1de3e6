package org.aes67d.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The NMOS node of a real daemon process (one for the class: NMOS on, Audio Device looped back, its own ports, groups
 * and PTP domain, since other tests on this host send multicast on lo at the same time).
 * <ul>
 * <li>IS-08: an activation through the Channel Mapping API changes where the audio goes. A tone source feeds sink
 * "relay" (Audio Device), the device loops capture to playback, source "mapped" sends two device channels and sink
 * "recorder" writes them to a WAV. Only the IS-08 activations bring the tone onto the recorded channels: first onto
 * channel 1 (a sink-side map change), then onto channel 0 (a source-side one).
 * <li>IS-05: a GStreamer RTP sender's SDP PATCHed to an idle receiver makes the sink record what GStreamer sends,
 * sample for sample.
 * <li>Cross-site: an IS-05 PATCH from a foreign web page is refused 403 and changes nothing; from a script it works.
 * </ul>
 */
public class NmosIT {
    private static final int FRAME = 6; // L24 stereo in the WAV
    private static final int WINDOW = 4800; // 100 ms at 48 kHz: 200 zero crossings of a 1 kHz tone

    /** What the last 100 ms of one recorded channel hold. */
    record Tail(int crossings, int peak) {
        boolean tone() {
            return crossings > 150 && crossings < 250 && peak > 1 << 21; // -6 dBFS is 2^22
        }

        boolean silent() {
            return peak < 256;
        }
    }

    static Tail tail(Path wav, int channel) throws Exception {
        if (!Files.exists(wav)) {
            return new Tail(0, -1);
        }
        byte[] b = Files.readAllBytes(wav);
        long frames = (b.length - 44) / FRAME;
        if (frames < WINDOW) {
            return new Tail(0, -1);
        }
        int start = (int) (44 + (frames - WINDOW) * FRAME) + channel * 3;
        int crossings = 0;
        int peak = 0;
        int previous = 0;
        for (int f = 0; f < WINDOW; f++) {
            int o = start + f * FRAME;
            int sample = (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8 | b[o + 2] << 16;
            peak = Math.max(peak, Math.abs(sample));
            if (f > 0 && (previous < 0) != (sample < 0)) {
                crossings++;
            }
            previous = sample;
        }
        return new Tail(crossings, peak);
    }

    private static boolean heard(Path wav, boolean toneOn0, boolean toneOn1) throws Exception {
        Tail c0 = tail(wav, 0);
        Tail c1 = tail(wav, 1);
        return (toneOn0 ? c0.tone() : c0.silent()) && (toneOn1 ? c1.tone() : c1.silent());
    }

    /** The id of the node's {@code kind} ("senders", "receivers") labelled {@code label}, once it is listed. */
    private static String idOf(Http nmos, String kind, String label) throws Exception {
        Pattern idOf = Pattern.compile("\"id\":\"([0-9a-f-]{36})\",\"version\":\"[0-9:]+\",\"label\":\""
                + Pattern.quote(label) + "\"");
        HttpResponse<String> listed = nmos.getUntil("/x-nmos/node/v1.3/" + kind,
                x -> idOf.matcher(x.body()).find(), Duration.ofSeconds(20));
        Matcher m = idOf.matcher(listed.body());
        assertTrue(listed.body(), m.find());
        return m.group(1);
    }

    private static void put(Http http, String path, String body) throws Exception {
        HttpResponse<String> r = http.send("PUT", path, body, null);
        assertEquals(path + " -> " + r.body(), 200, r.statusCode());
    }

    static String stream(String kind, String name, String io, String extra, String map) {
        return kind.equals("source")
                ? "{\"enabled\": true, \"name\": \"" + name + "\", \"io\": \"" + io + "\", \"max_samples_per_packet\": 48,"
                        + " \"codec\": \"L24\", \"address\": \"\", \"ttl\": 1, \"payload_type\": 98, \"dscp\": 34,"
                        + " \"refclk_ptp_traceable\": false, \"map\": " + map + "}"
                : "{\"name\": \"" + name + "\", \"io\": \"" + io + "\", \"use_sdp\": false, \"source\": \"" + extra
                        + "\", \"sdp\": \"\", \"delay\": 480, \"ignore_refclk_gmid\": false, \"map\": " + map + "}";
    }

    private static DaemonProcess d;
    private static int nmosPort;
    private static int rtpPort;

    @BeforeClass
    public static void startDaemon() throws Exception {
        d = DaemonProcess.inNewFolder();
        Files.createDirectories(d.dir.resolve("media"));
        nmosPort = DaemonProcess.freePort();
        rtpPort = 21000 + 2 * (int) (ProcessHandle.current().pid() % 500);
        Path conf = d.dir.resolve("daemon.conf");
        // own ports, groups and PTP domain: other tests on this host send multicast on lo at the same time
        Files.writeString(conf, Files.readString(conf)
                .replace("\"nmos_enabled\": false", "\"nmos_enabled\": true, \"nmos_dns_sd\": false")
                .replace("\"nmos_node_port\": 3218", "\"nmos_node_port\": " + nmosPort)
                .replace("\"nmos_registry_port\": 3210", "\"nmos_registry_port\": " + DaemonProcess.freePort())
                .replace("\"rtp_mcast_base\": \"239.1.0.1\"", "\"rtp_mcast_base\": \"239.15.8.1\"")
                .replace("\"rtp_port\": 5004", "\"rtp_port\": " + rtpPort)
                .replace("\"ptp_domain\": 0", "\"ptp_domain\": 15")
                .replace("\"mdns_enabled\": true", "\"mdns_enabled\": false")
                .replace("\"auto_sinks_update\": true", "\"auto_sinks_update\": false")
                .replace("\"ptp_mode\"", "\"audio_device_binding\": \"loopback\", \"ptp_mode\""));
        d.start();
        assertTrue("PTP did not lock", d.http.getUntil("/api/ptp/status",
                x -> x.body().replace(" ", "").contains("\"status\":\"locked\""), Duration.ofSeconds(60))
                .body().replace(" ", "").contains("\"status\":\"locked\""));
    }

    @AfterClass
    public static void stopDaemon() {
        if (d != null) {
            d.close();
        }
    }

    @Test
    public void anIs08ActivationMovesATone() throws Exception {
        Http http = d.http;
        String sdp = "http://127.0.0.1:" + d.port + "/api/source/sdp/";
        put(http, "/api/source/0", stream("source", "tone", "tone:1000@-6", null, "[0]"));
        put(http, "/api/sink/0", stream("sink", "relay", "Audio Device", sdp + 0, "[20]"));
        put(http, "/api/source/1", stream("source", "mapped", "Audio Device", null, "[5, 6]"));
        put(http, "/api/sink/1", stream("sink", "recorder", "file:rec.wav", sdp + 1, "[0, 1]"));
        Path wav = d.dir.resolve("media/rec.wav");
        Duration deadline = Duration.ofSeconds(40);
        assertTrue("recording silence on both channels", Poll.until(() -> heard(wav, false, false), deadline));

        Http nmos = new Http(nmosPort);
        String base = "/x-nmos/channelmapping/v1.0/";
        String outputs = nmos.get(base + "outputs/").body();
        assertTrue(outputs, outputs.contains("\"source-1/\"") && outputs.contains("\"device-capture/\"")
                && !outputs.contains("source-0"));
        assertTrue(nmos.get(base + "inputs/").body().contains("\"sink-0/\""));

        // the relay's channel leaves capture 20 for capture 6, which the loop hands to source 1's channel 1
        HttpResponse<String> r = nmos.post(base + "map/activations", "{\"activation\": {\"mode\": "
                + "\"activate_immediate\"}, \"action\": {\"device-capture\": {\"20\": {\"input\": null, "
                + "\"channel_index\": null}, \"6\": {\"input\": \"sink-0\", \"channel_index\": 0}}}}");
        assertEquals(r.body(), 200, r.statusCode());
        assertTrue("tone on channel 1 only: " + tail(wav, 0) + " " + tail(wav, 1),
                Poll.until(() -> heard(wav, false, true), deadline));
        assertTrue(http.get("/api/sinks").body().replaceAll("\\s", "").contains("\"map\":[6]"));

        // source 1 swaps its channels: the tone moves to channel 0
        r = nmos.post(base + "map/activations", "{\"activation\": {\"mode\": \"activate_immediate\"}, \"action\":"
                + " {\"source-1\": {\"0\": {\"input\": \"device-playback\", \"channel_index\": 6}, \"1\": "
                + "{\"input\": \"device-playback\", \"channel_index\": 5}}}}");
        assertEquals(r.body(), 200, r.statusCode());
        assertTrue("tone on channel 0 only: " + tail(wav, 0) + " " + tail(wav, 1),
                Poll.until(() -> heard(wav, true, false), deadline));
        assertTrue(http.get("/api/sources").body().replaceAll("\\s", "").contains("\"map\":[6,5]"));

        // refused: a source channel cannot be unrouted; nothing changes
        r = nmos.post(base + "map/activations", "{\"activation\": {\"mode\": \"activate_immediate\"}, \"action\":"
                + " {\"source-1\": {\"0\": {\"input\": null, \"channel_index\": null}}}}");
        assertEquals(r.body(), 400, r.statusCode());
        assertTrue(http.get("/api/sources").body().replaceAll("\\s", "").contains("\"map\":[6,5]"));
    }

    @Test
    public void aGstreamerSdpPatchedToAReceiverIsRecordedSampleForSample() throws Exception {
        assumeTrue("gst-launch-1.0 missing (scripts/test.sh installs GStreamer): IS-05 with GStreamer skipped",
                Files.isExecutable(Path.of("/usr/bin/gst-launch-1.0")));
        Http http = d.http;
        put(http, "/api/sink/2", stream("sink", "nmos rx", "file:gst.wav", "", "[0, 1]")); // idle until connected
        Http nmos = new Http(nmosPort);
        String id = idOf(nmos, "receivers", "nmos rx");
        int port = rtpPort + 2;
        String group = "239.15.9.1";
        // as GStreamer's rtpL24pay sends it: L24, 2 channels, 1 ms packets, no PTP reference
        String sdp = "v=0\\no=- 15 1 IN IP4 127.0.0.1\\ns=gst i15\\nc=IN IP4 " + group + "/1\\nt=0 0\\nm=audio "
                + port + " RTP/AVP 98\\na=rtpmap:98 L24/48000/2\\na=ptime:1\\n";
        HttpResponse<String> r = nmos.send("PATCH", "/x-nmos/connection/v1.1/single/receivers/" + id
                + "/staged", "{\"sender_id\": null, \"master_enable\": true, \"transport_file\": {\"data\": \""
                + sdp + "\", \"type\": \"application/sdp\"}, \"activation\": {\"mode\": \"activate_immediate\"}}",
                null);
        assertEquals(r.body(), 200, r.statusCode());
        assertTrue(http.get("/api/sinks").body().contains("s=gst i15"));

        Path ref = d.dir.resolve("gst-ref.wav");
        int[] prbs = JackNetworkIT.prbs(48000 * 3, 2, 15);
        JackNetworkIT.writeWav24(ref, prbs, 2);
        String sent = run("gst-launch-1.0", "-e", "-q", "filesrc", "location=" + ref, "!", "wavparse",
                "!", "audioconvert", "!", "audio/x-raw,format=S24BE,rate=48000,channels=2", "!", "rtpL24pay",
                "pt=98", "min-ptime=1000000", "max-ptime=1000000", "!", "udpsink", "host=" + group, "port=" + port,
                "auto-multicast=true", "multicast-iface=lo", "ttl-mc=1", "sync=true");
        assertTrue(sent, sent.startsWith("exit 0"));
        Path rec = d.dir.resolve("media/gst.wav");
        int[][] matched = new int[1][];
        // every frame with sound must be the reference's (matchedRuns fails on any other); the last packets may
        // still be in the sink's playout buffer when GStreamer exits
        Poll.until(() -> {
            matched[0] = JackNetworkIT.matchedRuns(prbs, JackNetworkIT.readWav(rec), 2);
            return matched[0][0] >= 48000 * 3 - 480;
        }, Duration.ofSeconds(10));
        System.out.println("[figure] GStreamer -> IS-05 PATCH -> sink -> WAV: " + matched[0][0] + " of " + 48000 * 3
                + " frames bit-exact in " + matched[0][1] + " run(s)");
        assertTrue("at least 2 of the 3 s bit-exact, got " + matched[0][0] + " frames", matched[0][0] >= 48000 * 2);
    }

    /**
     * IS-05 scheduled activation, judged on the wire: a disabled tone source's sender is activated
     * ({@code master_enable: true}, {@code activate_scheduled_absolute}) for a PTP time 3 s ahead, and the first RTP
     * packet of its group must carry the media clock position of that time (our sources: RTP timestamp = PTP
     * time x rate mod 2^32, {@code mediaclk:direct=0}) rounded up to a packet boundary, i.e. within one packet's
     * frames. The timestamp is the engine's, not the arrival time: the engine starts the stream's timeline at the
     * requested time even when the activation thread runs late (it then sends the packets since then at once), so
     * a host stall of up to a second cannot move it. What a longer stall breaks (the engine sends back at most 1 s,
     * or the scheduling PATCH itself arrives after the time) skips the test with its figures.
     */
    @Test
    public void aScheduledSenderActivationStartsTheStreamAtItsPtpTime() throws Exception {
        Http http = d.http;
        String group = "239.15.10.1";
        put(http, "/api/source/4", "{\"enabled\": false, \"name\": \"scheduled tx\", \"io\": \"tone:1000@-6\","
                + " \"max_samples_per_packet\": 48, \"codec\": \"L24\", \"address\": \"" + group + "\", \"ttl\": 1,"
                + " \"payload_type\": 98, \"dscp\": 34, \"refclk_ptp_traceable\": false, \"map\": [0, 1]}");
        Http nmos = new Http(nmosPort);
        String id = idOf(nmos, "senders", "scheduled tx");
        String staged = "/x-nmos/connection/v1.1/single/senders/" + id + "/staged";
        final int fpp = 48;
        final int rate = 48000;

        // bound to the group (not the wildcard): only this source's packets, none of the other tests' streams
        try (DatagramChannel rx = DatagramChannel.open(StandardProtocolFamily.INET)) {
            rx.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            rx.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            rx.bind(new InetSocketAddress(group, rtpPort));
            rx.join(InetAddress.getByName(group), NetworkInterface.getByName("lo"));
            rx.configureBlocking(false);
            ByteBuffer b = ByteBuffer.allocate(2048);
            assertEquals("the disabled source sends nothing", null, rx.receive(b));

            // the daemon's PTP time now: an immediate activation answers with it (the source stays disabled); it
            // is read as the request arrives, so the local time before sending is the closer one
            long nowLocal = System.nanoTime();
            HttpResponse<String> r = nmos.send("PATCH", staged, "{\"master_enable\": false, \"activation\": "
                    + "{\"mode\": \"activate_immediate\"}}", null);
            assertEquals(r.body(), 200, r.statusCode());
            Matcher t = Pattern.compile("\"activation_time\"\\s*:\\s*\"([0-9]+:[0-9]+)\"").matcher(r.body());
            assertTrue(r.body(), t.find());
            long ptpNow = tai(t.group(1));
            long at = ptpNow + 3_000_000_000L;
            String requested = at / 1_000_000_000L + ":" + at % 1_000_000_000L;
            r = nmos.send("PATCH", staged, "{\"master_enable\": true, \"activation\": {\"mode\": "
                    + "\"activate_scheduled_absolute\", \"requested_time\": \"" + requested + "\"}}", null);
            long patched = System.nanoTime() - nowLocal;
            assertEquals(r.body(), 202, r.statusCode());
            assumeTrue("the scheduling PATCH took " + patched / 1_000_000 + " ms of the 3 s ahead (host stall): "
                    + "skipped", patched < 2_500_000_000L);

            // the first packet (the socket was joined before the activation: nothing before it is missed)
            SocketAddress from = null;
            try (Selector selector = Selector.open()) {
                rx.register(selector, SelectionKey.OP_READ);
                long deadline = nowLocal + 30_000_000_000L;
                for (long left = deadline - System.nanoTime(); from == null && left > 0;
                        left = deadline - System.nanoTime()) {
                    selector.select(Math.max(1, left / 1_000_000));
                    b.clear();
                    from = rx.receive(b);
                }
            }
            // an estimate only (the reply's way back counts as lateness): printed, never asserted
            long arrivedLate = System.nanoTime() - nowLocal - (at - ptpNow);
            assertTrue("no RTP packet within 30 s of the activation", from != null);
            byte[] p = b.array();
            boolean marker = (p[1] & 0x80) != 0;
            long timestamp = ((p[4] & 0xFFL) << 24) | ((p[5] & 0xFFL) << 16) | ((p[6] & 0xFFL) << 8) | (p[7] & 0xFFL);
            long wanted = (Math.floorDiv(at, 1_000_000_000L) * rate + Math.floorMod(at, 1_000_000_000L) * rate
                    / 1_000_000_000L) & 0xFFFF_FFFFL;
            long off = (timestamp - wanted) << 32 >> 32; // signed difference mod 2^32
            String metrics = http.get("/metrics").body();
            long skipped = counter(metrics, "aes67d_source_skipped_packets_total", "4");
            long late = counter(metrics, "aes67d_source_late_packets_total", "4");
            System.out.printf("[figure] IS-05 scheduled sender activation: first packet's RTP timestamp %d frames "
                    + "after the requested PTP time's media position (one packet: %d frames); it arrived about %.1f ms "
                    + "after that time; %d packets sent over 1 ms late (catching up), %d skipped%n", off, fpp,
                    arrivedLate / 1e6, late, skipped);
            assertTrue("the first packet of the stream (marker set)", marker);
            // a stall of over a second: the engine sends back at most 1 s (SourceStream.MAX_AGE_MILLIS) and counts
            // the packets it skipped; reported, not asserted
            assumeTrue("first packet " + off + " frames from the requested time, " + skipped + " packets skipped "
                    + "after a stall: skipped", (off >= 0 && off < fpp) || skipped == 0);
            assertTrue("the first packet carries the requested time's position within one packet: " + off
                    + " frames", off >= 0 && off < fpp);
        }
    }

    /** A counter of source {@code id} in the Prometheus text, -1 if absent. */
    private static long counter(String metrics, String name, String id) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{id=\"" + id + "\"[^}]*\\} ([0-9.eE+]+)$").matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    private static long tai(String version) {
        String[] p = version.split(":");
        return Long.parseLong(p[0]) * 1_000_000_000L + Long.parseLong(p[1]);
    }

    /**
     * A web page of another site cannot re-point a receiver: the NMOS port applies the security bundle's policy
     * (default {@code http_allowed_origins}: none). The same PATCH from a script works.
     */
    @Test
    public void aForeignPageCannotPatchAReceiver() throws Exception {
        put(d.http, "/api/sink/3", stream("sink", "cross rx", "file:cross.wav", "", "[0, 1]"));
        Http nmos = new Http(nmosPort);
        String id = idOf(nmos, "receivers", "cross rx");
        String staged = "http://127.0.0.1:" + nmosPort + "/x-nmos/connection/v1.1/single/receivers/" + id
                + "/staged";
        String before = nmos.get(staged.substring(staged.indexOf("/x-nmos"))).body();
        String patch = "{\"master_enable\": true, \"transport_file\": {\"data\": \"v=0\\no=- 16 1 IN IP4 "
                + "127.0.0.1\\ns=cross i18\\nc=IN IP4 239.15.9.2/1\\nt=0 0\\nm=audio " + (rtpPort + 4)
                + " RTP/AVP 98\\na=rtpmap:98 L24/48000/2\\na=ptime:1\\n\", \"type\": \"application/sdp\"}, "
                + "\"activation\": {\"mode\": \"activate_immediate\"}}";
        // what a page's fetch() sends: no preflight for text/plain, but the browser names the page
        HttpRequest evil = HttpRequest.newBuilder(URI.create(staged)).timeout(Duration.ofSeconds(10))
                .header("Origin", "http://evil.example").header("Content-Type", "text/plain")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(patch)).build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(evil, HttpResponse.BodyHandlers.ofString());
        assertEquals(r.body(), 403, r.statusCode());
        assertTrue(r.body(), r.body().startsWith("cross-site request refused"));
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertTrue(r.headers().map().toString(), r.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        assertEquals("staged unchanged", before, nmos.get(staged.substring(staged.indexOf("/x-nmos"))).body());
        assertTrue("the sink is not re-pointed", !d.http.get("/api/sinks").body().contains("s=cross i18"));
        String metrics = d.http.get("/metrics").body();
        assertTrue("counted: " + metrics, Pattern.compile(
                "(?m)^aes67d_refused_total\\{kind=\"cross_site\",subsystem=\"nmos\"\\} 1(\\.0)?$")
                .matcher(metrics).find());

        r = nmos.send("PATCH", staged.substring(staged.indexOf("/x-nmos")), patch, null);
        assertEquals(r.body(), 200, r.statusCode());
        assertTrue(d.http.get("/api/sinks").body().contains("s=cross i18"));
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timeout";
        }
        return "exit " + p.exitValue() + "\n" + new String(p.getInputStream().readAllBytes());
    }
}
