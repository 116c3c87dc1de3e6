package org.aes67d.api.session;

import java.util.List;

/** A local RTP sink, as in the REST API and the status file. */
public record Sink(int id, String name, String io, boolean useSdp, String source, String sdp, int delay,
        boolean ignoreRefclkGmid, List<Integer> map) {
    public Sink {
        map = List.copyOf(map);
    }
}
