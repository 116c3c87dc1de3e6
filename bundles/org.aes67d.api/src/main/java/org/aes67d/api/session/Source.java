package org.aes67d.api.session;

import java.util.List;

/**
 * A local RTP source, as in the REST API and the status file (field names follow the JSON keys).
 *
 * @param sampleRate samples per second of this stream; 0 means the daemon's default {@code sample_rate}
 */
public record Source(int id, boolean enabled, String name, String io, int maxSamplesPerPacket, String codec,
        String address, int ttl, int payloadType, int dscp, boolean refclkPtpTraceable, List<Integer> map,
        int sampleRate) {
    public Source {
        map = List.copyOf(map);
    }

    /** A source at the daemon's default sample rate (the C++ daemon's object, which has no rate). */
    public Source(int id, boolean enabled, String name, String io, int maxSamplesPerPacket, String codec,
            String address, int ttl, int payloadType, int dscp, boolean refclkPtpTraceable, List<Integer> map) {
        this(id, enabled, name, io, maxSamplesPerPacket, codec, address, ttl, payloadType, dscp, refclkPtpTraceable,
                map, 0);
    }
}
