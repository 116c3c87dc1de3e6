package org.aes67d.rtp;

/**
 * The RFC 3550 header of one packet, parsed in place from a caller's buffer. Mutable and reused, so parsing
 * allocates nothing; {@link #parse} never throws on bad input, it returns why the packet is unusable.
 */
public final class RtpHeader {
    /** Size of the fixed header (no CSRC, no extension). */
    public static final int FIXED_LENGTH = 12;

    /** Parse results. */
    public static final int OK = 0;
    public static final int TRUNCATED = 1;
    public static final int BAD_VERSION = 2;
    public static final int BAD_CSRC = 3;
    public static final int BAD_EXTENSION = 4;
    public static final int BAD_PADDING = 5;
    /** Number of distinct parse results, for arrays of counters indexed by result. */
    public static final int RESULTS = 6;

    private int version;
    private boolean padding;
    private boolean extension;
    private int csrcCount;
    private boolean marker;
    private int payloadType;
    private int sequence;
    private int timestamp;
    private int ssrc;
    private int payloadOffset;
    private int payloadLength;

    /**
     * Parses {@code length} bytes at {@code offset}. On {@link #OK} the payload is {@code payloadOffset()} ..
     * {@code payloadOffset() + payloadLength()} (CSRCs, extension and padding removed; may be empty).
     */
    public int parse(byte[] buf, int offset, int length) {
        payloadOffset = 0;
        payloadLength = 0;
        if (buf == null || offset < 0 || length < FIXED_LENGTH || offset > buf.length - length) {
            return TRUNCATED;
        }
        int b0 = buf[offset] & 0xFF;
        version = b0 >>> 6;
        padding = (b0 & 0x20) != 0;
        extension = (b0 & 0x10) != 0;
        csrcCount = b0 & 0x0F;
        int b1 = buf[offset + 1] & 0xFF;
        marker = (b1 & 0x80) != 0;
        payloadType = b1 & 0x7F;
        sequence = ((buf[offset + 2] & 0xFF) << 8) | (buf[offset + 3] & 0xFF);
        timestamp = readInt(buf, offset + 4);
        ssrc = readInt(buf, offset + 8);
        if (version != 2) {
            return BAD_VERSION;
        }
        int pos = FIXED_LENGTH + 4 * csrcCount;
        if (pos > length) {
            return BAD_CSRC;
        }
        if (extension) {
            if (pos + 4 > length) {
                return BAD_EXTENSION;
            }
            int words = ((buf[offset + pos + 2] & 0xFF) << 8) | (buf[offset + pos + 3] & 0xFF);
            pos += 4 + 4 * words;
            if (pos > length) {
                return BAD_EXTENSION;
            }
        }
        int end = length;
        if (padding) {
            // The last octet counts the padding octets, itself included (RFC 3550 5.1).
            int pad = buf[offset + length - 1] & 0xFF;
            if (pad == 0 || pad > length - pos) {
                return BAD_PADDING;
            }
            end -= pad;
        }
        payloadOffset = offset + pos;
        payloadLength = end - pos;
        return OK;
    }

    /**
     * Writes a 12-byte header (version 2, no padding, extension or CSRC) at {@code offset}.
     *
     * @return the header length, {@link #FIXED_LENGTH}
     */
    public static int write(byte[] buf, int offset, boolean marker, int payloadType, int sequence, int timestamp,
            int ssrc) {
        buf[offset] = (byte) 0x80;
        buf[offset + 1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F));
        buf[offset + 2] = (byte) (sequence >>> 8);
        buf[offset + 3] = (byte) sequence;
        writeInt(buf, offset + 4, timestamp);
        writeInt(buf, offset + 8, ssrc);
        return FIXED_LENGTH;
    }

    /** A short word for a parse result (control path: logs, status pages). */
    public static String resultName(int result) {
        switch (result) {
            case OK: return "ok";
            case TRUNCATED: return "truncated";
            case BAD_VERSION: return "bad version";
            case BAD_CSRC: return "CSRC list beyond packet";
            case BAD_EXTENSION: return "extension beyond packet";
            case BAD_PADDING: return "bad padding";
            default: return "unknown";
        }
    }

    private static int readInt(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    private static void writeInt(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    public int version() { return version; }
    public boolean padding() { return padding; }
    public boolean extension() { return extension; }
    public int csrcCount() { return csrcCount; }
    public boolean marker() { return marker; }
    public int payloadType() { return payloadType; }
    /** Sequence number, 0..65535. */
    public int sequence() { return sequence; }
    /** RTP timestamp (unsigned 32 bits held in an int). */
    public int timestamp() { return timestamp; }
    public int ssrc() { return ssrc; }
    public int payloadOffset() { return payloadOffset; }
    public int payloadLength() { return payloadLength; }
}
