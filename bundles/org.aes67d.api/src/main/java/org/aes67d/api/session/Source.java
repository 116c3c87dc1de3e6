package org.aes67d.api.session;

import java.util.List;

/** A local RTP source, as in the REST API and the status file (field names follow the JSON keys). */
public record Source(int id, boolean enabled, String name, String io, int maxSamplesPerPacket, String codec,
        String address, int ttl, int payloadType, int dscp, boolean refclkPtpTraceable, List<Integer> map) {
    public Source {
        map = List.copyOf(map);
    }
}
