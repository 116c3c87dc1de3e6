package org.aes67d.security.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Policy for every HTTP request (daemon.conf keys {@code http_allowed_origins}, {@code http_auth},
 * {@code http_tokens}, {@code http_max_body_bytes}, {@code http_max_requests}). {@code console_user} and
 * {@code console_password} are the Web Console's user and password hash (the same user logs in to both).
 */
@ObjectClassDefinition(name = "AES67 HTTP security", description = "Cross-site refusal, CORS, authentication and "
        + "request limits of the REST API and the console (daemon.conf: http_allowed_origins, http_auth, ...)")
public @interface SecurityConfig {
    @AttributeDefinition(name = "Allowed origins", description = "Web origins (scheme://host[:port]) besides the "
            + "daemon's own that may change state from a browser and get CORS headers; * = any (the C++ daemon)")
    String http_allowed_origins() default "";

    @AttributeDefinition(name = "Require authentication",
            description = "Every request needs the console user's HTTP Basic credentials or a bearer token")
    boolean http_auth() default false;

    @AttributeDefinition(name = "Bearer tokens", description = "Hashes of accepted tokens, {sha-256}<base64>, "
            + "separated by commas")
    String http_tokens() default "";

    @AttributeDefinition(name = "Largest request body", description = "bytes; larger bodies are refused with 413")
    int http_max_body_bytes() default 1048576;

    @AttributeDefinition(name = "Concurrent requests",
            description = "requests handled at once; more are answered 503 at once")
    int http_max_requests() default 64;

    @AttributeDefinition(name = "Console user (daemon.conf: webconsole_user)")
    String console_user() default "admin";

    @AttributeDefinition(name = "Console password hash (daemon.conf: webconsole_password)",
            type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String console_password() default "";
}
