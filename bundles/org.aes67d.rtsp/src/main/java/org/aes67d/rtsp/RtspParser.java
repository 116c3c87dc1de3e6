package org.aes67d.rtsp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Incremental RTSP/1.0 message framing: give it what has arrived so far and it answers one complete message and
 * how many bytes it used, that more bytes are needed, that the input is garbage, or that it exceeds the limits.
 * Pure and stateless; it never throws on any input. Pipelined messages are parsed one call each.
 *
 * <p>Accepted: CRLF or bare LF line ends, empty lines before a message (RFC 2326 section 15 allows CRLF between
 * messages), folded header lines, a body only with Content-Length. Rejected as malformed: a start line that is
 * neither {@code METHOD URI RTSP/x.y} nor {@code RTSP/x.y NNN reason}, a header line without a colon or with a
 * name that is not a token, control characters, a bad or contradictory Content-Length, and interleaved binary data
 * ({@code $}), which only follows a PLAY we do not support.
 */
public final class RtspParser {
    /** Default limit of the start line plus headers. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 8 * 1024;

    /** The outcome of one {@link #parse} call. */
    public sealed interface Result permits Incomplete, Parsed, Malformed, TooLarge {
    }

    /** More bytes are needed. */
    public record Incomplete() implements Result {
    }

    /** One message, which used the first {@code consumed} bytes. */
    public record Parsed(RtspMessage message, int consumed) implements Result {
    }

    /** Not RTSP; the connection has lost its framing. */
    public record Malformed(String reason) implements Result {
    }

    /** Over the header or body limit (413 for a request). */
    public record TooLarge(String reason) implements Result {
    }

    private static final Incomplete INCOMPLETE = new Incomplete();

    private final int maxHeaderBytes;
    private final int maxBodyBytes;

    public RtspParser(int maxHeaderBytes, int maxBodyBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxBodyBytes = maxBodyBytes;
    }

