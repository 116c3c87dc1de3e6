package org.aes67d.util.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.aes67d.api.session.Sink;
import org.aes67d.api.session.Source;
import org.junit.jupiter.api.Test;

class StreamJsonTest {
    private static Map<String, Object> sourceJson() {
        Map<String, Object> m = new HashMap<>();
        m.put("enabled", true);
        m.put("name", "ALSA Source 0");
        m.put("io", "Audio Device");
        m.put("max_samples_per_packet", 48);
        m.put("codec", "L24");
        m.put("address", "");
        m.put("ttl", 15);
        m.put("payload_type", 98);
        m.put("dscp", 34);
        m.put("refclk_ptp_traceable", false);
        m.put("map", List.of(0, 1));
        return m;
    }

    @Test
    void sourceRoundTrips() throws Exception {
        Source s = StreamJson.source(3, sourceJson());
        assertEquals(new Source(3, true, "ALSA Source 0", "Audio Device", 48, "L24", "", 15, 98, 34, false, List.of(0, 1)), s);
        Map<String, Object> out = StreamJson.source(s, "239.1.0.4");
        assertEquals("239.1.0.4", out.get("address"));
        assertEquals(3, out.get("id"));
        out.put("address", "");
        assertEquals(s, StreamJson.source(3, out));
    }

    @Test
    void missingKeysAndWrongTypesAreNamed() {
        for (String key : List.of("enabled", "name", "io", "max_samples_per_packet", "codec", "ttl", "payload_type",
                "dscp", "refclk_ptp_traceable", "map")) {
            Map<String, Object> m = sourceJson();
            m.remove(key);
            assertEquals("missing key \"" + key + "\"",
                    assertThrows(JsonShapeException.class, () -> StreamJson.source(0, m)).getMessage());
        }
        Map<String, Object> m = sourceJson();
        m.put("ttl", "15");
        assertEquals("\"ttl\" must be an integer", assertThrows(JsonShapeException.class, () -> StreamJson.source(0, m)).getMessage());
        m.put("ttl", 15);
        m.put("map", List.of(0, "1"));
        assertEquals("\"map\" must be an array of integers", assertThrows(JsonShapeException.class, () -> StreamJson.source(0, m)).getMessage());
        m.put("map", List.of(0, 1));
        m.put("enabled", 1);
        assertEquals("\"enabled\" must be a boolean", assertThrows(JsonShapeException.class, () -> StreamJson.source(0, m)).getMessage());
        m.put("enabled", true);
        m.put("ttl", 1L << 40);
        assertEquals("\"ttl\" must be an integer", assertThrows(JsonShapeException.class, () -> StreamJson.source(0, m)).getMessage());
    }

    @Test
    void sinkNeedsSdpOnlyWhenUsingIt() throws Exception {
        Map<String, Object> m = new HashMap<>(Map.of("name", "s", "io", "Audio Device", "use_sdp", false,
                "source", "http://127.0.0.1:8080/api/source/sdp/0", "delay", 576, "ignore_refclk_gmid", false,
                "map", List.of(0, 1)));
        Sink sink = StreamJson.sink(1, m);
        assertEquals("", sink.sdp());
        assertEquals(sink, StreamJson.sink(1, StreamJson.sink(sink)));
        m.put("use_sdp", true);
        assertEquals("missing key \"sdp\"", assertThrows(JsonShapeException.class, () -> StreamJson.sink(1, m)).getMessage());
    }
}
