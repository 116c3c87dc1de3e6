package org.aes67d.session.internal;

import java.util.List;
import java.util.Set;

import org.aes67d.api.session.SessionException;
import org.aes67d.api.session.Source;
import org.aes67d.sdp.LocalSourceSdp;
import org.aes67d.sdp.MediaDescription;
import org.aes67d.sdp.Origin;
import org.aes67d.sdp.SdpParseException;
import org.aes67d.sdp.SdpParser;
import org.aes67d.sdp.SessionDescription;

/** The session manager's two uses of SDP: the text of a local source, and the stream a sink's SDP describes. */
final class SdpSupport {
    private static final Set<String> PLAYABLE = Set.of("L16", "L24", "AM824");

    private SdpSupport() {
    }

    static String localSourceSdp(SessionConfig c, Source s, String destination, int sampleRate, long version,
            String grandmasterId) {
        return localSourceSdp(c, s, destination, sampleRate, version, grandmasterId, null);
    }

    /** With {@code secondary} (ST 2022-7): the RFC 7104 pair of blocks the C++ daemon writes. */
    static String localSourceSdp(SessionConfig c, Source s, String destination, int sampleRate, long version,
            String grandmasterId, LocalSourceSdp.Secondary secondary) {
        return LocalSourceSdp.render(new LocalSourceSdp.Params(c.node_id(), s.name(), c.ip_addr(),
                LocalSourceSdp.sessionId(c.ip_addr(), s.id()), version, c.rtp_port(), s.payloadType(), destination,
                s.ttl(), s.codec(), sampleRate, s.map().size(), s.maxSamplesPerPacket(), c.ptp_domain(),
                grandmasterId, s.refclkPtpTraceable(), secondary));
    }

    /**
     * What identifies a session across SDP versions: {@code o=} username, session id and address (RFC 4566), or
     * null when the text does not parse.
     */
    static String origin(String sdp) {
        try {
            Origin o = SdpParser.parse(sdp).origin();
            return o.username() + " " + o.sessionId() + " " + o.address();
        } catch (SdpParseException e) {
            return null;
        }
    }

    /**
     * The first audio block of a sink's SDP (for ST 2022-7, the first leg of its DUP group, with the second leg's
     * address and port); anything we cannot receive is "cannot parse SDP" with the reason.
     */
    static StreamFormat sinkFormat(String sdp) throws SessionException {
        SessionDescription d;
        try {
            d = SdpParser.parse(sdp);
        } catch (SdpParseException e) {
            throw Validation.invalid("cannot parse SDP: " + e.getMessage());
        }
        List<MediaDescription> legs = d.duplicateLegs();
        MediaDescription m = legs.isEmpty() ? d.media().get(0) : legs.get(0);
        if (!PLAYABLE.contains(m.encoding())) {
            throw Validation.invalid("cannot parse SDP: unsupported encoding " + m.encoding());
        }
        if (m.packetFrames() <= 0) {
            throw Validation.invalid("cannot parse SDP: neither framecount nor ptime gives the packet size");
        }
        MediaDescription second = legs.isEmpty() ? null : legs.get(1);
        if (second != null && !(second.encoding().equals(m.encoding()) && second.sampleRate() == m.sampleRate()
                && second.channels() == m.channels() && second.payloadType() == m.payloadType())) {
            throw Validation.invalid("cannot parse SDP: the two ST 2022-7 legs describe different streams");
        }
        return new StreamFormat(m.connection().address(), m.port(), m.encoding(), m.sampleRate(), m.channels(),
                m.packetFrames(), m.payloadType(), second == null ? null : second.connection().address(),
                second == null ? 0 : second.port(), rtpTimestampOffset(d, m));
    }

    /**
     * The sender's RTP timestamp at the PTP epoch, as the C++ daemon hands it to the kernel module:
     * {@code a=mediaclk:direct=N} (RFC 7273, media or session level), else RAVENNA's {@code a=sync-time:N} (media,
     * then session level), else 0. A value that is not a u32 counts as absent: the stream is still received, as with
     * a sender that states none.
     */
    static long rtpTimestampOffset(SessionDescription d, MediaDescription m) {
        String clk = m.mediaclk();
        if (clk != null && clk.startsWith("direct=")) {
            String n = clk.substring("direct=".length());
            int space = n.indexOf(' ');
            long v = u32(space < 0 ? n : n.substring(0, space)); // "direct=N rate=..." carries parameters
            if (v >= 0) {
                return v;
            }
        }
        for (List<String> attrs : List.of(m.otherAttributes(), d.otherAttributes())) {
            for (String a : attrs) {
                if (a.startsWith("sync-time:")) {
                    long v = u32(a.substring("sync-time:".length()).trim());
                    if (v >= 0) {
                        return v;
                    }
                }
            }
        }
        return 0;
    }

    /** A decimal u32, or -1. */
    private static long u32(String s) {
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        long v = Long.parseLong(s);
        return v <= 0xFFFF_FFFFL ? v : -1;
    }
}
