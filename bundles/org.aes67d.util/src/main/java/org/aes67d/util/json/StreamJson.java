package org.aes67d.util.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.aes67d.api.session.Sink;
import org.aes67d.api.session.Source;

/**
 * The JSON objects of sources and sinks, as the C++ daemon's REST API and status file have them. Input is a parsed
 * JSON object (maps, lists, Integer/Long, Boolean, String); types are strict and the first missing key is named.
 * Only shape is checked here; values are validated by the session manager.
 */
public final class StreamJson {
    private StreamJson() {
    }

    public static Source source(int id, Map<String, ?> m) throws JsonShapeException {
        return new Source(id, bool(m, "enabled"), string(m, "name"), string(m, "io"),
                integer(m, "max_samples_per_packet"), string(m, "codec"), optionalString(m, "address", ""),
                integer(m, "ttl"), integer(m, "payload_type"), integer(m, "dscp"), bool(m, "refclk_ptp_traceable"),
                map(m), m.containsKey("sample_rate") ? integer(m, "sample_rate") : 0);
    }

    /**
     * {@code address} is the one in use (the configured one, or the default derived from the id); {@code sample_rate}
     * (ours, not the C++ daemon's) is written when the source has one, 0 meaning the daemon's default.
     */
    public static Map<String, Object> source(Source s, String address) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("enabled", s.enabled());
        m.put("name", s.name());
        m.put("io", s.io());
        m.put("max_samples_per_packet", s.maxSamplesPerPacket());
        m.put("codec", s.codec());
        m.put("address", address);
        m.put("ttl", s.ttl());
        m.put("payload_type", s.payloadType());
        m.put("dscp", s.dscp());
        m.put("refclk_ptp_traceable", s.refclkPtpTraceable());
        m.put("map", s.map());
        if (s.sampleRate() != 0) {
            m.put("sample_rate", s.sampleRate());
        }
        return m;
    }

    /** {@code sdp} may be left out when {@code use_sdp} is false, {@code source} when it is true. */
    public static Sink sink(int id, Map<String, ?> m) throws JsonShapeException {
        String name = string(m, "name");
        String io = string(m, "io");
        boolean useSdp = bool(m, "use_sdp");
        String source = useSdp ? optionalString(m, "source", "") : string(m, "source");
        String sdp = useSdp ? string(m, "sdp") : optionalString(m, "sdp", "");
        return new Sink(id, name, io, useSdp, source, sdp, integer(m, "delay"), bool(m, "ignore_refclk_gmid"), map(m));
    }

    public static Map<String, Object> sink(Sink s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("name", s.name());
        m.put("io", s.io());
        m.put("use_sdp", s.useSdp());
        m.put("source", s.source());
        m.put("sdp", s.sdp());
        m.put("delay", s.delay());
        m.put("ignore_refclk_gmid", s.ignoreRefclkGmid());
        m.put("map", s.map());
        return m;
    }

    private static Object required(Map<String, ?> m, String key) throws JsonShapeException {
        if (!m.containsKey(key)) {
            throw new JsonShapeException("missing key \"" + key + "\"");
        }
        return m.get(key);
    }

    private static String string(Map<String, ?> m, String key) throws JsonShapeException {
        Object v = required(m, key);
        if (v instanceof String s) {
            return s;
        }
        throw wrongType(key, "a string");
    }

    private static String optionalString(Map<String, ?> m, String key, String otherwise) throws JsonShapeException {
        return m.containsKey(key) ? string(m, key) : otherwise;
    }

    private static boolean bool(Map<String, ?> m, String key) throws JsonShapeException {
        Object v = required(m, key);
        if (v instanceof Boolean b) {
            return b;
        }
        throw wrongType(key, "a boolean");
    }

    private static int integer(Map<String, ?> m, String key) throws JsonShapeException {
        Object v = required(m, key);
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof Long l && l == l.intValue()) {
            return l.intValue();
        }
        throw wrongType(key, "an integer");
    }

    private static List<Integer> map(Map<String, ?> m) throws JsonShapeException {
        Object v = required(m, "map");
        if (!(v instanceof List<?> list)) {
            throw wrongType("map", "an array of integers");
        }
        List<Integer> out = new ArrayList<>(list.size());
        for (Object e : list) {
            if (!(e instanceof Integer i)) {
                throw wrongType("map", "an array of integers");
            }
            out.add(i);
        }
        return out;
    }

    private static JsonShapeException wrongType(String key, String expected) {
        return new JsonShapeException("\"" + key + "\" must be " + expected);
    }
}
