package org.aes67d.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class CppJsonTest {
    @Test
    void keyColonSpaceValueAsTheCppDaemonWrites() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", "bondagit-4.0");
        m.put("map", List.of(0, 1));
        String text = new ObjectMapper().writer(CppJson.printer()).writeValueAsString(m);
        assertEquals("{\n  \"version\": \"bondagit-4.0\",\n  \"map\": [ 0, 1 ]\n}", text.replace("\r\n", "\n"));
    }

    @Test
    void configKeysComeInTheCppOrderThenOurs() {
        Map<String, Object> ours = new LinkedHashMap<>();
        ours.put("ip_addr", "127.0.0.1");
        ours.put("audio_device_binding", "null");
        ours.put("node_id", "Daemon 007f0100");
        ours.put("http_port", 8080);
        ours.put("custom_node_id", "");
        assertEquals(List.of("http_port", "custom_node_id", "node_id", "ip_addr", "audio_device_binding"),
                List.copyOf(CppJson.configOrder(ours).keySet()));
    }
}
