package org.aes67d.itest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Predicate;

/** Small HTTP client for the tests, and polling with a deadline for things that happen asynchronously. */
final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;

    Http(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, null);
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send("POST", path, body, null);
    }

    HttpResponse<String> send(String method, String path, String body, String basicAuth)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (basicAuth != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basicAuth.getBytes()));
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GETs {@code path} until the response satisfies {@code ok} or the deadline passes; returns the last one. */
    HttpResponse<String> getUntil(String path, Predicate<HttpResponse<String>> ok, Duration timeout) throws Exception {
        @SuppressWarnings("unchecked")
        HttpResponse<String>[] last = new HttpResponse[1];
        Poll.until(() -> {
            try {
                last[0] = get(path);
                return ok.test(last[0]);
            } catch (IOException e) {
                return false; // not listening yet
            }
        }, timeout);
        return last[0];
    }
}
