package org.aes67d.session.internal;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.aes67d.api.session.SessionException;
import org.aes67d.api.session.SessionManager;
import org.aes67d.api.session.Sink;
import org.aes67d.api.session.Source;

/** Field checks of sources and sinks; each failure is a client error with the text REST puts after "(daemon)". */
final class Validation {
    static final Set<Integer> PACKET_SIZES = Set.of(6, 12, 16, 48, 96, 192);
    static final Set<String> CODECS = Set.of("L16", "L24", "AM824");
    static final Set<Integer> DSCPS = Set.of(46, 34, 26, 0);
    /** Channels of the daemon's virtual audio device, the space that {@code map} indexes. */
    static final int DEVICE_CHANNELS = 64;
    static final Set<Integer> SAMPLE_RATES = Set.of(44100, 48000, 88200, 96000, 176400, 192000, 352800, 384000);
    static final int MAX_NAME = 64;
    static final int MAX_IO = 1024;

    private Validation() {
    }

    static void id(int id) throws SessionException {
        if (id < 0 || id >= SessionManager.MAX_STREAMS) {
            throw invalid("invalid stream id");
        }
    }

    static void source(Source s) throws SessionException {
        id(s.id());
        text("name", s.name(), MAX_NAME);
        text("io", s.io(), MAX_IO);
        if (!PACKET_SIZES.contains(s.maxSamplesPerPacket())) {
            throw invalid("invalid max_samples_per_packet " + s.maxSamplesPerPacket() + " (6, 12, 16, 48, 96, 192)");
        }
        if (!CODECS.contains(s.codec())) {
            throw invalid("invalid codec \"" + s.codec() + "\" (L16, L24, AM824)");
        }
        if (!s.address().isEmpty()) {
            long a = Ipv4.parse(s.address());
            if (a <= 0 || a == 0xFFFFFFFFL) {
                throw invalid("invalid address \"" + s.address() + "\" (an IPv4 address, or empty for the default)");
            }
        }
        if (s.ttl() < 1 || s.ttl() > 255) {
            throw invalid("invalid ttl " + s.ttl() + " (1..255)");
        }
        if (s.payloadType() < 96 || s.payloadType() > 127) {
            throw invalid("invalid payload_type " + s.payloadType() + " (96..127)");
        }
        if (!DSCPS.contains(s.dscp())) {
            throw invalid("invalid dscp " + s.dscp() + " (46, 34, 26, 0)");
        }
        if (s.sampleRate() != 0 && !SAMPLE_RATES.contains(s.sampleRate())) {
            throw invalid("invalid sample_rate " + s.sampleRate()
                    + " (44100, 48000, 88200, 96000, 176400, 192000, 352800, 384000)");
        }
        map(s.map());
    }

    /** Checks what can be checked without the SDP; {@link #sinkFitsStream} follows once the SDP is known. */
    static void sink(Sink s) throws SessionException {
        id(s.id());
        text("name", s.name(), MAX_NAME);
        text("io", s.io(), MAX_IO);
        if (s.useSdp()) {
            if (s.sdp().isBlank()) {
                throw invalid("cannot parse SDP: empty");
            }
        } else if (!s.source().isEmpty()) {
            url(s.source());
        }
        if (s.delay() < 0 || s.delay() > 384000) {
            throw invalid("invalid delay " + s.delay() + " (0..384000 samples)");
        }
        map(s.map());
    }

    /**
     * What a sink must agree on with its stream: one map entry per stream channel (as in the C++ daemon), and a
     * delay of at least one packet and at most one second.
     */
    static void sinkFitsStream(Sink s, StreamFormat f) throws SessionException {
        if (s.map().size() != f.channels()) {
            throw invalid("invalid map: " + s.map().size() + " entries for " + f.channels()
                    + " channels (one device channel per stream channel)");
        }
        sinkDelay(s.delay(), f.packetSamples(), f.sampleRate());
    }

    /** The delay must cover at least one packet, and at most one second, of the stream. */
    static void sinkDelay(int delay, int packetSamples, int sampleRate) throws SessionException {
        if (delay < packetSamples) {
            throw invalid("invalid delay " + delay + ": below the source's packet size (" + packetSamples + " samples)");
        }
        if (delay > sampleRate) {
            throw invalid("invalid delay " + delay + ": above one second (" + sampleRate + " samples)");
        }
    }

    static URI url(String text) throws SessionException {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            if (("http".equals(scheme) || "rtsp".equals(scheme)) && uri.getHost() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        throw invalid("invalid URL");
    }

    private static void map(List<Integer> map) throws SessionException {
        if (map.isEmpty() || map.size() > DEVICE_CHANNELS) {
            throw invalid("invalid map: 1.." + DEVICE_CHANNELS + " channels");
        }
        Set<Integer> seen = new HashSet<>();
        for (int ch : map) {
            if (ch < 0 || ch >= DEVICE_CHANNELS) {
                throw invalid("invalid map: channel " + ch + " outside 0.." + (DEVICE_CHANNELS - 1));
            }
            if (!seen.add(ch)) {
                throw invalid("invalid map: channel " + ch + " twice");
            }
        }
    }

    /** Names and io end up in SDP and logs: no control characters (a newline would inject SDP lines). */
    private static void text(String field, String value, int max) throws SessionException {
        if (value.isBlank()) {
            throw invalid("invalid " + field + ": empty");
        }
        if (value.length() > max) {
            throw invalid("invalid " + field + ": longer than " + max + " characters");
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            throw invalid("invalid " + field + ": control characters");
        }
    }

    static SessionException invalid(String message) {
        return new SessionException(message, true);
    }
}
