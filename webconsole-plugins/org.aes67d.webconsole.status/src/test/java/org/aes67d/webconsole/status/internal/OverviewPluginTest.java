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
}
