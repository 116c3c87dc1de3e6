package org.aes67d.discovery.sap.internal;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * One SAP (RFC 2974) message: the pure codec, no sockets. {@link #decode} accepts any bytes and answers a packet
 * or null ("not SAP we can use"), never an exception.
 *
 * <p>Encoded header: byte 0 = V=1 (0x20) | A (0x10, IPv6 origin) | T (0x04, deletion); byte 1 = authentication
 * length 0; bytes 2-3 = message id hash (as given, big-endian); the originating source (4 or 16 bytes); the payload
 * type and a NUL; the payload. For an IPv4 origin and {@code application/sdp} that is the 24-byte header of
 * compat.md section 6.
 *
 * @param deletion T bit: a session deletion rather than an announcement
 * @param hash 16-bit message id hash field, 0..65535, as it reads in network byte order
 * @param origin originating source address (IPv4 or IPv6)
 * @param payloadType MIME type of the payload, lower case ({@code application/sdp})
 * @param payload the payload bytes (SDP text, or the o= line for a deletion)
 */
public record SapPacket(boolean deletion, int hash, InetAddress origin, String payloadType, byte[] payload) {
    public static final String SDP = "application/sdp";
    /** Version 1 in the top three bits of byte 0. */
    static final int V1 = 0x20;
    static final int FLAG_IPV6 = 0x10;
    static final int FLAG_DELETION = 0x04;
    static final int FLAG_ENCRYPTED = 0x02;
    static final int FLAG_COMPRESSED = 0x01;
    /** A payload type longer than this is not a MIME type: the packet is rejected rather than searched further. */
    static final int MAX_TYPE_LENGTH = 128;

    public SapPacket {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(payloadType, "payloadType");
        Objects.requireNonNull(payload, "payload");
        if (hash < 0 || hash > 0xFFFF) {
            throw new IllegalArgumentException("hash must be 16 bits: " + hash);
        }
        if (payloadType.isEmpty() || payloadType.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("bad payload type");
        }
        payload = payload.clone();
    }

    /** An announcement or deletion of an SDP text (UTF-8). */
    public static SapPacket sdp(boolean deletion, int hash, InetAddress origin, String sdpText) {
        return new SapPacket(deletion, hash, origin, SDP, sdpText.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    public boolean ipv6() {
        return origin.getAddress().length == 16;
    }

    public byte[] encode() {
        byte[] addr = origin.getAddress();
        byte[] type = payloadType.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream(4 + addr.length + type.length + 1 + payload.length);
        out.write(V1 | (addr.length == 16 ? FLAG_IPV6 : 0) | (deletion ? FLAG_DELETION : 0));
        out.write(0); // no authentication data
        out.write(hash >>> 8);
        out.write(hash & 0xFF);
        out.writeBytes(addr);
        out.writeBytes(type);
        out.write(0);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    public static SapPacket decode(byte[] data) {
        return data == null ? null : decode(data, 0, data.length);
    }

    /**
     * Reads {@code length} bytes at {@code offset}. Null for: anything shorter than a header, a version other
     * than 1, an encrypted or compressed payload (neither is used by AES67 devices), authentication data running
     * past the end, or a payload type that is not a NUL-terminated printable ASCII word. A payload starting with
     * {@code v=0} without a type is {@code application/sdp} (RFC 2974 section 5).
     */
    public static SapPacket decode(byte[] data, int offset, int length) {
        if (data == null || offset < 0 || length < 0 || offset > data.length - length || length < 4) {
            return null;
        }
        int b0 = data[offset] & 0xFF;
        if ((b0 >>> 5) != 1 || (b0 & (FLAG_ENCRYPTED | FLAG_COMPRESSED)) != 0) {
            return null;
        }
        int addrLen = (b0 & FLAG_IPV6) != 0 ? 16 : 4;
        int authLen = (data[offset + 1] & 0xFF) * 4;
        int hash = ((data[offset + 2] & 0xFF) << 8) | (data[offset + 3] & 0xFF);
        int end = offset + length;
        int pos = offset + 4;
        if (end - pos < addrLen) {
            return null;
        }
        InetAddress origin;
        try {
            origin = InetAddress.getByAddress(Arrays.copyOfRange(data, pos, pos + addrLen));
        } catch (UnknownHostException e) {
            return null; // cannot happen for 4 or 16 bytes
        }
        pos += addrLen;
        if (end - pos < authLen) {
            return null;
        }
        pos += authLen;
        String type;
        if (startsWith(data, pos, end, "v=0")) {
            type = SDP;
        } else {
            int nul = -1;
            for (int i = pos; i < end && i - pos <= MAX_TYPE_LENGTH; i++) {
                if (data[i] == 0) {
                    nul = i;
                    break;
                }
                if (data[i] <= 0x20 || data[i] >= 0x7F) {
                    return null;
                }
            }
            if (nul <= pos) {
                return null;
            }
            type = new String(data, pos, nul - pos, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
            pos = nul + 1;
        }
        return new SapPacket((b0 & FLAG_DELETION) != 0, hash, origin, type, Arrays.copyOfRange(data, pos, end));
    }

    private static boolean startsWith(byte[] data, int pos, int end, String prefix) {
        if (end - pos < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (data[pos + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SapPacket p && deletion == p.deletion && hash == p.hash && origin.equals(p.origin)
                && payloadType.equals(p.payloadType) && Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deletion, hash, origin, payloadType, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return (deletion ? "SAP deletion" : "SAP announcement") + " hash " + hash + " origin "
                + origin.getHostAddress() + " " + payloadType + " (" + payload.length + " bytes)";
    }
}
