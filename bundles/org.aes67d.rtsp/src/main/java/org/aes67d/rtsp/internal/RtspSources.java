package org.aes67d.rtsp.internal;

import java.util.Map;
import java.util.TreeMap;

/**
 * The current SDP of every enabled local source, as the session manager announced it. DESCRIBE by-name matches
 * the SDP's {@code s=} text, which is {@code <node_id> <source name>} by contract (compat.md section 5), so a
 * change of node id re-keys the table with the re-announced SDPs. Thread-safe.
 */
final class RtspSources {
    record Entry(int id, String name, String sdp) {
    }

    private final Map<Integer, Entry> byId = new TreeMap<>();

    /** Stores the SDP; true when it differs from the one held (a real change, worth an ANNOUNCE). */
    synchronized boolean put(int id, String sdp) {
        Entry old = byId.put(id, new Entry(id, sessionName(sdp), sdp));
        return old == null || !old.sdp().equals(sdp);
    }

    synchronized Entry remove(int id) {
        return byId.remove(id);
    }

    synchronized Entry byId(int id) {
        return byId.get(id);
    }

    synchronized Entry byName(String name) {
        for (Entry e : byId.values()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    synchronized Map<Integer, String> snapshot() {
        Map<Integer, String> m = new TreeMap<>();
        byId.values().forEach(e -> m.put(e.id(), e.sdp()));
        return m;
    }

    static String sessionName(String sdp) {
        for (String line : sdp.split("\r\n|\r|\n")) {
            if (line.startsWith("s=")) {
                return line.substring(2).strip();
            }
        }
        return "";
    }
}
