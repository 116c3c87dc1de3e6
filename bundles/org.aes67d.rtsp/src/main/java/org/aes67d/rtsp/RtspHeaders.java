package org.aes67d.rtsp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Header fields in order; names compare case-insensitively. Immutable. */
public final class RtspHeaders {
    public static final RtspHeaders EMPTY = new RtspHeaders(List.of());

    /** One field as received or to be sent. */
    public record Field(String name, String value) {
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.isEmpty() || !RtspParser.isToken(name)) {
                throw new IllegalArgumentException("bad header name \"" + name + "\"");
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\r' || c == '\n' || c == 0) {
                    throw new IllegalArgumentException("line break in header value"); // no header injection
                }
            }
        }
    }

    private final List<Field> fields;

    private RtspHeaders(List<Field> fields) {
        this.fields = List.copyOf(fields);
    }

    public static RtspHeaders of(String... nameValuePairs) {
        if (nameValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException("name/value pairs expected");
        }
        List<Field> f = new ArrayList<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            f.add(new Field(nameValuePairs[i], nameValuePairs[i + 1]));
        }
        return new RtspHeaders(f);
    }

    static RtspHeaders of(List<Field> fields) {
        return new RtspHeaders(fields);
    }

    public List<Field> fields() {
        return fields;
    }

    /** The first value of {@code name}, or null. */
    public String get(String name) {
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                return f.value();
            }
        }
        return null;
    }

    public List<String> all(String name) {
        return fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).map(Field::value).toList();
    }

    /** A copy with {@code name} set to {@code value} (replacing earlier values). */
    public RtspHeaders with(String name, String value) {
        List<Field> f = new ArrayList<>();
        for (Field x : fields) {
            if (!x.name().equalsIgnoreCase(name)) {
                f.add(x);
            }
        }
        f.add(new Field(name, value));
        return new RtspHeaders(f);
    }

    /** The CSeq as a number, or -1 when missing or not a non-negative integer. */
    public long cseq() {
        String v = get("CSeq");
        if (v == null || v.isEmpty() || v.length() > 18) {
            return -1;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RtspHeaders h && fields.equals(h.fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        fields.forEach(f -> sb.append(f.name()).append(": ").append(f.value()).append("; "));
        return sb.toString();
    }
}
