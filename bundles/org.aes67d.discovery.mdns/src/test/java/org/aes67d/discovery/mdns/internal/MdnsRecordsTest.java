package org.aes67d.discovery.mdns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.aes67d.api.session.Sink;
import org.aes67d.discovery.mdns.internal.MdnsBackend.Found;
import org.aes67d.discovery.mdns.internal.MdnsBackend.ServiceSpec;
import org.junit.jupiter.api.Test;

class MdnsRecordsTest {
    @Test
    void sourceIsARavennaSession() {
        ServiceSpec s = MdnsRecords.source("Daemon 007f0100 mic", 8854);
        assertEquals("_rtsp._tcp.local.", s.type());
        assertEquals("Daemon 007f0100 mic", s.name());
        assertEquals("_ravenna_session", s.subtype());
        assertEquals(8854, s.port());
        assertEquals(Map.of("path", "/by-name/Daemon 007f0100 mic"), s.txt());
    }

    @Test
    void sessionNameComesFromTheSdp() {
        assertEquals("Daemon 007f0100 mic", MdnsRecords.sessionName("v=0\r\ns=Daemon 007f0100 mic\r\n", "x", "y"));
        assertEquals("node src", MdnsRecords.sessionName("v=0\n", "node", "src"));
    }

    @Test
    void longNamesAreCutToOneLabelButThePathStaysWhole() {
        String name = "Daemon 007f0100 " + "é".repeat(40); // 16 + 80 bytes
        ServiceSpec s = MdnsRecords.source(name, 8854);
        assertTrue(s.name().getBytes(StandardCharsets.UTF_8).length <= 63);
        assertEquals(16 + 2 * 23, s.name().getBytes(StandardCharsets.UTF_8).length, "cut at a character boundary");
        assertTrue(name.startsWith(s.name()));
        assertEquals("/by-name/" + name, s.txt().get("path"));
        assertEquals(Map.of(), MdnsRecords.source("x".repeat(300), 8854).txt(), "left out, never cut");
    }

    @Test
    void nodeIsARavennaHttpService() {
        ServiceSpec n = MdnsRecords.node("Daemon 007f0100", 8080);
        assertEquals("_http._tcp.local.", n.type());
        assertEquals("_ravenna", n.subtype());
        assertEquals(8080, n.port());
        assertEquals("Daemon 007f0100", n.name());
    }

    @Test
    void sinkRecordDescribesWhatItReceives() {
        Sink sink = new Sink(3, "monitor", "io", true, "rtsp://10.0.0.5:8854/by-name/X",
                "v=0\r\no=- 1311738121 1311738122 IN IP4 10.0.0.5\r\ns=Desk mic\r\nc=IN IP4 239.69.1.1/32\r\n", 96,
                false, List.of(0, 1));
        ServiceSpec s = MdnsRecords.sink(sink, "Daemon 007f0100", 8080);
        assertEquals("_aes67d-sink._tcp.local.", s.type());
        assertEquals("", s.subtype());
        assertEquals("Daemon 007f0100 monitor", s.name());
        assertEquals(Map.of("txtvers", "1", "id", "3", "node", "Daemon 007f0100", "path", "/api/sink/status/3",
                "channels", "2", "source", "rtsp://10.0.0.5:8854/by-name/X", "origin", "- 1311738121 10.0.0.5",
                "session", "Desk mic", "connection", "IN IP4 239.69.1.1/32"), s.txt());
        Sink empty = new Sink(4, "idle", "io", false, "", "", 0, false, List.of(0));
        assertEquals(Map.of("txtvers", "1", "id", "4", "node", "n", "path", "/api/sink/status/4", "channels", "1"),
                MdnsRecords.sink(empty, "n", 8080).txt());
    }

    @Test
    void txtValuesFitOneString() {
        String v = MdnsRecords.txtValue("source", "x".repeat(300));
        assertEquals(255 - "source=".length(), v.length());
    }

    @Test
    void describeUrlOfAFoundSession() {
        Found withPath = new Found("_rtsp._tcp.local.", "my stream", "local", List.of("10.77.0.1"), 8554,
                Map.of("path", "/by-name/my stream"));
        assertEquals("rtsp://10.77.0.1:8554/by-name/my%20stream", MdnsRecords.describeUrl(withPath));
        Found encoded = new Found("_rtsp._tcp.local.", "x", "local", List.of("10.77.0.1"), 8554,
                Map.of("path", "/by-name/my%20stream"));
        assertEquals("rtsp://10.77.0.1:8554/by-name/my%20stream", MdnsRecords.describeUrl(encoded));
        Found noPath = new Found("_rtsp._tcp.local.", "Daemon 0a4d0100 mic", "local", List.of("10.77.0.1"), 8854,
                Map.of());
        assertEquals("rtsp://10.77.0.1:8854/by-name/Daemon%200a4d0100%20mic", MdnsRecords.describeUrl(noPath));
        assertNull(MdnsRecords.describeUrl(new Found("t", "n", "local", List.of(), 8854, Map.of())));
        // the C++ daemon's id of an mDNS session: CRC-16/CCITT-FALSE of the SDP, lower-case hex, no padding
        assertEquals("rtsp:29b1", RemoteSessions.id("123456789"));
        assertEquals("rtsp:ffff", RemoteSessions.id(""));
    }
}
