package org.aes67d.ptp.internal.message;

/**
 * A decoded PTPv2 (IEEE 1588-2008) message: the 34-byte common header plus the body fields of the
 * message types an ordinary clock with the E2E mechanism uses (Announce, Sync, Follow_Up, Delay_Req,
 * Delay_Resp). Other valid types are parsed for their header only.
 *
 * <p>This is a mutable flyweight: one instance per receiving thread is refilled by {@link #parse}, so
 * decoding allocates nothing. It is not thread-safe. Clock identities are kept as {@code long}
 * (the 8 octets big-endian), timestamps as seconds (48 bit) + nanoseconds.
 */
public final class PtpMessage {

    public static final int HEADER_LENGTH = 34;
    public static final int SYNC_LENGTH = 44;
    public static final int DELAY_REQ_LENGTH = 44;
    public static final int FOLLOW_UP_LENGTH = 44;
    public static final int DELAY_RESP_LENGTH = 54;
    public static final int ANNOUNCE_LENGTH = 64;

    public static final int SYNC = 0x0;
    public static final int DELAY_REQ = 0x1;
    public static final int PDELAY_REQ = 0x2;
    public static final int PDELAY_RESP = 0x3;
    public static final int FOLLOW_UP = 0x8;
    public static final int DELAY_RESP = 0x9;
    public static final int PDELAY_RESP_FOLLOW_UP = 0xA;
    public static final int ANNOUNCE = 0xB;
    public static final int SIGNALING = 0xC;
    public static final int MANAGEMENT = 0xD;

    /** flagField octet 0 (table 20). */
    public static final int FLAG_ALTERNATE_MASTER = 0x0100;
    public static final int FLAG_TWO_STEP = 0x0200;
    public static final int FLAG_UNICAST = 0x0400;
    /** flagField octet 1. */
    public static final int FLAG_LEAP61 = 0x0001;
    public static final int FLAG_LEAP59 = 0x0002;
    public static final int FLAG_UTC_OFFSET_VALID = 0x0004;
    public static final int FLAG_PTP_TIMESCALE = 0x0008;
    public static final int FLAG_TIME_TRACEABLE = 0x0010;
    public static final int FLAG_FREQUENCY_TRACEABLE = 0x0020;

    /** Result of {@link #parse}: why a datagram is not a usable PTP message. */
    public enum Error { NONE, TOO_SHORT, BAD_VERSION, BAD_LENGTH, UNKNOWN_TYPE, BAD_TIMESTAMP }

    // common header
    public int transportSpecific;
    public int messageType;
    public int versionPtp;
    public int messageLength;
    public int domainNumber;
    public int flags;
    /** correctionField: ns * 2^16. */
    public long correction;
    public long sourceClockIdentity;
    public int sourcePortNumber;
    public int sequenceId;
    public int controlField;
    public int logMessageInterval;

    // Sync / Delay_Req originTimestamp, Follow_Up preciseOriginTimestamp, Delay_Resp receiveTimestamp,
    // Announce originTimestamp
    public long timestampSeconds;
    public int timestampNanos;

    // Delay_Resp
    public long requestingClockIdentity;
    public int requestingPortNumber;

    // Announce
    public int currentUtcOffset;
    public int gmPriority1;
    public int gmClockClass;
    public int gmClockAccuracy;
    public int gmOffsetScaledLogVariance;
    public int gmPriority2;
    public long gmIdentity;
    public int stepsRemoved;
    public int timeSource;

    private Error error = Error.NONE;

    /** Why the last {@link #parse} returned false ({@link Error#NONE} after a success). */
    public Error error() {
        return error;
    }

    /**
     * Decodes {@code len} bytes at {@code off}. Never throws for any content (the caller guarantees
     * off/len lie inside buf).
     *
     * @return true if the bytes hold a PTPv2 message of a known type, long enough for its body
     */
    public boolean parse(byte[] buf, int off, int len) {
        error = decode(buf, off, len);
        return error == Error.NONE;
    }

