package org.aes67d.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.Test;

/**
 * IS-08 on a real daemon: an activation through the NMOS Channel Mapping API changes where the audio goes. A tone
 * source feeds sink "relay" (Audio Device), the device loops capture to playback, source "mapped" sends two device
 * channels and sink "recorder" writes them to a WAV. Only the IS-08 activations bring the tone onto the recorded
 * channels: first onto channel 1 (a sink-side map change), then onto channel 0 (a source-side one).
 */
public class ChannelMappingIT {
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

    @Test
    public void anActivationMovesATone() throws Exception {
        try (DaemonProcess d = DaemonProcess.inNewFolder()) {
            Files.createDirectories(d.dir.resolve("media"));
            int nmosPort = DaemonProcess.freePort();
            Path conf = d.dir.resolve("daemon.conf");
            // own ports, groups and PTP domain: other tests on this host send multicast on lo at the same time
            Files.writeString(conf, Files.readString(conf)
                    .replace("\"nmos_enabled\": false", "\"nmos_enabled\": true, \"nmos_dns_sd\": false")
                    .replace("\"nmos_node_port\": 3218", "\"nmos_node_port\": " + nmosPort)
                    .replace("\"nmos_registry_port\": 3210", "\"nmos_registry_port\": " + DaemonProcess.freePort())
                    .replace("\"rtp_mcast_base\": \"239.1.0.1\"", "\"rtp_mcast_base\": \"239.15.8.1\"")
                    .replace("\"rtp_port\": 5004", "\"rtp_port\": " + (21000 + 2 * (ProcessHandle.current().pid() % 500)))
                    .replace("\"ptp_domain\": 0", "\"ptp_domain\": 15")
                    .replace("\"mdns_enabled\": true", "\"mdns_enabled\": false")
                    .replace("\"auto_sinks_update\": true", "\"auto_sinks_update\": false")
                    .replace("\"ptp_mode\"", "\"audio_device_binding\": \"loopback\", \"ptp_mode\""));
            d.start();
            Http http = d.http;
            assertTrue("PTP did not lock", http.getUntil("/api/ptp/status",
                    x -> x.body().replace(" ", "").contains("\"status\":\"locked\""), Duration.ofSeconds(60))
                    .body().replace(" ", "").contains("\"status\":\"locked\""));
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
    }
}
