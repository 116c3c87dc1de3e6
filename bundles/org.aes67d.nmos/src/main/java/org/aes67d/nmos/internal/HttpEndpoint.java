package org.aes67d.nmos.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.aes67d.api.security.RequestDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A small HTTP/1.1 server of its own on one port (the NMOS APIs are not under the daemon's {@code http_port}): the
 * JDK's server, so the port opens and closes with this bundle and nothing else is served on it. Every request
 * passes the {@link HttpGate} (the daemon's cross-site and authentication policy) before any handler; CORS headers
 * go only to the pages that policy trusts.
 */
final class HttpEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);
    /** Far above any NMOS request (a bulk PATCH of 64 receivers with SDPs is about 100 KB). */
    static final int MAX_BODY = 512 * 1024;
    static final String PLAIN = "text/plain; charset=utf-8";

    /** A response: JSON, or text with a content type. */
    record Reply(int status, JsonNode json, String contentType, String text, Map<String, String> headers) {
        static Reply json(int status, JsonNode body) {
            return new Reply(status, body, null, null, Map.of());
        }

        static Reply text(int status, String contentType, String text) {
            return new Reply(status, null, contentType, text, Map.of());
        }

        static Reply empty(int status) {
            return new Reply(status, null, null, null, Map.of());
        }

        Reply with(String header, String value) {
            return new Reply(status, json, contentType, text, Map.of(header, value));
        }
    }

    /** An HTTP request, already read. */
    record Request(String method, String path, String query, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @FunctionalInterface
    interface Handler {
        Reply handle(Request request);
    }

    private final HttpServer server;
    private final ExecutorService executor;

    HttpEndpoint(InetSocketAddress bind, String threadName, HttpGate gate, Handler handler) throws IOException {
        server = HttpServer.create(bind, 32);
        // bounded: a flood of requests waits in the queue instead of growing threads
        executor = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        server.setExecutor(executor);
        server.createContext("/", exchange -> serve(exchange, gate, handler));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void serve(HttpExchange ex, HttpGate gate, Handler handler) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            RequestDecision d = gate.decide(method, ex.getRequestHeaders()::getFirst,
                    method + " " + ex.getRequestURI().getRawPath(), String.valueOf(ex.getRemoteAddress()));
            cors(ex, d.corsOrigin());
            Reply reply;
            if (!d.allowed()) {
                // before the body is read and any handler runs: nothing is changed
                reply = Reply.text(d.status(), PLAIN, d.reason());
                if (d.challenge() != null) {
                    reply = reply.with("WWW-Authenticate", d.challenge());
                }
            } else if (method.equals("OPTIONS")) {
                reply = Reply.empty(200);
            } else {
                byte[] body = readBody(ex.getRequestBody());
                if (body == null) {
                    reply = Errors.reply(413, "request body over " + MAX_BODY + " bytes");
                } else {
                    try {
                        reply = handler.handle(new Request(method, ex.getRequestURI().getRawPath(),
                                ex.getRequestURI().getRawQuery(), body));
                    } catch (RuntimeException e) {
                        LOG.error("NMOS {} {} failed", method, ex.getRequestURI(), e);
                        reply = Errors.reply(500, "internal error: " + e);
                    }
                }
            }
            send(ex, reply);
        }
    }

    /** The CORS headers for a page of a trusted origin (or any, with {@code *}); none for everybody else. */
    private static void cors(HttpExchange ex, String origin) {
        if (!RequestDecision.ANY_ORIGIN.equals(origin)) {
            // the answer depends on the page that asks: caches must not hand one page's answer to another
            ex.getResponseHeaders().add("Vary", "Origin");
        }
        if (origin == null) {
            return;
        }
        ex.getResponseHeaders().add("Access-Control-Allow-Origin", origin);
        ex.getResponseHeaders().add("Access-Control-Allow-Methods", "GET, PUT, POST, PATCH, HEAD, OPTIONS, DELETE");
        ex.getResponseHeaders().add("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization");
        ex.getResponseHeaders().add("Access-Control-Max-Age", "3600");
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] b = in.readNBytes(MAX_BODY + 1);
        return b.length > MAX_BODY ? null : b;
    }

    private static void send(HttpExchange ex, Reply r) throws IOException {
        r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        byte[] bytes;
        if (r.json() != null) {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            try {
                bytes = Resources.JSON.writeValueAsBytes(r.json());
            } catch (JsonProcessingException e) {
                throw new IOException(e);
            }
        } else if (r.text() != null) {
            ex.getResponseHeaders().set("Content-Type", r.contentType());
            bytes = r.text().getBytes(StandardCharsets.UTF_8);
        } else {
            bytes = new byte[0];
        }
        boolean head = ex.getRequestMethod().equals("HEAD");
        if (bytes.length == 0 || r.status() == 204) {
            ex.sendResponseHeaders(r.status(), -1);
            return;
        }
        ex.sendResponseHeaders(r.status(), head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
