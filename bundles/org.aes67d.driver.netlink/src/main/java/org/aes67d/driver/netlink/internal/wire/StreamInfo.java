package org.aes67d.driver.netlink.internal.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code TRTP_stream_info}, the payload of Add_RTPStream: packed, little-endian; IPv4 addresses, ports and the SSRC
 * are host-order integers (239.1.0.1 is {@code 0xEF010001}).
 *
 * @param ifPortId 0 primary NIC, 1 secondary
 * @param name stream name (at most 63 bytes are sent)
 * @param playoutDelay sink delay in samples (0 for a source)
 * @param frameSize sink frame size (0 for a source)
 * @param maxSamplesPerPacket samples per packet
 * @param destMac 6 bytes
 * @param dscp DSCP of a source
 * @param rtcpSrcIp own IPv4
 * @param srcIp own IPv4 for a source, 0 for a sink
 * @param destIp destination (source) or group/unicast address (sink)
 * @param ttl multicast TTL
 * @param srcPort source port (0 for a sink)
 * @param destPort destination port
 * @param payloadType RTP payload type
 * @param ssrc SSRC of a source
 * @param rtpTimestampOffset RTP timestamp offset of a sink
 * @param samplingRate Hz
 * @param codec at most 9 characters
 * @param wordLength bytes per sample
 * @param channels 1..64
 * @param source true for a source
 * @param id stream id 0..63
 * @param routing ALSA channel of each stream channel (at most 64)
 */
public record StreamInfo(int ifPortId, String name, int playoutDelay, int frameSize, int maxSamplesPerPacket,
        byte[] destMac, int dscp, int rtcpSrcIp, int srcIp, int destIp, int ttl, int srcPort, int destPort,
        int payloadType, int ssrc, int rtpTimestampOffset, int samplingRate, String codec, int wordLength,
        int channels, boolean source, int id, int[] routing) {

    static final int NAME_OFFSET = 11;
    static final int NAME_SIZE = 64;
    static final int CODEC_OFFSET = 129;
    static final int CODEC_SIZE = 10;
    public static final int MAX_CHANNELS = 64;

    public StreamInfo {
        destMac = destMac.clone();
        routing = routing.clone();
        if (destMac.length != 6) {
            throw new IllegalArgumentException("MAC needs 6 bytes, got " + destMac.length);
        }
        if (routing.length > MAX_CHANNELS) {
            throw new IllegalArgumentException(routing.length + " routing entries, at most " + MAX_CHANNELS);
        }
    }

    /** The payload in the given layout. */
    public byte[] encode(Abi abi) {
        ByteBuffer b = ByteBuffer.allocate(abi.streamInfoSize).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, abi.streamInfoSize);
        b.putInt(7, ifPortId);
        putString(b, NAME_OFFSET, NAME_SIZE, name);
        b.putInt(75, playoutDelay).putInt(79, frameSize).putInt(83, maxSamplesPerPacket);
        b.put(87, destMac);
        b.put(93, (byte) dscp);
        b.putInt(94, rtcpSrcIp).putInt(98, srcIp).putInt(102, destIp);
        b.put(106, (byte) ttl);
        b.putShort(107, (short) srcPort).putShort(109, (short) destPort);
        b.put(115, (byte) payloadType);
        b.putInt(116, ssrc);
        b.putInt(121, rtpTimestampOffset).putInt(125, samplingRate);
        putString(b, CODEC_OFFSET, CODEC_SIZE, codec);
        b.put(139, (byte) wordLength).put(140, (byte) channels).put(141, (byte) (source ? 1 : 0));
        b.putInt(142, id);
        for (int i = 0; i < routing.length; i++) {
            b.putInt(abi.routingOffset + 4 * i, routing[i]);
        }
        return b.array();
    }

    /**
     * Reads a payload (what the simulated module does with an Add_RTPStream).
     *
     * @throws WireException when the size or the embedded size field is not the ABI's: the module answers −315 and
     *         −401 for these
     */
    public static StreamInfo decode(byte[] p, Abi abi) throws WireException {
        if (p.length != abi.streamInfoSize) {
            throw new WireException("TRTP_stream_info of " + p.length + " bytes, ABI " + abi.label() + " needs "
                    + abi.streamInfoSize);
        }
        ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != abi.streamInfoSize) {
            throw new WireException("m_ui32CRTP_stream_info_sizeof " + b.getInt(0) + ", expected " + abi.streamInfoSize);
        }
        int channels = b.get(140) & 0xFF;
        int[] routing = new int[Math.min(channels, MAX_CHANNELS)];
        for (int i = 0; i < routing.length; i++) {
            routing[i] = b.getInt(abi.routingOffset + 4 * i);
        }
        return new StreamInfo(b.getInt(7), getString(p, NAME_OFFSET, NAME_SIZE), b.getInt(75), b.getInt(79),
                b.getInt(83), Arrays.copyOfRange(p, 87, 93), p[93] & 0xFF, b.getInt(94), b.getInt(98), b.getInt(102),
                p[106] & 0xFF, b.getShort(107) & 0xFFFF, b.getShort(109) & 0xFFFF, p[115] & 0xFF, b.getInt(116),
                b.getInt(121), b.getInt(125), getString(p, CODEC_OFFSET, CODEC_SIZE), p[139] & 0xFF, channels,
                p[141] != 0, b.getInt(142), routing);
    }

    /** NUL-terminated ASCII in a fixed field; longer text is cut so the NUL always fits. */
    private static void putString(ByteBuffer b, int offset, int size, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        b.put(offset, bytes, 0, Math.min(bytes.length, size - 1));
    }

    private static String getString(byte[] p, int offset, int size) {
        int end = offset;
        while (end < offset + size && p[end] != 0) {
            end++;
        }
        return new String(p, offset, end - offset, StandardCharsets.US_ASCII);
    }

    /** Bytes per sample of a codec the module knows, or 0 when it rejects the codec. */
    public static int wordLength(String codec) {
        return switch (codec) {
            case "L16", "DSD128" -> 2;
            case "L24" -> 3;
            case "L2432", "AM824", "DSD64_32", "DSD128_32", "DSD256" -> 4;
            case "DSD64" -> 1;
            default -> 0;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamInfo s && Arrays.equals(encode(Abi.ABI_2), s.encode(Abi.ABI_2));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode(Abi.ABI_2));
    }
}
