package org.aes67d.security.internal;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * The response as servlets write it, with the CORS headers they set filtered by the origin policy, and no body
 * for {@code HEAD}.
 */
final class GuardedResponse extends HttpServletResponseWrapper {
    /** CORS headers are dropped: the requesting page (if any) is not trusted. */
    static final String NONE = "";
    /** CORS headers pass as the servlet set them ({@code http_allowed_origins} is {@code *}). */
    static final String AS_SET = "*";
    /** Request headers a trusted page may send besides the servlets' own list (JSON bodies, credentials). */
    static final String EXTRA_ALLOWED_HEADERS = "content-type, authorization";

    private final boolean head;
    /** True once the request body could not be read: the client's fault, answered by the guard. */
    private final java.util.function.BooleanSupplier bodyFailed;
    /** {@link #NONE}, {@link #AS_SET}, or the trusted origin to name in Access-Control-Allow-Origin. */
    private final String cors;
    private ServletOutputStream discarding;
    private PrintWriter discardingWriter;

    GuardedResponse(HttpServletResponse response, boolean head, String cors,
            java.util.function.BooleanSupplier bodyFailed) {
        super(response);
        this.head = head;
        this.cors = cors;
        this.bodyFailed = bodyFailed;
    }

    /**
     * The servlet container answers an exception with 500; one caused by a body that could not be read (a bad
     * chunk) is held back, so the guard can answer 400 or 413 instead.
     */
    @Override
    public void sendError(int sc, String msg) throws IOException {
        if (sc < 500 || !bodyFailed.getAsBoolean()) {
            super.sendError(sc, msg);
        }
    }

    @Override
    public void sendError(int sc) throws IOException {
        if (sc < 500 || !bodyFailed.getAsBoolean()) {
            super.sendError(sc);
        }
    }

    @Override
    public void setHeader(String name, String value) {
        String v = corsValue(name, value);
        if (v != null) {
            super.setHeader(name, v);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        String v = corsValue(name, value);
        if (v != null) {
            super.addHeader(name, v);
        }
    }

    /** The value to send for this header, or null to send none. */
    private String corsValue(String name, String value) {
        if (name == null || !name.toLowerCase(Locale.ROOT).startsWith("access-control-") || cors == AS_SET) {
            return value;
        }
        if (cors == NONE) {
            return null;
        }
        switch (name.toLowerCase(Locale.ROOT)) {
            case "access-control-allow-origin" -> {
                super.addHeader("Vary", "Origin");
                return cors;
            }
            case "access-control-allow-headers" -> {
                return value == null || value.isBlank() ? EXTRA_ALLOWED_HEADERS : value + ", " + EXTRA_ALLOWED_HEADERS;
            }
            default -> {
                return value;
            }
        }
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (!head) {
            return super.getOutputStream();
        }
        if (discarding == null) {
            discarding = new ServletOutputStream() {
                @Override
                public void write(int b) {
                    // HEAD: the headers of GET, no body
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    // HEAD: the headers of GET, no body
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    try {
                        listener.onWritePossible();
                    } catch (IOException e) {
                        listener.onError(e);
                    }
                }
            };
        }
        return discarding;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (!head) {
            return super.getWriter();
        }
        if (discardingWriter == null) {
            discardingWriter = new PrintWriter(new OutputStreamWriter(getOutputStream(), StandardCharsets.UTF_8));
        }
        return discardingWriter;
    }
}
