package org.aes67d.security.internal;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which web origins may drive the API from a browser. A browser names the page that makes a request in
 * {@code Origin} (or, failing that, {@code Referer}); scripts send neither. A state-changing request from a page
 * of another origin than the daemon itself, and not in the allow-list, is refused: that is what stops a web page
 * in an operator's browser from reconfiguring the daemon (a form POST or a text/plain fetch needs no preflight).
 */
final class OriginPolicy {
    /** Methods that never change state; everything else (POST, PUT, DELETE, PATCH, ...) is checked. */
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final boolean anyOrigin;
    private final Set<String> allowed;

    private OriginPolicy(boolean anyOrigin, Set<String> allowed) {
        this.anyOrigin = anyOrigin;
        this.allowed = allowed;
    }

    /**
     * The allow-list of {@code http_allowed_origins}: origins separated by commas or blanks, or {@code *}.
     *
     * @throws IllegalArgumentException naming the first entry that is not {@code scheme://host[:port]}
     */
    static OriginPolicy parse(String list) {
        Set<String> out = new LinkedHashSet<>();
        boolean any = false;
        for (String entry : list.trim().split("[,\\s]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.equals("*")) {
                any = true;
                continue;
            }
            String normal = normalise(entry);
            if (normal == null) {
                throw new IllegalArgumentException("not an origin (scheme://host[:port]): " + entry);
            }
            out.add(normal);
        }
        return new OriginPolicy(any, Set.copyOf(out));
    }

    /** {@code *}: every origin is trusted, as the C++ daemon does (CORS headers on every answer). */
    boolean anyOrigin() {
        return anyOrigin;
    }

    /**
     * The origin of the page that made the request, as the browser said it: {@code Origin}, else the origin of
     * {@code Referer}; null when the request names none (a script). {@code "null"} (an opaque origin) is kept.
     */
    static String requestOrigin(String originHeader, String referer) {
        if (originHeader != null && !originHeader.isBlank()) {
            String o = originHeader.trim();
            String normal = normalise(o);
            return normal != null ? normal : o.toLowerCase(Locale.ROOT);
        }
        if (referer != null && !referer.isBlank()) {
            String normal = normalise(referer.trim());
            return normal != null ? normal : "null";
        }
        return null;
    }

    /** The daemon's own origin for this request: its scheme and the Host the client addressed. */
    static String ownOrigin(String scheme, String hostHeader) {
        String normal = hostHeader == null ? null : normalise(scheme + "://" + hostHeader.trim());
        return normal == null ? "" : normal;
    }

    /** True when a page of {@code origin} may use the API: the daemon's own origin, or an allowed one. */
    boolean trusted(String origin, String own) {
        return anyOrigin || origin.equals(own) || allowed.contains(origin);
    }

    /**
     * Null when the request may proceed, else why it is refused: a state-changing method from a page of an
     * untrusted origin, or one that the browser marks as cross-site without naming it.
     */
    String refusal(String method, String origin, String own, String secFetchSite) {
        if (anyOrigin || SAFE_METHODS.contains(method)) {
            return null;
        }
        if (origin == null) {
            return "cross-site".equals(secFetchSite) ? "a cross-site request that names no origin" : null;
        }
        if (trusted(origin, own)) {
            return null;
        }
        return "origin " + origin + " is neither this daemon (" + own + ") nor in http_allowed_origins";
    }

    /** scheme://host[:port] in lower case without the scheme's default port and any path; null if not one. */
    static String normalise(String text) {
        URI u;
        try {
            u = new URI(text);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
        String scheme = u.getScheme();
        String host = u.getHost();
        if (scheme == null || host == null || u.getRawUserInfo() != null) {
            return null;
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return null;
        }
        int port = u.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
}
