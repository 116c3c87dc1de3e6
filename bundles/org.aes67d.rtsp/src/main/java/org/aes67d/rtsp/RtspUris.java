package org.aes67d.rtsp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/** Percent-encoding of RTSP URL paths (UTF-8), e.g. {@code /by-name/Daemon%20007f0100%20mic}. */
public final class RtspUris {
    private static final String UNRESERVED_AND_PATH = "-._~!$&'()*+,;=:@/";

    private RtspUris() {
    }

    /** Encodes a path: letters, digits and the characters RFC 3986 allows in a path stay, the rest is %XX. */
    public static String encodePath(String path) {
        StringBuilder sb = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || UNRESERVED_AND_PATH.indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return sb.toString();
    }

    /** Decodes %XX sequences as UTF-8 ({@code +} stays: it is not a space in a path). Null when malformed. */
    public static String decodePath(String path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%') {
                if (i + 2 >= path.length()) {
                    return null;
                }
                int hi = Character.digit(path.charAt(i + 1), 16);
                int lo = Character.digit(path.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * The path of a request URI: {@code rtsp://host[:port]/path[?query]} or an absolute path; the query is
     * dropped. Null when it is neither.
     */
    public static String pathOf(String uri) {
        String rest;
        String lower = uri.length() >= 7 ? uri.substring(0, 7).toLowerCase(java.util.Locale.ROOT) : "";
        if (lower.equals("rtsp://")) {
            int slash = uri.indexOf('/', 7);
            if (slash < 0) {
                return "/";
            }
            if (slash == 7) {
                return null; // no host
            }
            rest = uri.substring(slash);
        } else if (uri.startsWith("/")) {
            rest = uri;
        } else {
            return null;
        }
        int q = rest.indexOf('?');
        return q < 0 ? rest : rest.substring(0, q);
    }
}
