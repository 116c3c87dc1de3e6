package org.aes67d.api.session;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flags of {@code GET /api/sink/status/{id}}; {@code minTime} is the minimum arrival margin in samples.
 * {@code verifier} (since 1.2) holds the stream verifier's counters (names in snake_case; values Number, Boolean,
 * String or nested maps of the same), shown as an extra object next to the C++ daemon's fields; empty if the
 * driver keeps none. {@code legs} (since 1.3) has one map per ST 2022-7 leg (same value types; docs/redundancy.md
 * names the keys), empty for a sink with one leg.
 */
public record SinkStatus(boolean seqIdError, boolean ssrcError, boolean payloadTypeError, boolean sacError,
        boolean receivingRtpPacket, boolean someMuted, boolean allMuted, boolean muted, int minTime,
        Map<String, Object> verifier, List<Map<String, Object>> legs) {
    public static final SinkStatus IDLE = new SinkStatus(false, false, false, false, false, false, true, true, 0);

    public SinkStatus {
        verifier = verifier == null || verifier.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(verifier));
        legs = legs == null || legs.isEmpty() ? List.of()
                : legs.stream().map(l -> Collections.unmodifiableMap(new LinkedHashMap<>(l))).toList();
    }

    /** The C++ daemon's fields and the verifier, one leg. */
    public SinkStatus(boolean seqIdError, boolean ssrcError, boolean payloadTypeError, boolean sacError,
            boolean receivingRtpPacket, boolean someMuted, boolean allMuted, boolean muted, int minTime,
            Map<String, Object> verifier) {
        this(seqIdError, ssrcError, payloadTypeError, sacError, receivingRtpPacket, someMuted, allMuted, muted,
                minTime, verifier, List.of());
    }

    /** The C++ daemon's fields only. */
    public SinkStatus(boolean seqIdError, boolean ssrcError, boolean payloadTypeError, boolean sacError,
            boolean receivingRtpPacket, boolean someMuted, boolean allMuted, boolean muted, int minTime) {
        this(seqIdError, ssrcError, payloadTypeError, sacError, receivingRtpPacket, someMuted, allMuted, muted,
                minTime, Map.of(), List.of());
    }
}
