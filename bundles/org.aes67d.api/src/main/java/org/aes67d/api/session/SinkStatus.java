package org.aes67d.api.session;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The flags of {@code GET /api/sink/status/{id}}; {@code minTime} is the minimum arrival margin in samples.
 * {@code verifier} (since 1.2) holds the stream verifier's counters (names in snake_case; values Number, Boolean,
 * String or nested maps of the same), shown as an extra object next to the C++ daemon's fields; empty if the
 * driver keeps none.
 */
public record SinkStatus(boolean seqIdError, boolean ssrcError, boolean payloadTypeError, boolean sacError,
        boolean receivingRtpPacket, boolean someMuted, boolean allMuted, boolean muted, int minTime,
        Map<String, Object> verifier) {
    public static final SinkStatus IDLE = new SinkStatus(false, false, false, false, false, false, true, true, 0);

    public SinkStatus {
        verifier = verifier == null || verifier.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(verifier));
    }

    /** The C++ daemon's fields only. */
    public SinkStatus(boolean seqIdError, boolean ssrcError, boolean payloadTypeError, boolean sacError,
            boolean receivingRtpPacket, boolean someMuted, boolean allMuted, boolean muted, int minTime) {
        this(seqIdError, ssrcError, payloadTypeError, sacError, receivingRtpPacket, someMuted, allMuted, muted,
                minTime, Map.of());
    }
}
