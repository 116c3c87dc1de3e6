package org.aes67d.discovery.mdns.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.aes67d.api.session.Sink;
import org.aes67d.discovery.mdns.internal.MdnsBackend.Found;
import org.aes67d.discovery.mdns.internal.MdnsBackend.ServiceSpec;
import org.aes67d.rtsp.RtspUris;

/** What we publish and how a found session is fetched: pure functions. */
final class MdnsRecords {
    static final String RTSP_TYPE = "_rtsp._tcp.local.";
    static final String HTTP_TYPE = "_http._tcp.local.";
    static final String SESSION_SUBTYPE = "_ravenna_session";
    static final String NODE_SUBTYPE = "_ravenna";
    /**
     * Ours: RAVENNA defines no record for receivers (see README). A type of its own, not {@code _http._tcp}, so
     * generic browsers do not list every sink as a web site.
     */
    static final String SINK_TYPE = "_aes67d-sink._tcp.local.";
    /** DNS labels, and so instance names, are at most 63 bytes. */
    static final int MAX_LABEL_BYTES = 63;
    /** One TXT string is at most 255 bytes including "key=". */
    static final int MAX_TXT_BYTES = 255;

    private MdnsRecords() {
    }

    /** The name cut to 63 UTF-8 bytes at a character boundary. */
    static String label(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_LABEL_BYTES) {
            return name;
        }
        StringBuilder sb = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < name.length();) {
            int cp = name.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > MAX_LABEL_BYTES) {
                break;
            }
            sb.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    /** The value cut so that {@code key=value} fits one TXT string. */
    static String txtValue(String key, String value) {
        int room = MAX_TXT_BYTES - key.getBytes(StandardCharsets.UTF_8).length - 1;
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        if (b.length <= room) {
            return value;
        }
        String cut = new String(b, 0, room, StandardCharsets.UTF_8);
        return cut.endsWith("\uFFFD") ? cut.substring(0, cut.length() - 1) : cut;
    }

    /** The session name of a source: its SDP {@code s=} line, which is {@code <node_id> <source name>}. */
    static String sessionName(String sdp, String nodeId, String sourceName) {
        for (String line : sdp.split("\r\n|\r|\n")) {
            if (line.startsWith("s=")) {
                return line.substring(2).strip();
            }
        }
        return nodeId + " " + sourceName;
    }

    /**
     * A source: {@code <node_id> <source name>} of {@code _rtsp._tcp} with subtype {@code _ravenna_session} on the
     * RTSP port. TXT {@code path} carries the whole DESCRIBE path in plain UTF-8 (as avahi-publish examples do),
     * which matters when the instance name had to be cut; a path too long for one TXT string is left out rather than
     * cut.
     */
    static ServiceSpec source(String sessionName, int rtspPort) {
        String path = "/by-name/" + sessionName;
        boolean fits = ("path=" + path).getBytes(StandardCharsets.UTF_8).length <= MAX_TXT_BYTES;
        return new ServiceSpec(RTSP_TYPE, label(sessionName), SESSION_SUBTYPE, rtspPort,
                fits ? Map.of("path", path) : Map.of());
    }

    /** The node: {@code <node_id>} of {@code _http._tcp} with subtype {@code _ravenna} on the HTTP port. */
    static ServiceSpec node(String nodeId, int httpPort) {
        return new ServiceSpec(HTTP_TYPE, label(nodeId), NODE_SUBTYPE, httpPort, Map.of("path", "/"));
    }

    /** The node once more, as the C++ daemon also publishes it: {@code _rtsp._tcp} subtype {@code _ravenna}. */
    static ServiceSpec rtspNode(String nodeId, int rtspPort) {
        return new ServiceSpec(RTSP_TYPE, label(nodeId), NODE_SUBTYPE, rtspPort, Map.of());
    }

    /** A sink: {@code <node_id> <sink name>} of {@code _aes67d-sink._tcp} on the HTTP port. */
    static ServiceSpec sink(Sink s, String nodeId, int httpPort) {
        Map<String, String> txt = new LinkedHashMap<>();
        txt.put("txtvers", "1");
        txt.put("id", Integer.toString(s.id()));
        txt.put("node", txtValue("node", nodeId));
        txt.put("path", "/api/sink/status/" + s.id());
        txt.put("channels", Integer.toString(s.map().size()));
        if (!s.source().isEmpty()) {
            txt.put("source", txtValue("source", s.source()));
        }
        String o = firstLine(s.sdp(), 'o');
        if (o != null) {
            String[] f = o.split("\\s+");
            if (f.length == 6) {
                txt.put("origin", txtValue("origin", f[0] + " " + f[1] + " " + f[5])); // the auto-update key
            }
        }
        String session = firstLine(s.sdp(), 's');
        if (session != null) {
            txt.put("session", txtValue("session", session));
        }
        String c = firstLine(s.sdp(), 'c');
        if (c != null) {
            txt.put("connection", txtValue("connection", c));
        }
        return new ServiceSpec(SINK_TYPE, label(nodeId + " " + s.name()), "", httpPort, txt);
    }

    private static String firstLine(String sdp, char type) {
        if (sdp == null) {
            return null;
        }
        for (String line : sdp.split("\r\n|\r|\n")) {
            if (line.length() >= 2 && line.charAt(0) == type && line.charAt(1) == '=') {
                return line.substring(2).strip();
            }
        }
        return null;
    }

    /**
     * The DESCRIBE URL of a found session: its first IPv4 address and port, and the TXT {@code path} (decoded, then
     * encoded, so both {@code a b} and {@code a%20b} work) or {@code /by-name/<instance name>}. Null without an
     * address.
     */
    static String describeUrl(Found f) {
        if (f.addresses().isEmpty() || f.port() <= 0) {
            return null;
        }
        String path = f.txt().get("path");
        String decoded = path == null || !path.startsWith("/") ? null : RtspUris.decodePath(path);
        String p = decoded != null ? decoded : "/by-name/" + f.name();
        return "rtsp://" + f.addresses().get(0) + ":" + f.port() + RtspUris.encodePath(p);
    }

    /** An SDP with an {@code m=audio} line: RTSP cameras on the same network are not listed. */
    static boolean isAudioSession(String sdp) {
        for (String line : sdp.split("\r\n|\r|\n")) {
            if (line.startsWith("m=audio ")) {
                return true;
            }
        }
        return false;
    }
}
