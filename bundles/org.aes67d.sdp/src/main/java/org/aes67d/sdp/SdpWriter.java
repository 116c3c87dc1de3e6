package org.aes67d.sdp;

import org.aes67d.sdp.internal.Numbers;

/**
 * Writes a {@link SessionDescription} back to text (LF line ends), e.g. to re-announce a modified SDP. Every media
 * block gets its resolved values written explicitly, also where they equal the session-level ones: redundant but
 * legal, and it keeps {@code SdpParser.parse(SdpWriter.write(x))} equal to {@code x} for any parsed {@code x}.
 * Lines the model does not keep ({@code i=}, {@code b=}, extra formats of {@code m=}, ...) are not written, and the
 * timing is always {@code t=0 0}.
 */
public final class SdpWriter {
    private final StringBuilder out = new StringBuilder(1024);

    private SdpWriter() {
    }

    /**
     * @throws IllegalArgumentException when a value contains CR or LF (it would inject lines)
     */
    public static String write(SessionDescription sdp) {
        SdpWriter w = new SdpWriter();
        w.session(sdp);
        for (MediaDescription m : sdp.media()) {
            w.media(m);
        }
        return w.out.toString();
    }

    private void session(SessionDescription s) {
        Origin o = s.origin();
        line("v=0");
        line("o=" + o.username() + " " + o.sessionId() + " " + o.sessionVersion() + " IN " + o.addressType() + " "
                + o.address());
        line("s=" + (s.name().isEmpty() ? " " : s.name())); // RFC 4566: "s= " when there is no name
        if (s.connection() != null) {
            connection(s.connection());
        }
        line("t=0 0");
        if (!s.groupDup().isEmpty()) {
            line("a=group:DUP " + String.join(" ", s.groupDup()));
        }
        attribute("clock-domain", s.clockDomain());
        attribute("ts-refclk", s.tsRefclk());
        attribute("mediaclk", s.mediaclk());
        attribute("source-filter", s.sourceFilter() == null ? null : " " + s.sourceFilter());
        if (s.direction() != null) {
            line("a=" + s.direction());
        }
        for (String a : s.otherAttributes()) {
            line("a=" + a);
        }
    }

    private void media(MediaDescription m) {
        line("m=audio " + m.port() + " " + m.transport() + " " + m.payloadType());
        connection(m.connection());
        attribute("source-filter", m.sourceFilter() == null ? null : " " + m.sourceFilter());
        line("a=rtpmap:" + m.payloadType() + " " + m.encoding() + "/" + m.sampleRate() + "/" + m.channels());
        if (m.fmtp() != null) {
            line("a=fmtp:" + m.payloadType() + (m.fmtp().isEmpty() ? "" : " " + m.fmtp()));
        }
        attribute("framecount", m.framecount());
        attribute("ptime", m.ptime() > 0 ? Numbers.formatExact(m.ptime()) : null);
        attribute("maxptime", m.maxptime() > 0 ? Numbers.formatExact(m.maxptime()) : null);
        attribute("mediaclk", m.mediaclk());
        attribute("clock-domain", m.clockDomain());
        attribute("ts-refclk", m.tsRefclk());
        if (m.direction() != null) {
            line("a=" + m.direction());
        }
        attribute("mid", m.mid());
        for (String a : m.otherAttributes()) {
            line("a=" + a);
        }
    }

    private void connection(Connection c) {
        line("c=IN " + c.addressType() + " " + c.address() + (c.ttl() > 0 ? "/" + c.ttl() : ""));
    }

    private void attribute(String key, String value) {
        if (value != null) {
            line("a=" + key + ":" + value);
        }
    }

    private void line(String text) {
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("line break inside an SDP value: " + text.strip());
        }
        out.append(text).append('\n');
    }
}
