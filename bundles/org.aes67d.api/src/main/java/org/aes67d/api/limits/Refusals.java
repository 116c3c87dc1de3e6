package org.aes67d.api.limits;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What one subsystem has refused or dropped of outside input because it broke a limit or a rule (too large, too
 * many, cross-site, spoofed...), counted since the subsystem started. Registered by each bundle that enforces such
 * limits, read by monitors (the metrics endpoint); reading changes nothing.
 */
@ConsumerType
public interface Refusals {

    /** Which subsystem: a short lowercase word ({@code http}, {@code sap}, {@code rtsp}). */
    String subsystem();

    /** Count per kind of refusal; kinds are short snake_case words, the same set at every call. */
    Map<String, Long> counts();
}
