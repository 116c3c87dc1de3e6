package org.aes67d.nmos.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registries this node may use, best first: those found by DNS-SD ordered by their {@code pri} TXT record
 * (lower is better, as IS-04 says), then the configured address as the fallback. A registry that failed is skipped
 * for {@link #FAIL_HOLD_MILLIS}; when all have failed the one that failed longest ago is tried again.
 */
final class RegistryFinder {
    static final long FAIL_HOLD_MILLIS = 10_000;

    /** A registry announced by DNS-SD. */
    record Found(String name, URI uri, int priority) {
    }

    private final URI configured;
    private final Map<String, Found> found = new ConcurrentHashMap<>();
    private final Map<URI, Long> failedAt = new ConcurrentHashMap<>();

    /** @param configured the fallback, or null for none */
    RegistryFinder(URI configured) {
        this.configured = configured;
    }

    void found(Found f) {
        found.put(f.name(), f);
    }

    void lost(String name) {
        found.remove(name);
    }

    void failed(URI uri) {
        if (uri != null) {
            failedAt.put(uri, System.nanoTime());
        }
    }

    /** The candidates, best first. */
    List<URI> candidates() {
        List<Found> f = new ArrayList<>(found.values());
        f.sort(Comparator.comparingInt(Found::priority).thenComparing(Found::name));
        List<URI> out = new ArrayList<>();
        f.forEach(x -> {
            if (!out.contains(x.uri())) {
                out.add(x.uri());
            }
        });
        if (configured != null && !out.contains(configured)) {
            out.add(configured);
        }
        return out;
    }

    /** How a candidate was found: its DNS-SD announcement, or null for the configured fallback (or unknown). */
    Found announcement(URI uri) {
        return found.values().stream().filter(f -> f.uri().equals(uri))
                .min(Comparator.comparingInt(Found::priority).thenComparing(Found::name)).orElse(null);
    }

    /** Whether {@code uri} failed less than {@link #FAIL_HOLD_MILLIS} ago (it is skipped while others remain). */
    boolean holding(URI uri) {
        Long at = failedAt.get(uri);
        return at != null && System.nanoTime() - at <= FAIL_HOLD_MILLIS * 1_000_000L;
    }

    /** The registry to use now, or null when there is none at all (peer-to-peer mode). */
    URI current() {
        List<URI> all = candidates();
        long now = System.nanoTime();
        URI oldestFailure = null;
        long oldest = Long.MAX_VALUE;
        for (URI u : all) {
            Long at = failedAt.get(u);
            if (at == null || now - at > FAIL_HOLD_MILLIS * 1_000_000L) {
                return u;
            }
            if (at < oldest) {
                oldest = at;
                oldestFailure = u;
            }
        }
        return oldestFailure;
    }
}
