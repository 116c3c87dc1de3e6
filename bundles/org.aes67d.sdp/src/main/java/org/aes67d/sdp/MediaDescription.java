package org.aes67d.sdp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.aes67d.sdp.internal.Numbers;
import org.aes67d.sdp.internal.RefClock;

/**
 * One {@code m=audio} block with its first payload type. Values inherited from the session level are resolved.
 *
 * @param port UDP port
 * @param transport transport as written, normally {@code RTP/AVP}
 * @param payloadType the first payload type of the {@code m=} line
 * @param encoding {@code L16}, {@code L24}, {@code AM824} (case normalised) or any other name as written
 * @param sampleRate clock rate from the rtpmap (or the static payload type)
 * @param channels channel count from the rtpmap, 1 when absent there
 * @param connection the media or session {@code c=}
 * @param framecount {@code a=framecount} text ({@code 48} or a range like {@code 64-192}), null when absent
 * @param ptime {@code a=ptime} in ms, 0 when absent
 * @param maxptime {@code a=maxptime} in ms, 0 when absent
 * @param mediaclk {@code a=mediaclk} value, e.g. {@code direct=0}, or null
 * @param clockDomain {@code a=clock-domain} value, e.g. {@code PTPv2 0}, or null
 * @param tsRefclk {@code a=ts-refclk} value, e.g. {@code ptp=IEEE1588-2008:traceable}, or null
 * @param sourceFilter {@code a=source-filter} value without the leading space, or null
 * @param fmtp parameters of {@code a=fmtp} for this payload type, or null
 * @param mid {@code a=mid} value, or null
 * @param direction {@code recvonly}, {@code sendonly}, {@code sendrecv}, {@code inactive} or null
 * @param otherAttributes attributes not modelled, as written after {@code a=}, in order
 */
public record MediaDescription(int port, String transport, int payloadType, String encoding, int sampleRate,
        int channels, Connection connection, String framecount, double ptime, double maxptime, String mediaclk,
        String clockDomain, String tsRefclk, String sourceFilter, String fmtp, String mid, String direction,
        List<String> otherAttributes) {
    public MediaDescription {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(connection, "connection");
        otherAttributes = List.copyOf(otherAttributes);
    }

    /**
     * Frames per packet: the framecount (the lower bound of a range), else ptime x rate rounded, else 0. A sink uses
     * it as a packet size hint; the RTP packets themselves are authoritative.
     */
    public int packetFrames() {
        if (framecount != null) {
            int dash = framecount.indexOf('-');
            int n = Numbers.parseInt(dash < 0 ? framecount : framecount.substring(0, dash), 1, Integer.MAX_VALUE);
            if (n > 0) {
                return n;
            }
        }
        return ptime > 0 ? (int) Math.min(Integer.MAX_VALUE, Math.round(ptime * sampleRate / 1000.0)) : 0;
    }

    /** Grand master of {@code ptp=<version>:<EUI-64>[:<domain>]}, upper case, e.g. {@code 00-1D-C1-FF-FE-12-34-56}. */
    public Optional<String> ptpGrandmaster() {
        return RefClock.grandmaster(tsRefclk);
    }

    /** PTP domain of {@code ptp=<version>:<EUI-64>:<domain>}. */
    public OptionalInt ptpDomain() {
        return RefClock.domain(tsRefclk);
    }

    /** True for {@code ptp=<version>:traceable} and the non-standard {@code ptp=traceable}. */
    public boolean traceable() {
        return RefClock.traceable(tsRefclk);
    }

    /** ST 2110-30 {@code channel-order} from the fmtp, e.g. {@code SMPTE2110.(ST)}. */
    public Optional<String> channelOrder() {
        if (fmtp == null) {
            return Optional.empty();
        }
        for (String param : fmtp.split(";")) {
            String p = param.strip();
            if (p.regionMatches(true, 0, "channel-order=", 0, 14)) {
                return Optional.of(p.substring(14).strip());
            }
        }
        return Optional.empty();
    }
}
