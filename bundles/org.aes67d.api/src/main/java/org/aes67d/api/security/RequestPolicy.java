package org.aes67d.api.security;

import java.util.function.UnaryOperator;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Whether one HTTP request may reach a handler, by the daemon's rules ({@code http_allowed_origins},
 * {@code http_auth}, {@code http_tokens}; docs/security.md): a state-changing request from a web page of another
 * origin than the server and not allowed is refused 403; with {@code http_auth}, one without valid credentials 401.
 * Registered by the security bundle; a server that has its own port (NMOS) asks it before any handler runs, so
 * that every port follows one policy. Deciding changes nothing and counts nothing: the caller counts its refusals.
 */
@ProviderType
public interface RequestPolicy {

    /**
     * @param method the request method as sent ({@code HEAD} is not folded into {@code GET})
     * @param scheme {@code http} or {@code https}: with the {@code Host} header, the server's own origin
     * @param header the request header of a name (case-insensitive), its first value or null; the policy reads
     *            {@code Origin}, {@code Referer}, {@code Host}, {@code Sec-Fetch-Site} and {@code Authorization}
     */
    RequestDecision decide(String method, String scheme, UnaryOperator<String> header);
}
