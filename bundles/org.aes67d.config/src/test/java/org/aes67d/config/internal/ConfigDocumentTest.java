package org.aes67d.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.aes67d.api.config.InvalidConfigException;
import org.aes67d.api.config.OperatorOnlyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;

class ConfigDocumentTest {
    private static final ConfigSchema SCHEMA = ConfigSchema.daemon();
    private static final NodeIdentity LOOPBACK = new NodeIdentity("127.0.0.1", "00:00:00:00:00:00", "Daemon 007f0100");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] cppDefaultFile() throws IOException {
        try (InputStream in = ConfigDocumentTest.class.getResourceAsStream("/cpp-daemon.conf")) {
            return in.readAllBytes();
        }
    }

    @Test
    void cppDefaultFileRoundTripsUnchanged() throws Exception {
        byte[] original = cppDefaultFile();
        ConfigDocument doc = ConfigDocument.parse(SCHEMA, original);
        assertEquals(8080, doc.getInt("http_port"));
        assertEquals("lo", doc.getString("interface_name"));
        Map<String, Object> written = JSON.readValue(doc.toJson(LOOPBACK), Map.class);
        Map<String, Object> expected = JSON.readValue(original, Map.class);
        // Every key of the C++ file comes back with the same value; ours are added with their defaults.
        expected.forEach((k, v) -> assertEquals(v, written.get(k), k));
        assertEquals("admin", written.get("webconsole_user"));
        // Writing what we read gives the same bytes again.
        ConfigDocument again = ConfigDocument.parse(SCHEMA, doc.toJson(LOOPBACK));
        assertEquals(new String(doc.toJson(LOOPBACK), StandardCharsets.UTF_8),
                new String(again.toJson(LOOPBACK), StandardCharsets.UTF_8));
    }

    @Test
    void defaultsMatchTheCppDefaultFile() throws Exception {
        ConfigDocument parsed = ConfigDocument.parse(SCHEMA, cppDefaultFile());
        ConfigDocument defaults = ConfigDocument.defaults(SCHEMA);
        assertEquals(parsed.effective(LOOPBACK), defaults.effective(LOOPBACK));
    }

    @Test
    void unknownKeysAreKeptInOrderAndWrittenBack() throws Exception {
        String text = "{\"http_port\": 9090, \"future_key\": {\"a\": [1, 2]}, \"another\": \"x\"}";
        ConfigDocument doc = ConfigDocument.parse(SCHEMA, text.getBytes(StandardCharsets.UTF_8));
        Map<String, Object> written = JSON.readValue(doc.toJson(LOOPBACK), LinkedHashMap.class);
        assertEquals(Map.of("a", List.of(1, 2)), written.get("future_key"));
        assertEquals("x", written.get("another"));
        List<String> order = List.copyOf(written.keySet());
        assertTrue(order.indexOf("future_key") < order.indexOf("another"));
        assertEquals(9090, written.get("http_port"));
        // A kept unknown key may be changed; a new unknown key is refused as a likely typo.
        assertEquals("y", doc.with(Map.of("another", "y")).effective(LOOPBACK).get("another"));
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> doc.with(Map.of("ptp_domian", 1)));
        assertEquals("ptp_domian: unknown key", e.getMessage());
    }

    @Test
    void missingKeysTakeDefaultsAndQuotedNumbersAreAcceptedFromFiles() throws Exception {
        ConfigDocument doc = ConfigDocument.parse(SCHEMA,
                "{\"ptp_domain\": \"5\", \"mdns_enabled\": \"false\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(5, doc.getInt("ptp_domain"));
        assertEquals(false, doc.get("mdns_enabled"));
        assertEquals(48000, doc.getInt("sample_rate"));
    }

    @Test
    void derivedKeysInTheFileAreRecomputed() throws Exception {
        ConfigDocument doc = ConfigDocument.parse(SCHEMA,
                "{\"node_id\": \"Daemon deadbeef\", \"mac_addr\": \"11:22:33:44:55:66\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals("Daemon 007f0100", doc.effective(LOOPBACK).get("node_id"));
        assertEquals("00:00:00:00:00:00", doc.effective(LOOPBACK).get("mac_addr"));
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                Arguments.of("http_port", 0, "http_port: must be in 1..65535, got 0"),
                Arguments.of("http_port", 70000, "http_port: must be in 1..65535, got 70000"),
                Arguments.of("rtsp_port", -1, "rtsp_port: must be in 1..65535, got -1"),
                Arguments.of("log_severity", 6, "log_severity: must be in 0..5, got 6"),
                Arguments.of("playout_delay", -1, "playout_delay: must be in 0..192000, got -1"),
                Arguments.of("tic_frame_size_at_1fs", 50, "tic_frame_size_at_1fs: must be 48..480 in steps of 48, got 50"),
                Arguments.of("tic_frame_size_at_1fs", 528, "tic_frame_size_at_1fs: must be 48..480 in steps of 48, got 528"),
                Arguments.of("max_tic_frame_size", 20000, "max_tic_frame_size: must be in 48..8192, got 20000"),
                Arguments.of("sample_rate", 22050, "sample_rate: must be one of 44100, 48000, 88200, 96000, 176400, 192000, 352800, 384000, got 22050"),
                Arguments.of("rtp_mcast_base", "10.0.0.1", "rtp_mcast_base: must be an IPv4 multicast address (224.0.0.0/4), got \"10.0.0.1\""),
                Arguments.of("rtp_mcast_base_sec", "239.1.0", "rtp_mcast_base_sec: must be an IPv4 multicast address (224.0.0.0/4), got \"239.1.0\""),
                Arguments.of("rtp_port", 65536, "rtp_port: must be in 1..65535, got 65536"),
                Arguments.of("rtp_port_sec", 0, "rtp_port_sec: must be in 1..65535, got 0"),
                Arguments.of("ptp_domain", 128, "ptp_domain: must be in 0..127, got 128"),
                Arguments.of("ptp_dscp", 47, "ptp_dscp: must be 46 or 48, got 47"),
                Arguments.of("sap_mcast_addr", "239.255.255.256", "sap_mcast_addr: must be an IPv4 multicast address (224.0.0.0/4), got \"239.255.255.256\""),
                Arguments.of("sap_interval", -5, "sap_interval: must be in 0..3600, got -5"),
                Arguments.of("syslog_proto", "tcp", "syslog_proto: must be \"none\" (stdout), \"\" (local syslog) or \"udp\", got \"tcp\""),
                Arguments.of("syslog_server", "nohost", "syslog_server: must be host:port, got \"nohost\""),
                Arguments.of("interface_name", "", "interface_name: must be one interface name, or two separated by a comma, got \"\""),
                Arguments.of("interface_name", "a,b,c", "interface_name: must be one interface name, or two separated by a comma, got \"a,b,c\""),
                Arguments.of("ip_addr", "localhost", "ip_addr: must be an IPv4 address or empty, got \"localhost\""),
                Arguments.of("custom_node_id", "x".repeat(65), "custom_node_id: must be at most 64 characters, got \"" + "x".repeat(57) + "...\""),
                Arguments.of("streamer_channels", 0, "streamer_channels: must be in 1..64, got 0"),
                Arguments.of("streamer_files_num", 101, "streamer_files_num: must be in 1..100, got 101"),
                Arguments.of("streamer_file_duration", 0, "streamer_file_duration: must be in 1..60, got 0"),
                Arguments.of("streamer_player_buffer_files_num", 9, "streamer_player_buffer_files_num: must not exceed streamer_files_num (8), got 9"),
                Arguments.of("nmos_registry_address", " ", "nmos_registry_address: must not be empty, got \" \""),
                Arguments.of("nmos_registry_port", 0, "nmos_registry_port: must be in 1..65535, got 0"),
                Arguments.of("nmos_node_port", 99999, "nmos_node_port: must be in 1..65535, got 99999"),
                Arguments.of("ptp_mode", "boss", "ptp_mode: must be \"slave\", \"auto\" or \"master\", got \"boss\""),
                Arguments.of("audio_device_binding", "alsa:", "audio_device_binding: must be \"null\", \"loopback\", \"jack\" or \"alsa:<pcm>\", got \"alsa:\""),
                Arguments.of("media_dir", "", "media_dir: must not be empty, got \"\""),
                Arguments.of("webconsole_user", "", "webconsole_user: must not be empty, got \"\""),
                // wrong types
                Arguments.of("http_port", "8080", "http_port: must be an integer, got string \"8080\""),
                Arguments.of("ptp_domain", 1.5, "ptp_domain: must be an integer, got number 1.5"),
                Arguments.of("mdns_enabled", "yes", "mdns_enabled: must be a boolean, got string \"yes\""),
                Arguments.of("mdns_enabled", 1, "mdns_enabled: must be a boolean, got number 1"),
                Arguments.of("interface_name", 3, "interface_name: must be a string, got number 3"),
                Arguments.of("status_file", null, "status_file: must be a string, got null"),
                Arguments.of("sap_interval", List.of(1), "sap_interval: must be an integer, got array [1]"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidValues")
    void everyInvalidValueIsRejectedWithItsMessage(String key, Object value, String message) throws Exception {
        ConfigDocument doc = ConfigDocument.defaults(SCHEMA);
        Map<String, Object> change = new LinkedHashMap<>();
        change.put(key, value);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> doc.with(change));
        assertEquals(message, e.getMessage());
        assertEquals(key, e.key());
    }

    @Test
    void maxTicBelowTicIsRejected() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigDocument
                .defaults(SCHEMA).with(Map.of("tic_frame_size_at_1fs", 480, "max_tic_frame_size", 96)));
        assertEquals("max_tic_frame_size: must not be below tic_frame_size_at_1fs (480), got 96", e.getMessage());
    }

    @Test
    void invalidFilesNameTheProblem() {
        assertEquals("not valid JSON at line 1, column 17: Unexpected character ('}' (code 125)): was expecting double-quote to start field name",
                parseError("{\"http_port\": 1,}"));
        assertEquals("must hold a JSON object", parseError("[1, 2]"));
        assertEquals("not valid JSON at line 1, column 26: Duplicate field 'ptp_domain'",
                parseError("{\"ptp_domain\": 1, \"ptp_domain\": 2}").replaceAll(" at line 1, column \\d+", " at line 1, column 26"));
        assertEquals("ptp_dscp: must be 46 or 48, got 12", parseError("{\"ptp_dscp\": 12}"));
        assertEquals("sample_rate: must be an integer, got string \"fast\"", parseError("{\"sample_rate\": \"fast\"}"));
    }

    @Test
    void keysReachingBeyondAudioChangeFromTheNetworkOnlyForTheOperator() throws Exception {
        ConfigDocument doc = ConfigDocument.defaults(SCHEMA);
        String[][] attempts = {
            {"status_file", "/etc/passwd", "names a file or program of this host"},
            {"media_dir", "/", "names a file or program of this host"},
            {"ptp_status_script", "/usr/sbin/reboot", "names a file or program of this host"},
            {"http_base_dir", "/etc", "names a file or program of this host"},
            {"https_keystore", "/etc/shadow", "names a file or program of this host"},
            {"webconsole_user", "intruder", "is the Web Console's login"},
            {"webconsole_password", "intruder", "is the Web Console's login"},
        };
        for (String[] a : attempts) {
            Map<String, Object> change = Map.of("ptp_domain", 3, a[0], a[1]);
            OperatorOnlyException e = assertThrows(OperatorOnlyException.class, () -> doc.withFromNetwork(change, false));
            assertEquals(a[0] + ": " + a[2] + ": change it in the config file, or send the Web Console user's "
                    + "credentials", e.getMessage());
            assertEquals(a[1], doc.withFromNetwork(change, true).get(a[0]), "with the operator's credentials");
            assertEquals(a[1], doc.with(change).get(a[0]), "from Configuration Admin and the file");
        }
        // a client posting the whole config back sends these keys unchanged: accepted
        Map<String, Object> whole = new LinkedHashMap<>(doc.effective(LOOPBACK));
        whole.put("ptp_domain", 9);
        assertEquals(9, doc.withFromNetwork(whole, false).getInt("ptp_domain"));
        // a bad value is still a plain 400 first
        assertThrows(InvalidConfigException.class, () -> doc.withFromNetwork(Map.of("media_dir", ""), false));
    }

    @Test
    void validChangesApplyAndLeaveTheOriginalUntouched() throws Exception {
        ConfigDocument doc = ConfigDocument.defaults(SCHEMA);
        ConfigDocument changed = doc.with(Map.of("ptp_domain", 7, "sample_rate", 96000, "node_id", "ignored"));
        assertEquals(7, changed.getInt("ptp_domain"));
        assertEquals(96000, changed.getInt("sample_rate"));
        assertEquals(0, doc.getInt("ptp_domain"));
        assertEquals("Daemon 007f0100", changed.effective(LOOPBACK).get("node_id"));
    }

    @Test
    void recordsFeedEachComponentUnderItsPid() {
        Map<String, Object> effective = ConfigDocument.defaults(SCHEMA).effective(LOOPBACK);
        var records = ConfigDocument.records(SCHEMA, effective);
        assertEquals(0, records.get(ConfigSchema.PID_PTP).get("ptp.domain"));
        assertEquals(48, records.get(ConfigSchema.PID_PTP).get("ptp.dscp"));
        assertEquals("slave", records.get(ConfigSchema.PID_PTP).get("ptp.mode"));
        assertEquals("lo", records.get(ConfigSchema.PID_PTP).get("interface.name"));
        assertEquals(2, records.get(ConfigSchema.PID_LOGGING).get("severity"));
        assertEquals("none", records.get(ConfigSchema.PID_LOGGING).get("syslog.proto"));
        assertEquals("admin", records.get(ConfigSchema.PID_WEBCONSOLE).get("username"));
        assertEquals("Daemon 007f0100", records.get(ConfigSchema.PID_SESSION).get("node.id"));
    }

    private static String parseError(String text) {
        return assertThrows(InvalidConfigException.class,
                () -> ConfigDocument.parse(SCHEMA, text.getBytes(StandardCharsets.UTF_8))).getMessage();
    }
}
