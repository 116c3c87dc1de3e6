package org.aes67d.api.ptp;

/** Lock state as reported by {@code GET /api/ptp/status}. */
public enum PtpState {
    UNLOCKED, LOCKING, LOCKED;

    /** The lower-case word the REST API and the status script use. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
