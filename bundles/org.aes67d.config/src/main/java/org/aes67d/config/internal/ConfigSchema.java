package org.aes67d.config.internal;

import static org.aes67d.config.internal.ConfigKey.Kind.DERIVED;
import static org.aes67d.config.internal.ConfigKey.Kind.INPUT;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.aes67d.config.internal.ConfigKey.Type;

/**
 * The keys of daemon.conf with the C++ daemon's defaults, their checks and the Configuration Admin
 * records they feed. This table is the single place that knows the file format.
 */
public final class ConfigSchema {

    public static final String PID_HTTP = "org.aes67d.http";
    public static final String PID_REST = "org.aes67d.rest";
    public static final String PID_LOGGING = "org.aes67d.logging";
    public static final String PID_PTP = "org.aes67d.ptp";
    public static final String PID_DRIVER = "org.aes67d.driver";
    public static final String PID_SESSION = "org.aes67d.session";
    public static final String PID_SAP = "org.aes67d.sap";
    public static final String PID_RTSP = "org.aes67d.rtsp";
    public static final String PID_MDNS = "org.aes67d.mdns";
    public static final String PID_NMOS = "org.aes67d.nmos";
    public static final String PID_STREAMER = "org.aes67d.streamer";
    public static final String PID_SHELL = "org.aes67d.shell";
    public static final String PID_NETLINK = "org.aes67d.netlink";
    /** HTTP policy of every port: cross-site refusal, CORS, authentication, request limits (docs/security.md). */
    public static final String PID_SECURITY = "org.aes67d.security";
    public static final String PID_JACK = "org.aes67d.audio.jack";
    /** The Felix Web Console's own record (user name and password). */
    public static final String PID_WEBCONSOLE = "org.apache.felix.webconsole.internal.servlet.OsgiManager";

