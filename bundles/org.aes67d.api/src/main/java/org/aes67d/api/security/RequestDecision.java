package org.aes67d.api.security;

import java.util.Objects;

/**
 * The answer of {@link RequestPolicy}: allowed, or refused with a status and a plain-text reason to send as the
 * body; either way, the CORS origin the answer may name.
 */
public final class RequestDecision {
    /** {@link #corsOrigin()} when every origin is trusted ({@code http_allowed_origins} is {@code *}). */
    public static final String ANY_ORIGIN = "*";

    private final int status;
    private final String reason;
    private final String corsOrigin;
    private final String user;
    private final String challenge;

    private RequestDecision(int status, String reason, String corsOrigin, String user, String challenge) {
        this.status = status;
        this.reason = reason;
        this.corsOrigin = corsOrigin;
        this.user = user;
        this.challenge = challenge;
    }

    /**
     * @param corsOrigin see {@link #corsOrigin()}
     * @param user see {@link #user()}
     */
    public static RequestDecision allow(String corsOrigin, String user) {
        return new RequestDecision(0, null, corsOrigin, user, null);
    }

    /**
     * @param status 401 (credentials missing or wrong), 403 (cross-site) or 503 (the policy is not loaded yet)
     * @param reason one line of plain text, sent as the body
     * @param corsOrigin see {@link #corsOrigin()}: a trusted page may read why it was refused
     * @param challenge the {@code WWW-Authenticate} value of a 401, else null
     */
    public static RequestDecision refuse(int status, String reason, String corsOrigin, String challenge) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("not a refusal status: " + status);
        }
        return new RequestDecision(status, Objects.requireNonNull(reason, "reason"), corsOrigin, null, challenge);
    }

    public boolean allowed() {
        return status == 0;
    }

    /** The status to answer with when refused; 0 when allowed. */
    public int status() {
        return status;
    }

    /** Why it is refused, plain text on one line; null when allowed. */
    public String reason() {
        return reason;
    }

    /**
     * The value of {@code Access-Control-Allow-Origin}: the requesting page's origin when it is trusted (answer
     * with {@code Vary: Origin}), {@link #ANY_ORIGIN}, or null when no CORS header may be sent at all.
     */
    public String corsOrigin() {
        return corsOrigin;
    }

    /** Whom the {@code Authorization} header proves (checked even with {@code http_auth} off), or null. */
    public String user() {
        return user;
    }

    /** The {@code WWW-Authenticate} value to send with a 401, else null. */
    public String challenge() {
        return challenge;
    }

    @Override
    public String toString() {
        return allowed() ? "allowed (cors " + corsOrigin + ")" : status + " " + reason;
    }
}