    private Error decode(byte[] b, int o, int len) {
        if (len < HEADER_LENGTH) {
            return Error.TOO_SHORT;
        }
        transportSpecific = (b[o] >> 4) & 0x0F;
        messageType = b[o] & 0x0F;
        // 1588-2019 puts minorVersionPTP in the high nibble; a v2.1 message is still readable as v2.
        versionPtp = b[o + 1] & 0x0F;
        if (versionPtp != 2) {
            return Error.BAD_VERSION;
        }
        messageLength = u16(b, o + 2);
        // Trailing bytes (TLVs, UDP padding) are allowed; a message claiming more than we got is not.
        if (messageLength < HEADER_LENGTH || messageLength > len) {
            return Error.BAD_LENGTH;
        }
        domainNumber = b[o + 4] & 0xFF;
        flags = u16(b, o + 6);
        correction = i64(b, o + 8);
        sourceClockIdentity = i64(b, o + 20);
        sourcePortNumber = u16(b, o + 28);
        sequenceId = u16(b, o + 30);
        controlField = b[o + 32] & 0xFF;
        logMessageInterval = b[o + 33]; // signed
        switch (messageType) {
            case SYNC:
            case DELAY_REQ:
            case FOLLOW_UP:
                if (messageLength < SYNC_LENGTH) {
                    return Error.BAD_LENGTH;
                }
                return timestamp(b, o + 34);
            case DELAY_RESP:
                if (messageLength < DELAY_RESP_LENGTH) {
                    return Error.BAD_LENGTH;
                }
                requestingClockIdentity = i64(b, o + 44);
                requestingPortNumber = u16(b, o + 52);
                return timestamp(b, o + 34);
            case ANNOUNCE:
                if (messageLength < ANNOUNCE_LENGTH) {
                    return Error.BAD_LENGTH;
                }
                currentUtcOffset = (short) u16(b, o + 44);
                gmPriority1 = b[o + 47] & 0xFF;
                gmClockClass = b[o + 48] & 0xFF;
                gmClockAccuracy = b[o + 49] & 0xFF;
                gmOffsetScaledLogVariance = u16(b, o + 50);
                gmPriority2 = b[o + 52] & 0xFF;
                gmIdentity = i64(b, o + 53);
                stepsRemoved = u16(b, o + 61);
                timeSource = b[o + 63] & 0xFF;
                return timestamp(b, o + 34);
            case PDELAY_REQ:
            case PDELAY_RESP:
            case PDELAY_RESP_FOLLOW_UP:
            case SIGNALING:
            case MANAGEMENT:
                return Error.NONE;
            default:
                return Error.UNKNOWN_TYPE;
        }
    }

    private Error timestamp(byte[] b, int o) {
        timestampSeconds = ((long) u16(b, o) << 32) | (i32(b, o + 2) & 0xFFFF_FFFFL);
        timestampNanos = i32(b, o + 6);
        // nanoseconds is UInteger32 below 10^9 (5.3.3); anything else cannot be turned into a time
        return timestampNanos >= 0 && timestampNanos < 1_000_000_000 ? Error.NONE : Error.BAD_TIMESTAMP;
    }

    /**
     * The message timestamp in ns since the PTP epoch; seconds values beyond ~292 years do not fit and
     * give {@link Long#MIN_VALUE}.
     */
    public long timestampNanos() {
        return Timestamps.toNanos(timestampSeconds, timestampNanos);
    }

    /** correctionField rounded to whole ns. */
    public long correctionNanos() {
        return correction >> 16;
    }

    public boolean flag(int mask) {
        return (flags & mask) != 0;
    }

    static int u16(byte[] b, int o) {
        return ((b[o] & 0xFF) << 8) | (b[o + 1] & 0xFF);
    }

    static int i32(byte[] b, int o) {
        return ((b[o] & 0xFF) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
    }

    static long i64(byte[] b, int o) {
        return ((long) i32(b, o) << 32) | (i32(b, o + 4) & 0xFFFF_FFFFL);
    }

    /** Message type name for logs. */
    public static String typeName(int type) {
        switch (type) {
            case SYNC: return "Sync";
            case DELAY_REQ: return "Delay_Req";
            case PDELAY_REQ: return "Pdelay_Req";
            case PDELAY_RESP: return "Pdelay_Resp";
            case FOLLOW_UP: return "Follow_Up";
            case DELAY_RESP: return "Delay_Resp";
            case PDELAY_RESP_FOLLOW_UP: return "Pdelay_Resp_Follow_Up";
            case ANNOUNCE: return "Announce";
            case SIGNALING: return "Signaling";
            case MANAGEMENT: return "Management";
            default: return "type" + type;
        }
    }
}
