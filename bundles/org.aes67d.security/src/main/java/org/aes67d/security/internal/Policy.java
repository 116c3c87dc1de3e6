package org.aes67d.security.internal;

import java.util.Set;
import java.util.function.UnaryOperator;

import org.aes67d.api.security.RequestDecision;
import org.aes67d.api.security.RequestPolicy;
import org.slf4j.Logger;

/**
 * The cross-site and authentication rules of one configuration, the one place they are decided: the
 * {@link HttpGuard} applies them to the whiteboard's requests, and publishes them as {@link RequestPolicy} for the
 * servers with a port of their own (NMOS). Immutable.
 */
public final class Policy implements RequestPolicy {
    /** The start of a cross-site refusal's reason (the log line leaves it out: it says "refused" itself). */
    static final String CROSS_SITE = "cross-site request refused : (daemon) ";

    /** The Web Console's realm: a browser logged in to the console answers the API's challenge by itself. */
    static final String REALM = "OSGi Management Console";
    static final String CHALLENGE = "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"";
    /** Preflights carry no credentials (browsers never send them), so they are not asked for any. */
    private static final Set<String> NO_AUTH_METHODS = Set.of("OPTIONS");

    private final OriginPolicy origins;
    private final boolean auth;
    private final Credentials credentials;

    private Policy(OriginPolicy origins, boolean auth, Credentials credentials) {
        this.origins = origins;
        this.auth = auth;
        this.credentials = credentials;
    }

    /**
     * The policy of these settings, strictly: a malformed origin or token entry is an error.
     *
     * @throws IllegalArgumentException for an entry of {@code allowedOrigins} or {@code tokens} that is not one
     */
    public static Policy of(String allowedOrigins, boolean auth, String consoleUser, String consolePassword,
            String tokens) {
        return new Policy(OriginPolicy.parse(allowedOrigins), auth,
                Credentials.of(consoleUser, consolePassword, tokens));
    }

    /** The policy of a configuration record; a malformed entry gets the safe default for its key, loudly. */
    static Policy of(SecurityConfig c, Logger log) {
        OriginPolicy origins;
        Credentials credentials;
        try {
            origins = OriginPolicy.parse(c.http_allowed_origins());
        } catch (IllegalArgumentException e) {
            // the config bundle checks the key; a record written around it gets the safe default
            log.error("http_allowed_origins: {}; no other origin is allowed", e.getMessage());
            origins = OriginPolicy.parse("");
        }
        try {
            credentials = Credentials.of(c.console_user(), c.console_password(), c.http_tokens());
        } catch (IllegalArgumentException e) {
            log.error("http_tokens: {}; no token is accepted", e.getMessage());
            credentials = Credentials.of(c.console_user(), c.console_password(), "");
        }
        return new Policy(origins, c.http_auth(), credentials);
    }

    boolean anyOrigin() {
        return origins.anyOrigin();
    }

    boolean auth() {
        return auth;
    }

    @Override
    public RequestDecision decide(String method, String scheme, UnaryOperator<String> header) {
        String origin = OriginPolicy.requestOrigin(header.apply("Origin"), header.apply("Referer"));
        String own = OriginPolicy.ownOrigin(scheme, header.apply("Host"));
        String refusal = origins.refusal(method, origin, own, header.apply("Sec-Fetch-Site"));
        if (refusal != null) {
            // no CORS header: the page's script cannot read the answer
            return RequestDecision.refuse(403, CROSS_SITE + refusal, null, null);
        }
        String cors = origins.anyOrigin() ? RequestDecision.ANY_ORIGIN
                : origin != null && origins.trusted(origin, own) ? origin : null;
        // checked even with http_auth off: changes that reach beyond audio need them (OperatorOnlyException)
        String user = credentials.userOf(header.apply("Authorization"));
        if (auth && user == null && !NO_AUTH_METHODS.contains(method)) {
            return RequestDecision.refuse(401, "authentication required : (daemon) send the Web Console user's "
                    + "credentials (HTTP Basic) or a bearer token", cors, CHALLENGE);
        }
        return RequestDecision.allow(cors, user);
    }
}
