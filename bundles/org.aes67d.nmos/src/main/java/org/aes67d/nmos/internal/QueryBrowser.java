package org.aes67d.nmos.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.aes67d.api.discovery.RemoteSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The senders of other nodes, read from the registry's Query API ({@code /x-nmos/query/v1.3/senders}, on the
 * registry the node is registered with) with the SDP each one's {@code manifest_href} serves. {@link #refresh()} runs
 * on the node's thread every few seconds; {@link #sources()} returns the last result at once.
 */
final class QueryBrowser {
    private static final Logger LOG = LoggerFactory.getLogger(QueryBrowser.class);
    static final String PATH = "/x-nmos/query/" + Resources.API_VERSION;
    static final int MAX_SDP = 64 * 1024;

    /** A sender as last listed; its SDP is fetched again only when its version changes. */
    private record Seen(RemoteSource source) {
    }

    private final Supplier<String> registry;
    private final Supplier<String> ownDevice;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Seen> seen = new HashMap<>(); // node thread
    private volatile List<RemoteSource> sources = List.of();
    private String lastError;

    /**
     * @param registry the registry in use (its base URL) or null
     * @param ownDevice this node's device id (our own senders are not listed)
     */
    QueryBrowser(Supplier<String> registry, Supplier<String> ownDevice) {
        this.registry = registry;
        this.ownDevice = ownDevice;
    }

    List<RemoteSource> sources() {
        return sources;
    }

    void refresh() {
        String base = registry.get();
        if (base == null) {
            sources = List.of();
            return;
        }
        try {
            JsonNode senders = Resources.JSON.readTree(get(URI.create(base + PATH + "/senders")));
            Map<String, Seen> next = new HashMap<>();
            for (JsonNode s : senders) {
                String id = s.path("id").asText();
                String manifest = s.path("manifest_href").asText(null);
                if (id.isEmpty() || manifest == null || s.path("device_id").asText().equals(ownDevice.get())
                        || !s.path("transport").asText().startsWith("urn:x-nmos:transport:rtp")) {
                    continue;
                }
                String version = s.path("version").asText();
                Seen old = seen.get(id + "@" + version);
                if (old == null) {
                    String sdp = get(URI.create(manifest));
                    URI m = URI.create(manifest);
                    // listed by the registry = alive (it expires nodes that stop beating): last seen now
                    old = new Seen(new RemoteSource("NMOS", id, s.path("label").asText(), "", m.getHost(), sdp, 0, 0));
                }
                next.put(id + "@" + version, old);
            }
            seen.clear();
            seen.putAll(next);
            List<RemoteSource> out = new ArrayList<>();
            next.values().forEach(x -> out.add(x.source()));
            out.sort((a, b) -> a.name().compareTo(b.name()));
            sources = List.copyOf(out);
            lastError = null;
        } catch (IOException | IllegalArgumentException e) {
            if (!e.toString().equals(lastError)) {
                LOG.warn("NMOS: cannot read senders from the Query API of {}: {}", base, e.toString());
                lastError = e.toString();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered " + r.statusCode());
        }
        if (r.body().length() > MAX_SDP * 64) {
            throw new IOException("GET " + uri + ": answer too large");
        }
        return r.body();
    }
}
