package org.aes67d.webconsole.status.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import org.aes67d.api.ptp.PtpStatus;
import org.junit.jupiter.api.Test;

class OverviewPluginTest {

    @Test
    void valuesFromOutsideAreShownAsText() {
        StringWriter s = new StringWriter();
        Map<String, Object> cfg = Map.of("node_id", "<img src=x onerror=alert(1)>", "interface_name", "lo",
                "ip_addr", "127.0.0.1", "mac_addr", "00:00:00:00:00:00", "sample_rate", 48000, "ptp_domain", 0,
                "ptp_dscp", 48);
        OverviewPlugin.render(new PrintWriter(s), "0.1.0", "/etc/daemon.conf", cfg, PtpStatus.unlocked(), false);
        String html = s.toString();
        assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"), html);
        assertFalse(html.contains("<img"), html);
        assertTrue(html.contains("unlocked (no PTP bundle running)"), html);
    }

    @Test
    void audioBindingsShowStateLatencyAndDrift() {
        StringWriter s = new StringWriter();
        Map<String, Object> e = new java.util.LinkedHashMap<>();
        e.put("io", "alsa:<hw:1,0>");
        e.put("direction", "capture");
        e.put("state", "error");
        e.put("error", "snd_pcm_open on \"hw:1,0\": No such device");
        e.put("format", "S32_LE");
        e.put("period_frames", 96);
        e.put("buffer_frames", 384);
        e.put("latency_ms", 12.0);
        e.put("drift_ppm", -12.5);
        e.put("resampler", "resampling");
        e.put("resampler_ratio", 0.9999875);
        e.put("xruns", 2);
        e.put("underrun_frames", 0);
        e.put("overrun_frames", 48);
        OverviewPlugin.renderAudio(new PrintWriter(s), java.util.List.of(e));
        String html = s.toString();
        assertTrue(html.contains("alsa:&lt;hw:1,0&gt;"), html);
        assertTrue(html.contains("error: snd_pcm_open on &quot;hw:1,0&quot;: No such device")
                || html.contains("error: snd_pcm_open on \"hw:1,0\": No such device"), html);
        assertTrue(html.contains("-12.5 ppm") && html.contains("12.0 ms") && html.contains("S32_LE / 96 / 384"), html);
        StringWriter none = new StringWriter();
        OverviewPlugin.renderAudio(new PrintWriter(none), java.util.List.of());
        assertTrue(none.toString().contains("none"), none.toString());
    }
}
