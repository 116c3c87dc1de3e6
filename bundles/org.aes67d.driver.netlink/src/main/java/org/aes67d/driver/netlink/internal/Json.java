package org.aes67d.driver.netlink.internal;

import java.util.Map;

/** The few JSON objects of {@code GET /api/driver}: strings, numbers, booleans and nested objects. */
final class Json {
    private Json() {
    }

    static String write(Map<String, Object> m) {
        StringBuilder b = new StringBuilder();
        object(b, m, "");
        return b.append('\n').toString();
    }

    @SuppressWarnings("unchecked")
    private static void object(StringBuilder b, Map<String, Object> m, String indent) {
        b.append("{");
        String sep = "\n";
        for (Map.Entry<String, Object> e : m.entrySet()) {
            b.append(sep).append(indent).append("  ");
            string(b, e.getKey());
            b.append(": ");
            Object v = e.getValue();
            if (v instanceof Map) {
                object(b, (Map<String, Object>) v, indent + "  ");
            } else if (v instanceof Number || v instanceof Boolean) {
                b.append(v);
            } else {
                string(b, String.valueOf(v));
            }
            sep = ",\n";
        }
        b.append('\n').append(indent).append('}');
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
