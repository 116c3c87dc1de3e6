package org.aes67d.api.session;

/** The flags of {@code GET /api/sink/status/{id}}; {@code minTime} is the minimum arrival margin in samples. */
public record SinkStatus(boolean seqIdError, boolean ssrcError, boolean payloadTypeError, boolean sacError,
        boolean receivingRtpPacket, boolean someMuted, boolean allMuted, boolean muted, int minTime) {
    public static final SinkStatus IDLE = new SinkStatus(false, false, false, false, false, false, true, true, 0);
}
