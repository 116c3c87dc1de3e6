package org.aes67d.nmos.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.aes67d.api.security.RequestDecision;
import org.aes67d.api.security.RequestPolicy;
import org.aes67d.util.log.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's HTTP policy on the NMOS port: the security bundle's {@link RequestPolicy} decides (the same rules
 * as on {@code http_port}); while that service is absent (the bundle stopped), no web page may change anything
 * (a state-changing request that names a page or is marked as from a browser is 403) and no answer carries CORS
 * headers, while scripts and NMOS controllers that are not browsers go on working. Refusals are counted for the
 * {@code nmos} subsystem, and logged at most once a minute.
 */
final class HttpGate {
    private static final Logger LOG = LoggerFactory.getLogger(HttpGate.class);
    private static final Duration LOG_INTERVAL = Duration.ofMinutes(1);
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    static final String NO_POLICY = "cross-site request refused : (daemon) the HTTP security bundle is not "
            + "running, so no web page may change this node";

    private final Supplier<RequestPolicy> policy;
    private final RateLimitedLog crossSite = new RateLimitedLog(LOG, LOG_INTERVAL);
    private final RateLimitedLog unauthorized = new RateLimitedLog(LOG, LOG_INTERVAL);
    private final RateLimitedLog notReady = new RateLimitedLog(LOG, LOG_INTERVAL);

    /** @param policy the security bundle's service now, or null while there is none */
    HttpGate(Supplier<RequestPolicy> policy) {
        this.policy = policy;
    }

    /**
     * The decision for one request, counted and logged when it is a refusal.
     *
     * @param what method and path, for the log
     * @param from the peer's address, for the log
     */
    RequestDecision decide(String method, UnaryOperator<String> header, String what, String from) {
        RequestPolicy p = policy.get();
        RequestDecision d;
        try {
            d = p == null ? withoutPolicy(method, header) : p.decide(method, "http", header);
        } catch (RuntimeException e) {
            // a broken policy must not open the port: the browser rule without it
            LOG.error("NMOS: the HTTP policy failed for {}: {}", what, e.toString());
            d = withoutPolicy(method, header);
        }
        if (!d.allowed()) {
            RateLimitedLog log = d.status() == 401 ? unauthorized : d.status() == 403 ? crossSite : notReady;
            log.warn("NMOS: {} from {} answered {}: {} ({} so far)", what, from, d.status(), d.reason(),
                    log.total() + 1);
        }
        return d;
    }

    /** The fail-closed rule for browsers: without the policy, only requests that name no page may change state. */
    static RequestDecision withoutPolicy(String method, UnaryOperator<String> header) {
        if (SAFE_METHODS.contains(method)) {
            return RequestDecision.allow(null, null);
        }
        String site = header.apply("Sec-Fetch-Site");
        boolean fromPage = present(header.apply("Origin")) || present(header.apply("Referer"))
                || (site != null && !site.equalsIgnoreCase("none"));
        return fromPage ? RequestDecision.refuse(403, NO_POLICY, null, null) : RequestDecision.allow(null, null);
    }

    private static boolean present(String v) {
        return v != null && !v.isBlank();
    }

    /** The {@code nmos} refusal counts (org.aes67d.api.limits.Refusals). */
    Map<String, Long> counts() {
        return Map.of("cross_site", crossSite.total(), "unauthorized", unauthorized.total(), "not_ready",
                notReady.total());
    }
}
