package org.aes67d.util.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The answers of the daemon's REST servlets, in the C++ daemon's form: plain-text errors, JSON bodies, empty
 * bodies with a status, and the C++ daemon's CORS headers.
 */
public final class HttpAnswers {
    private HttpAnswers() {
    }

    /**
     * The C++ daemon's CORS headers of every {@code /api} answer. The security bundle's policy decides whether they
     * reach the browser (dropped unless the page's origin is trusted; as set with {@code http_allowed_origins: "*"}),
     * so every servlet sets them and none decides.
     */
    public static void cppCors(HttpServletResponse resp) {
        resp.setHeader("Access-Control-Allow-Origin", "*");
        resp.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
        resp.setHeader("Access-Control-Allow-Headers", "x-user-id");
    }

    /** {@code text/plain; charset=utf-8} with the given status, e.g. an error {@code <context> : (daemon) ...}. */
    public static void text(HttpServletResponse resp, int status, String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType("text/plain; charset=utf-8");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    /** 200 with an {@code application/json} body already serialised. */
    public static void json(HttpServletResponse resp, byte[] body) throws IOException {
        resp.setStatus(200);
        resp.setContentType("application/json");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    /** The status and an empty body (200 for a successful PUT/POST/DELETE, 404 for an unknown path). */
    public static void empty(HttpServletResponse resp, int status) {
        resp.setStatus(status);
        resp.setContentLength(0);
    }
}
