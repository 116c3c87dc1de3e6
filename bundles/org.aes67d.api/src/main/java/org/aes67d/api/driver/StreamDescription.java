package org.aes67d.api.driver;

import java.util.List;

/**
 * What a driver needs to run one RTP stream, resolved from a source or a sink and its SDP.
 *
 * @param id stream id 0..63 (sources and sinks have separate id spaces)
 * @param address destination (source) or group/unicast address to receive from (sink)
 * @param port UDP port
 * @param codec {@code L16}, {@code L24} or {@code AM824}
 * @param sampleRate samples per second of this stream
 * @param channels channel count
 * @param framesPerPacket frames per RTP packet
 * @param payloadType RTP payload type
 * @param ttl multicast TTL (sources)
 * @param dscp DSCP (sources)
 * @param delay playout delay in samples (sinks)
 * @param io where samples come from or go to ({@code Audio Device}, {@code file:...}, ...)
 * @param map channel map into the io
 * @param secondary the ST 2022-7 second leg on the secondary interface, null for a single stream (since 1.3)
 * @param rtpTimestampOffset (sinks) the sender's RTP timestamp at PTP epoch, 0..2^32-1, from the SDP's
 *        {@code a=mediaclk:direct=N} or {@code a=sync-time:N} (RFC 7273 / RAVENNA); 0 for sources and when absent
 *        (since 1.3)
 */
public record StreamDescription(int id, String address, int port, String codec, int sampleRate, int channels,
        int framesPerPacket, int payloadType, int ttl, int dscp, int delay, String io, List<Integer> map,
        Leg secondary, long rtpTimestampOffset) {
    public StreamDescription {
        map = List.copyOf(map);
        if (rtpTimestampOffset < 0 || rtpTimestampOffset > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("RTP timestamp offset " + rtpTimestampOffset + " is not a u32");
        }
    }

    /** A single stream (no second leg) whose media clock has no offset, as every source of ours. */
    public StreamDescription(int id, String address, int port, String codec, int sampleRate, int channels,
            int framesPerPacket, int payloadType, int ttl, int dscp, int delay, String io, List<Integer> map) {
        this(id, address, port, codec, sampleRate, channels, framesPerPacket, payloadType, ttl, dscp, delay, io, map,
                null, 0);
    }

    /** A stream with an optional second leg, whose media clock has no offset. */
    public StreamDescription(int id, String address, int port, String codec, int sampleRate, int channels,
            int framesPerPacket, int payloadType, int ttl, int dscp, int delay, String io, List<Integer> map,
            Leg secondary) {
        this(id, address, port, codec, sampleRate, channels, framesPerPacket, payloadType, ttl, dscp, delay, io, map,
                secondary, 0);
    }

    /** A single stream with the sender's media clock offset. */
    public StreamDescription(int id, String address, int port, String codec, int sampleRate, int channels,
            int framesPerPacket, int payloadType, int ttl, int dscp, int delay, String io, List<Integer> map,
            long rtpTimestampOffset) {
        this(id, address, port, codec, sampleRate, channels, framesPerPacket, payloadType, ttl, dscp, delay, io, map,
                null, rtpTimestampOffset);
    }

    /**
     * The second leg of an ST 2022-7 stream: the same RTP packets to or from another address and port, on the
     * secondary interface (the second name of {@code interface_name}).
     *
     * @param address destination (source) or group/unicast address to receive from (sink)
     * @param port UDP port
     * @since 1.3
     */
    public record Leg(String address, int port) {
    }
}
