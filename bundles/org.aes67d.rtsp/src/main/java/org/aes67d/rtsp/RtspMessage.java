package org.aes67d.rtsp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A request or a response. Both directions carry both kinds: a server sends ANNOUNCE requests to its clients. */
public sealed interface RtspMessage permits RtspRequest, RtspResponse {
    String VERSION = "RTSP/1.0";

    RtspHeaders headers();

    byte[] body();

    /** The first line without its line end. */
    String startLine();

    /** Start line, headers (with Content-Length whenever there is a body), blank line, body; CRLF line ends. */
    default byte[] encode() {
        byte[] body = body();
        RtspHeaders h = headers();
        if (body.length > 0 || h.get("Content-Length") != null) {
            h = h.with("Content-Length", Integer.toString(body.length));
        }
        StringBuilder sb = new StringBuilder(startLine()).append("\r\n");
        for (RtspHeaders.Field f : h.fields()) {
            sb.append(f.name()).append(": ").append(f.value()).append("\r\n");
        }
        sb.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(sb.length() + body.length);
        // Header text is ISO-8859-1 on the wire (RFC 2326 section 15), as the parser reads it.
        out.writeBytes(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }

    default String bodyText() {
        return new String(body(), StandardCharsets.UTF_8);
    }
}
