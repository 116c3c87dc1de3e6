package org.aes67d.rtsp.internal;

import java.util.Set;

import org.aes67d.rtsp.RtspHeaders;
import org.aes67d.rtsp.RtspMessage;
import org.aes67d.rtsp.RtspRequest;
import org.aes67d.rtsp.RtspResponse;
import org.aes67d.rtsp.RtspUris;

/**
 * Requests to responses, without sockets: OPTIONS and DESCRIBE of {@code /by-name/<node_id> <source name>} (URL
 * decoded) or {@code /by-id/<id>}; every answer echoes the CSeq.
 */
final class RtspHandler {
    static final String PUBLIC = "OPTIONS, DESCRIBE";
    /** RFC 2326 methods we know but do not serve: 405 with Allow, others 501. */
    private static final Set<String> KNOWN = Set.of("ANNOUNCE", "GET_PARAMETER", "PAUSE", "PLAY", "RECORD",
            "REDIRECT", "SETUP", "SET_PARAMETER", "TEARDOWN");

    /** @param describedId the source a successful DESCRIBE returned, -1 otherwise */
    record Reply(RtspResponse response, int describedId) {
    }

    private final RtspSources sources;

    RtspHandler(RtspSources sources) {
        this.sources = sources;
    }

    Reply handle(RtspRequest req) {
        String cseq = req.headers().get("CSeq");
        if (req.headers().cseq() < 0) {
            return new Reply(RtspResponse.of(400, RtspHeaders.EMPTY), -1);
        }
        RtspHeaders h = RtspHeaders.of("CSeq", cseq);
        if (!req.version().equals(RtspMessage.VERSION)) {
            return new Reply(RtspResponse.of(505, h), -1);
        }
        switch (req.method()) {
            case "OPTIONS":
                return new Reply(RtspResponse.of(200, h.with("Public", PUBLIC)), -1);
            case "DESCRIBE":
                return describe(req, h);
            default:
                return new Reply(KNOWN.contains(req.method()) ? RtspResponse.of(405, h.with("Allow", PUBLIC))
                        : RtspResponse.of(501, h), -1);
        }
    }

    private Reply describe(RtspRequest req, RtspHeaders h) {
        String raw = RtspUris.pathOf(req.uri());
        String path = raw == null ? null : RtspUris.decodePath(raw);
        if (path == null) {
            return new Reply(RtspResponse.of(400, h), -1);
        }
        RtspSources.Entry e = null;
        if (path.startsWith("/by-name/")) {
            e = sources.byName(path.substring("/by-name/".length()));
        } else if (path.startsWith("/by-id/")) {
            String id = path.substring("/by-id/".length());
            if (id.length() >= 1 && id.length() <= 3 && id.chars().allMatch(c -> c >= '0' && c <= '9')) {
                e = sources.byId(Integer.parseInt(id));
            }
        }
        if (e == null) {
            return new Reply(RtspResponse.of(404, h), -1);
        }
        return new Reply(RtspResponse.of(200, h, "application/sdp", e.sdp()), e.id());
    }

    /** The ANNOUNCE a client that described {@code e} gets when its SDP changes. */
    static RtspRequest announce(String baseUrl, RtspSources.Entry e, long cseq) {
        return RtspRequest.withBody("ANNOUNCE", baseUrl + RtspUris.encodePath("/by-name/" + e.name()),
                RtspHeaders.of("CSeq", Long.toString(cseq)), "application/sdp", e.sdp());
    }
}
