package org.aes67d.rtsp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * @param method e.g. {@code DESCRIBE}
 * @param uri the request URI as sent (percent-encoded)
 * @param version e.g. {@code RTSP/1.0}
 */
public record RtspRequest(String method, String uri, String version, RtspHeaders headers, byte[] body)
        implements RtspMessage {
    public RtspRequest {
        Objects.requireNonNull(headers, "headers");
        if (!RtspParser.isToken(method)) {
            throw new IllegalArgumentException("bad method");
        }
        if (uri.isEmpty() || uri.chars().anyMatch(c -> c <= 0x20 || c == 0x7F)) {
            throw new IllegalArgumentException("bad request URI");
        }
        body = body.clone();
    }

    public RtspRequest(String method, String uri, RtspHeaders headers) {
        this(method, uri, VERSION, headers, new byte[0]);
    }

    /** A request with a text body of the given Content-Type. */
    public static RtspRequest withBody(String method, String uri, RtspHeaders headers, String contentType,
            String text) {
        return new RtspRequest(method, uri, VERSION, headers.with("Content-Type", contentType),
                text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public String startLine() {
        return method + " " + uri + " " + version;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RtspRequest r && method.equals(r.method) && uri.equals(r.uri) && version.equals(r.version)
                && headers.equals(r.headers) && Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, uri, version, headers, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return startLine() + " (" + body.length + " bytes)";
    }
}
