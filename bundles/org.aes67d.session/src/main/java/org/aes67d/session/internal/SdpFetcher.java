package org.aes67d.session.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Fetches an SDP from an http:// URL (GET) or an rtsp:// URL (DESCRIBE), with a timeout and a size limit. */
final class SdpFetcher {
    static final int MAX_SDP = 64 * 1024;
    private final Duration timeout;
    private final HttpClient http;

    SdpFetcher(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    String fetch(URI uri) throws IOException {
        return "rtsp".equals(uri.getScheme()) ? describe(uri) : get(uri);
    }

    private String get(URI uri) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/sdp").GET().build();
        try {
            HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                byte[] body = in.readNBytes(MAX_SDP + 1);
                if (r.statusCode() != 200) {
                    throw new IOException("HTTP " + r.statusCode());
                }
                return limited(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    /** A minimal RTSP/1.0 DESCRIBE: enough for RAVENNA devices and our own RTSP server. */
    private String describe(URI uri) throws IOException {
        int port = uri.getPort() > 0 ? uri.getPort() : 554;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), port), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(("DESCRIBE " + uri.toASCIIString() + " RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String status = line(in);
            if (!status.startsWith("RTSP/1.0 200")) {
                throw new IOException("RTSP answer \"" + status + "\"");
            }
            int length = -1;
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                    try {
                        length = Integer.parseInt(h.substring(colon + 1).trim());
                    } catch (NumberFormatException e) {
                        throw new IOException("bad Content-Length");
                    }
                }
            }
            if (length < 0 || length > MAX_SDP) {
                throw new IOException("missing or too large Content-Length");
            }
            return limited(in.readNBytes(length));
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (b.size() > 4096) {
                throw new IOException("header line too long");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private static String limited(byte[] body) throws IOException {
        if (body.length > MAX_SDP) {
            throw new IOException("SDP larger than " + MAX_SDP + " bytes");
        }
        return new String(body, StandardCharsets.UTF_8);
    }
}