    public Result parse(byte[] buf, int offset, int length) {
        if (buf == null || offset < 0 || length < 0 || offset > buf.length - length) {
            return new Malformed("bad buffer bounds");
        }
        int end = offset + length;
        int start = offset;
        while (start < end && (buf[start] == '\r' || buf[start] == '\n')) {
            start++;
        }
        if (start == end) {
            return INCOMPLETE;
        }
        if (buf[start] == '$') {
            return new Malformed("interleaved binary data");
        }
        int headerEnd = -1; // index just after the blank line
        int limit = Math.min(end, start + maxHeaderBytes + 4);
        for (int i = start; i < limit; i++) {
            if (buf[i] == '\n') {
                if (i + 1 < end && buf[i + 1] == '\n') {
                    headerEnd = i + 2;
                    break;
                }
                if (i + 2 < end && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
                    headerEnd = i + 3;
                    break;
                }
            }
        }
        if (headerEnd < 0) {
            if (end - start > maxHeaderBytes) {
                return new TooLarge("headers over " + maxHeaderBytes + " bytes");
            }
            Malformed early = earlyGarbage(buf, start, end);
            return early != null ? early : INCOMPLETE;
        }
        if (headerEnd - start > maxHeaderBytes + 4) {
            return new TooLarge("headers over " + maxHeaderBytes + " bytes");
        }
        String head = new String(buf, start, headerEnd - start, StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>(Arrays.asList(head.split("\r?\n", -1)));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        String first = lines.get(0);
        List<RtspHeaders.Field> fields = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (hasControl(line)) {
                return new Malformed("control character in header line " + i);
            }
            if ((line.startsWith(" ") || line.startsWith("\t")) && !fields.isEmpty()) {
                RtspHeaders.Field last = fields.remove(fields.size() - 1);
                fields.add(new RtspHeaders.Field(last.name(), (last.value() + " " + line.strip()).strip()));
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line.substring(0, colon))) {
                return new Malformed("bad header line " + i);
            }
            fields.add(new RtspHeaders.Field(line.substring(0, colon), line.substring(colon + 1).strip()));
        }
        RtspHeaders headers = RtspHeaders.of(fields);
        long contentLength = 0;
        List<String> lengths = headers.all("Content-Length");
        if (!lengths.isEmpty()) {
            contentLength = parseLength(lengths.get(0));
            for (String l : lengths) {
                if (parseLength(l) != contentLength) {
                    return new Malformed("contradictory Content-Length");
                }
            }
            if (contentLength < 0) {
                return new Malformed("bad Content-Length");
            }
            if (contentLength > maxBodyBytes) {
                return new TooLarge("body of " + contentLength + " bytes over " + maxBodyBytes);
            }
        }
        if (end - headerEnd < contentLength) {
            return INCOMPLETE;
        }
        byte[] body = Arrays.copyOfRange(buf, headerEnd, headerEnd + (int) contentLength);
        int consumed = headerEnd + (int) contentLength - offset;
        RtspMessage m = startLine(first, headers, body);
        return m == null ? new Malformed("bad start line") : new Parsed(m, consumed);
    }

    /** A first line that can already be seen to be wrong, so garbage without a blank line fails fast. */
    private static Malformed earlyGarbage(byte[] buf, int start, int end) {
        for (int i = start; i < end; i++) {
            byte b = buf[i];
            if (b == '\n' || b == '\r') {
                String first = new String(buf, start, i - start, StandardCharsets.ISO_8859_1);
                return startLine(first, RtspHeaders.EMPTY, new byte[0]) == null ? new Malformed("bad start line")
                        : null;
            }
            if ((b < 0x20 && b != '\t') || b == 0x7F) {
                return new Malformed("control character in the start line");
            }
        }
        return null;
    }

    private static RtspMessage startLine(String line, RtspHeaders headers, byte[] body) {
        if (hasControl(line)) {
            return null;
        }
        if (line.startsWith("RTSP/")) {
            // RTSP/1.0 200 OK
            int sp1 = line.indexOf(' ');
            if (sp1 < 0 || !isVersion(line.substring(0, sp1)) || line.length() < sp1 + 4) {
                return null;
            }
            String code = line.substring(sp1 + 1, sp1 + 4);
            if (!code.chars().allMatch(c -> c >= '0' && c <= '9') || code.charAt(0) == '0'
                    || (line.length() > sp1 + 4 && line.charAt(sp1 + 4) != ' ')) {
                return null;
            }
            String reason = line.length() > sp1 + 5 ? line.substring(sp1 + 5) : "";
            return new RtspResponse(line.substring(0, sp1), Integer.parseInt(code), reason, headers, body);
        }
        // METHOD SP URI SP VERSION; the URI may hold spaces: clients (the C++ daemon's users among them) send
        // rtsp://host/by-name/Daemon 580a0200 tone unencoded, so the method ends at the first space and the
        // version starts after the last one
        int sp1 = line.indexOf(' ');
        int sp2 = line.lastIndexOf(' ');
        if (sp1 <= 0 || sp2 <= sp1 + 1) {
            return null;
        }
        String method = line.substring(0, sp1);
        String rawUri = line.substring(sp1 + 1, sp2);
        String version = line.substring(sp2 + 1);
        if (!isToken(method) || !isVersion(version) || rawUri.startsWith(" ") || rawUri.endsWith(" ")) {
            return null;
        }
        return new RtspRequest(method, normalizedUri(rawUri), version, headers, body);
    }

    /**
     * The URI with spaces, tabs and raw bytes over 0x7E (UTF-8 sent unencoded; the head is read as ISO-8859-1, one char a
     * byte) percent-encoded, so a request URI is always ASCII without spaces.
     */
    private static String normalizedUri(String raw) {
        StringBuilder sb = null;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                if (sb == null) {
                    sb = new StringBuilder(raw.length() + 16).append(raw, 0, i);
                }
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? raw : sb.toString();
    }

    private static boolean isVersion(String s) {
        // RTSP/<digits>.<digits>
        if (!s.startsWith("RTSP/") || s.length() > 16) {
            return false;
        }
        String v = s.substring(5);
        int dot = v.indexOf('.');
        return dot > 0 && dot < v.length() - 1 && v.chars().filter(c -> c == '.').count() == 1
                && v.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static long parseLength(String v) {
        if (v.isEmpty() || v.length() > 10 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(v);
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                return true;
            }
        }
        return false;
    }

    /** RFC 2616 token characters (method names, header names). */
    static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7F || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
