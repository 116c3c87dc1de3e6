package org.aes67d.session.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the auto sink update derives from an SDP text (origin, normalised text, trust verdict), kept per key (a
 * sink, a local source, a browsed source) for as long as that key's text stays the same: a pass every 2 s used to
 * parse all of them again, which was most of the daemon's allocation with 64 + 64 streams (docs/performance.md).
 * Keys not asked for during a pass are dropped at its end, so the cache holds at most one pass's worth.
 * Not thread-safe: the caller holds its monitor for a whole pass.
 */
final class ParsedSdpCache {
    /** One SDP text and what is derived from it; {@code origin} is null when the text does not parse. */
    static final class Parsed {
        private final String sdp;
        private final String origin;
        private final String normalised;
        private String refusalAnnouncer;
        private String refusalOwnAddress;
        private String refusal;
        private boolean refusalKnown;

        private Parsed(String sdp) {
            this.sdp = sdp;
            this.origin = sdp == null ? null : SdpSupport.origin(sdp);
            this.normalised = sdp == null ? null : normalise(sdp);
        }

        String sdp() {
            return sdp;
        }

        String origin() {
            return origin;
        }

        /** The text as compared with another SDP: line ends and surrounding blanks do not count. */
        String normalised() {
            return normalised;
        }

        /** {@link TrustedSdp#refusal}, remembered for the last announcer and own address it was asked with. */
        String refusal(String announcer, String ownAddress) {
            if (!refusalKnown || !Objects.equals(announcer, refusalAnnouncer)
                    || !Objects.equals(ownAddress, refusalOwnAddress)) {
                refusal = TrustedSdp.refusal(sdp, announcer, ownAddress);
                refusalAnnouncer = announcer;
                refusalOwnAddress = ownAddress;
                refusalKnown = true;
            }
            return refusal;
        }
    }

    private Map<String, Parsed> previous = new HashMap<>();
    private Map<String, Parsed> current = new HashMap<>();
    private long parses;

    /** The parsed form of {@code sdp} under {@code key}: the one of an earlier call if the text is the same. */
    Parsed get(String key, String sdp) {
        Parsed p = current.get(key);
        if (p == null || !Objects.equals(p.sdp, sdp)) {
            p = previous.get(key);
            if (p == null || !Objects.equals(p.sdp, sdp)) {
                p = new Parsed(sdp);
                parses++;
            }
            current.put(key, p);
        }
        return p;
    }

    /** Ends a pass: what was not asked for since the last one is forgotten. */
    void endPass() {
        previous = current;
        current = new HashMap<>();
    }

    /** How many texts were parsed so far (for tests and benchmarks). */
    long parses() {
        return parses;
    }

    static String normalise(String sdp) {
        return sdp.replace("\r\n", "\n").strip();
    }
}
