package org.aes67d.rest.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;

/**
 * The text form clients of the C++ daemon see: {@code "key": value} (no space before the colon), two-space
 * indentation, and {@code /api/config} keys in the C++ daemon's order; scripts that diff or grep the text then read
 * both daemons alike.
 */
final class CppJson {
    /**
     * The C++ daemon's order of its config keys (its daemon.conf order, the derived node_id after custom_node_id,
     * mac_addr and ip_addr last). Keys of ours follow in their own order.
     */
    static final List<String> CONFIG_ORDER = List.of("http_port", "rtsp_port", "http_base_dir", "log_severity",
            "playout_delay", "tic_frame_size_at_1fs", "max_tic_frame_size", "sample_rate", "rtp_mcast_base",
            "rtp_mcast_base_sec", "rtp_port", "rtp_port_sec", "ptp_domain", "ptp_dscp", "sap_mcast_addr",
            "sap_interval", "syslog_proto", "syslog_server", "status_file", "interface_name", "mdns_enabled",
            "custom_node_id", "node_id", "ptp_status_script", "streamer_channels", "streamer_files_num",
            "streamer_file_duration", "streamer_player_buffer_files_num", "streamer_enabled", "auto_sinks_update",
            "nmos_enabled", "nmos_registry_address", "nmos_registry_port", "nmos_node_port", "nmos_label",
            "mac_addr", "ip_addr");

    private CppJson() {
    }

    static DefaultPrettyPrinter printer() {
        return new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
    }

    /** The config with the C++ daemon's keys first, in its order, then the others as they came. */
    static Map<String, Object> configOrder(Map<String, Object> config) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : CONFIG_ORDER) {
            if (config.containsKey(k)) {
                out.put(k, config.get(k));
            }
        }
        config.forEach(out::putIfAbsent);
        return out;
    }
}
