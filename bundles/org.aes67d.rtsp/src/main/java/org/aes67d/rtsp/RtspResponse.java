package org.aes67d.rtsp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * @param version e.g. {@code RTSP/1.0}
 * @param status three-digit status code
 * @param reason reason phrase, may be empty
 */
public record RtspResponse(String version, int status, String reason, RtspHeaders headers, byte[] body)
        implements RtspMessage {
    public RtspResponse {
        Objects.requireNonNull(headers, "headers");
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("bad status " + status);
        }
        if (reason.indexOf('\r') >= 0 || reason.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("line break in reason");
        }
        body = body.clone();
    }

    /** A response without body; the reason phrase is the standard one. */
    public static RtspResponse of(int status, RtspHeaders headers) {
        return new RtspResponse(VERSION, status, reason(status), headers, new byte[0]);
    }

    public static RtspResponse of(int status, RtspHeaders headers, String contentType, String text) {
        return new RtspResponse(VERSION, status, reason(status), headers.with("Content-Type", contentType),
                text.getBytes(StandardCharsets.UTF_8));
    }

    /** RFC 2326 section 7.1.1 phrases for the codes we send. */
    public static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Request Entity Too Large";
            case 414 -> "Request-URI Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "RTSP Version not supported";
            default -> "Status " + status;
        };
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public String startLine() {
        return version + " " + status + (reason.isEmpty() ? "" : " " + reason);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RtspResponse r && version.equals(r.version) && status == r.status
                && reason.equals(r.reason) && headers.equals(r.headers) && Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, status, reason, headers, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return startLine() + " (" + body.length + " bytes)";
    }
}