    private static final Pattern WEB_ORIGIN = Pattern.compile("\\*|https?://[A-Za-z0-9.\\-]+(:\\d{1,5})?|https?://\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?");
    private static final Pattern TOKEN_HASH = Pattern.compile("\\{sha-256\\}[A-Za-z0-9+/]{43}=");
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.\\-]+:\\d{1,5}");
    private static final Set<Integer> SAMPLE_RATES =
            Set.of(44100, 48000, 88200, 96000, 176400, 192000, 352800, 384000);

    private final Map<String, ConfigKey> keys;

    private ConfigSchema(List<ConfigKey> list) {
        Map<String, ConfigKey> map = new LinkedHashMap<>();
        list.forEach(k -> map.put(k.name(), k));
        this.keys = Collections.unmodifiableMap(map);
    }

    /** The daemon's schema. */
    public static ConfigSchema daemon() {
        List<ConfigKey> k = new ArrayList<>();
        k.add(in("http_port", 8080, port(), true, "HTTP port of the REST API and the Web Console", PID_HTTP));
        k.add(in("rtsp_port", 8854, port(), false, "RTSP server port", PID_RTSP, PID_MDNS));
        k.add(in("http_base_dir", "../webui/dist", any(), false,
                "folder whose index.html is served at / (the C++ web UI); missing = empty page", PID_REST));
        k.add(in("log_severity", 2, range(0, 5), false, "0 trace, 1 debug, 2 info, 3 warning, 4 error, 5 fatal",
                PID_LOGGING + "#severity"));
        k.add(in("playout_delay", 0, range(0, 192000), false, "default sink playout delay in samples", PID_SESSION));
        k.add(in("tic_frame_size_at_1fs", 48, v -> ((Integer) v) >= 48 && ((Integer) v) <= 480
                && ((Integer) v) % 48 == 0 ? null : "must be 48..480 in steps of 48", false,
                "driver tick in frames at 44.1/48 kHz (48 = 1 ms)", PID_DRIVER));
        k.add(in("max_tic_frame_size", 1024, range(48, 8192), false, "largest driver tick in frames", PID_DRIVER));
        k.add(in("sample_rate", 48000, v -> SAMPLE_RATES.contains(v) ? null
                : "must be one of 44100, 48000, 88200, 96000, 176400, 192000, 352800, 384000", false,
                "default sample rate of new streams", PID_DRIVER, PID_SESSION));
        k.add(in("rtp_mcast_base", "239.1.0.1", multicast(), false, "first multicast address of sources (id 0)",
                PID_SESSION));
        k.add(in("rtp_mcast_base_sec", "239.1.0.1", multicast(), false,
                "first multicast address on the secondary network (ST 2022-7)", PID_SESSION));
        k.add(in("rtp_port", 5004, port(), false, "RTP port of sources", PID_SESSION, PID_DRIVER));
        k.add(in("rtp_port_sec", 5004, port(), false, "RTP port on the secondary network", PID_SESSION, PID_DRIVER));
        k.add(in("ptp_domain", 0, range(0, 127), false, "PTP domain", PID_PTP, PID_SESSION));
        k.add(in("ptp_dscp", 48, v -> (Integer) v == 46 || (Integer) v == 48 ? null : "must be 46 or 48", false,
                "DSCP of PTP packets", PID_PTP));
        k.add(in("sap_mcast_addr", "239.255.255.255", multicast(), false, "SAP group", PID_SAP));
        k.add(in("sap_interval", 30, range(0, 3600), false, "SAP announce interval in s (0 = RFC 2974 automatic)",
                PID_SAP));
        k.add(in("syslog_proto", "none", v -> Set.of("none", "", "udp").contains(v) ? null
                : "must be \"none\" (stdout), \"\" (local syslog) or \"udp\"", false, "where logs go",
                PID_LOGGING));
        k.add(in("syslog_server", "255.255.255.254:1234",
                v -> HOST_PORT.matcher((String) v).matches() ? null : "must be host:port", false,
                "remote syslog server for syslog_proto \"udp\"", PID_LOGGING));
        k.add(in("status_file", "./status.json", any(), false, "file holding sources and sinks (\"\" = none)",
                PID_SESSION));
        k.add(in("interface_name", "lo", v -> ((String) v).isBlank() || ((String) v).split(",", -1).length > 2
                ? "must be one interface name, or two separated by a comma" : null, true,
                "network interface (two names enable ST 2022-7)", PID_PTP, PID_DRIVER, PID_SESSION, PID_SAP,
                PID_MDNS, PID_RTSP, PID_NMOS));
        k.add(in("mac_addr", "00:00:00:00:00:00", any(), false, "MAC address of the interface (read-only)")
                .withKind(DERIVED, PID_PTP, PID_NMOS));
        k.add(in("ip_addr", "", v -> ((String) v).isEmpty() || Ipv4.parse((String) v) != null ? null
                : "must be an IPv4 address or empty", true,
                "address in use; when set to one of the interface's addresses, that one is preferred", PID_PTP,
                PID_DRIVER, PID_SESSION, PID_SAP, PID_MDNS, PID_RTSP, PID_NMOS));
        k.add(in("node_id", "", any(), false, "node name: custom_node_id, else \"Daemon \" + address hex (read-only)")
                .withKind(DERIVED, PID_SESSION, PID_MDNS, PID_RTSP, PID_NMOS));
        k.add(in("custom_node_id", "", v -> ((String) v).length() <= 64 ? null : "must be at most 64 characters",
                false, "node name to use instead of the derived one"));
        k.add(in("ptp_status_script", "./scripts/ptp_status.sh", any(), false,
                "run with unlocked|locking|locked on every PTP state change", PID_PTP));
        k.add(in("streamer_channels", 8, range(1, 64), false, "channels captured by the HTTP streamer",
                PID_STREAMER));
        k.add(in("streamer_files_num", 8, range(1, 100), false, "files kept per sink by the streamer",
                PID_STREAMER));
        k.add(in("streamer_file_duration", 1, range(1, 60), false, "seconds per streamer file", PID_STREAMER));
        k.add(in("streamer_player_buffer_files_num", 1, range(1, 100), false, "files buffered by players",
                PID_STREAMER));
        k.add(in("streamer_enabled", false, any(), false, "enable the HTTP streamer", PID_STREAMER));
        k.add(in("auto_sinks_update", true, any(), false, "re-create sinks when their source's SDP changes",
                PID_SESSION));
        k.add(in("mdns_enabled", true, any(), false, "publish and browse RAVENNA sessions over mDNS", PID_MDNS));
        k.add(in("nmos_enabled", false, any(), false, "run the NMOS node", PID_NMOS));
        k.add(in("nmos_registry_address", "127.0.0.1", v -> ((String) v).isBlank() ? "must not be empty" : null,
                false, "NMOS registry host", PID_NMOS));
        k.add(in("nmos_registry_port", 3210, port(), false, "NMOS registry port", PID_NMOS));
        k.add(in("nmos_node_port", 3218, port(), false, "NMOS node API port", PID_NMOS));
        k.add(in("nmos_label", "AES67 Daemon", any(), false, "NMOS node label", PID_NMOS));
        // Keys of ours (not in the C++ daemon).
        k.add(in("ptp_mode", "slave", v -> Set.of("slave", "auto", "master").contains(v) ? null
                : "must be \"slave\", \"auto\" or \"master\"", false,
                "slave (as the C++ daemon), auto (grandmaster when no better master is heard), or master", PID_PTP));
        k.add(in("audio_device_binding", "null", v -> Set.of("null", "loopback", "jack").contains(v)
                || ((String) v).startsWith("alsa:") && ((String) v).length() > 5 ? null
                : "must be \"null\", \"loopback\", \"jack\" or \"alsa:<pcm>\"", true,
                "what the Audio Device's channels are bound to: null (silence in, nothing out), loopback "
                        + "(capture fed from playback), jack (JACK ports capture_N/playback_N) or alsa:<pcm>",
                PID_DRIVER));
        k.add(in("jack_client_name", "aes67d", v -> ((String) v).isBlank() ? "must not be empty" : null, true,
                "name of the daemon's JACK client (JACK adds a number when it is taken)", PID_JACK + "#client.name"));
        k.add(in("jack_server_name", "", any(), true, "JACK server to connect to; empty = the default server",
                PID_JACK + "#server.name"));
        k.add(in("jack_connect_capture", "", any(), true, "JACK input ports the Audio Device's capture_N ports "
                + "(what the sinks receive) are connected to, by name prefix, e.g. system:playback_; empty = none",
                PID_JACK + "#device.capture.connect"));
        k.add(in("jack_connect_playback", "", any(), true, "JACK output ports connected to the Audio Device's "
                + "playback_N ports (what the sources send), by name prefix, e.g. system:capture_; empty = none",
                PID_JACK + "#device.playback.connect"));
        k.add(in("media_dir", "./media", v -> ((String) v).isBlank() ? "must not be empty" : null, false,
                "folder that file: and pipe: streams are confined to", PID_DRIVER, PID_SESSION));
        k.add(in("webconsole_user", "admin", v -> ((String) v).isBlank() ? "must not be empty" : null, false,
                "user name of the Felix Web Console", PID_WEBCONSOLE + "#username",
                PID_SECURITY + "#console.user"));
        k.add(in("webconsole_password", "", any(), false,
                "Web Console password, plain or {sha-256}<base64>; empty = generated into webconsole.password",
                PID_WEBCONSOLE + "#password", PID_SECURITY + "#console.password"));
        k.add(in("shell_port", 0, range(0, 65535), false,
                "port of the Gogo shell on 127.0.0.1 (0 = off); anyone who can connect controls the daemon",
                PID_SHELL));
        k.add(in("nmos_dns_sd", true, any(), false,
                "find NMOS registries by DNS-SD (_nmos-register._tcp) before nmos_registry_address", PID_NMOS));
        k.add(in("driver", "auto", v -> Set.of("auto", "userspace", "netlink").contains(v) ? null
                : "must be \"auto\", \"userspace\" or \"netlink\"", false,
                "which driver moves the audio: auto (the RAVENNA/AES67 kernel module while it answers, else "
                        + "user space), userspace, or netlink (always the module)", PID_NETLINK));
        // HTTP security (docs/security.md)
        k.add(in("http_allowed_origins", "", listOf(WEB_ORIGIN, "scheme://host[:port] or *"), false,
                "web origins besides the daemon's own that may change state from a browser and get CORS headers "
                        + "(comma-separated); * = any, as the C++ daemon", PID_SECURITY));
        k.add(in("http_auth", false, any(), false,
                "require the Web Console user's credentials (HTTP Basic) or a bearer token on every HTTP request",
                PID_SECURITY));
        k.add(in("http_tokens", "", listOf(TOKEN_HASH, "{sha-256}<base64 of the token's SHA-256>"), false,
                "accepted bearer tokens, stored as {sha-256}<base64> (comma-separated)", PID_SECURITY));
        k.add(in("http_max_body_bytes", 1048576, range(1024, 1073741824), false,
                "largest HTTP request body in bytes (413 above)", PID_SECURITY));
        k.add(in("http_max_requests", 64, range(1, 10000), false,
                "HTTP requests handled at once (503 above)", PID_SECURITY));
        k.add(in("http_max_header_bytes", 16384, range(1024, 1048576), true,
                "largest HTTP request line and headers in bytes (431 above)"));
        k.add(in("https_port", 0, range(0, 65535), true,
                "HTTPS port (TLS 1.2 and 1.3) of the REST API and the Web Console; 0 = no HTTPS"));
        k.add(in("https_keystore", "", any(), true,
                "certificate and key for HTTPS: a PKCS#12 file or a PEM file (PKCS#8 key and certificates); "
                        + "empty = self-signed, generated into https.p12"));
        k.add(in("https_keystore_password", "", any(), true, "password of a PKCS#12 https_keystore"));
        // keys naming files or programs of this host, or the console's login (see ConfigKey.operatorOnly)
        Set<String> operatorOnly = Set.of("http_base_dir", "status_file", "ptp_status_script", "media_dir",
                "webconsole_user", "webconsole_password", "https_keystore");
        k.replaceAll(key -> operatorOnly.contains(key.name()) ? key.forTheOperatorOnly() : key);
        return new ConfigSchema(k);
    }

    public Map<String, ConfigKey> keys() {
        return keys;
    }

    public ConfigKey key(String name) {
        return keys.get(name);
    }

    /** Every Configuration Admin PID some key feeds. */
    public Set<String> pids() {
        Set<String> pids = new LinkedHashSet<>();
        keys.values().forEach(k -> k.targets().forEach(t -> pids.add(ConfigKey.pidOf(t))));
        return pids;
    }

    private static ConfigKey in(String name, Object def, Function<Object, String> check, boolean restart,
            String description, String... targets) {
        Type type = def instanceof Integer ? Type.INT : def instanceof Boolean ? Type.BOOL : Type.STRING;
        return new ConfigKey(name, type, def, check, List.of(targets), INPUT, restart, description, false);
    }

    private static Function<Object, String> any() {
        return v -> null;
    }

    private static Function<Object, String> range(int min, int max) {
        return v -> (Integer) v >= min && (Integer) v <= max ? null : "must be in " + min + ".." + max;
    }

    /** Entries separated by commas or blanks, each matching {@code entry}; empty is an empty list. */
    private static Function<Object, String> listOf(Pattern entry, String what) {
        return v -> {
            for (String e : ((String) v).trim().split("[,\\s]+")) {
                if (!e.isEmpty() && !entry.matcher(e).matches()) {
                    return "each entry must be " + what;
                }
            }
            return null;
        };
    }

    private static Function<Object, String> port() {
        return range(1, 65535);
    }

    private static Function<Object, String> multicast() {
        return v -> {
            byte[] a = Ipv4.parse((String) v);
            return a != null && (a[0] & 0xF0) == 0xE0 ? null : "must be an IPv4 multicast address (224.0.0.0/4)";
        };
    }
}
