package org.aes67d.ptp.internal.message;

/**
 * Encodes the PTPv2 messages we send into a caller-owned buffer (no allocation). Field layout of
 * IEEE 1588-2008 clause 13; multi-octet fields are big-endian.
 */
public final class PtpWriter {

    private PtpWriter() {
    }

    /**
     * Writes the 34-byte common header.
     *
     * @param flags flagField as a 16-bit value (octet 0 in the high byte), see {@code PtpMessage.FLAG_*}
     * @param correction correctionField in ns * 2^16
     */
    public static void header(byte[] b, int o, int type, int length, int domain, int flags, long correction,
            long clockIdentity, int portNumber, int sequenceId, int control, int logInterval) {
        b[o] = (byte) (type & 0x0F); // transportSpecific 0
        b[o + 1] = 2;
        put16(b, o + 2, length);
        b[o + 4] = (byte) domain;
        b[o + 5] = 0;
        put16(b, o + 6, flags);
        put64(b, o + 8, correction);
        put32(b, o + 16, 0);
        put64(b, o + 20, clockIdentity);
        put16(b, o + 28, portNumber);
        put16(b, o + 30, sequenceId);
        b[o + 32] = (byte) control;
        b[o + 33] = (byte) logInterval;
    }

    /** Sync (two-step: originTimestamp is an estimate, the precise one follows in Follow_Up). */
    public static int sync(byte[] b, int o, int domain, long clockId, int port, int seq, int logSyncInterval,
            long originNanos) {
        header(b, o, PtpMessage.SYNC, PtpMessage.SYNC_LENGTH, domain, PtpMessage.FLAG_TWO_STEP, 0, clockId, port,
                seq, 0, logSyncInterval);
        timestamp(b, o + 34, originNanos);
        return PtpMessage.SYNC_LENGTH;
    }

    public static int followUp(byte[] b, int o, int domain, long clockId, int port, int seq, int logSyncInterval,
            long preciseOriginNanos) {
        header(b, o, PtpMessage.FOLLOW_UP, PtpMessage.FOLLOW_UP_LENGTH, domain, 0, 0, clockId, port, seq, 2,
                logSyncInterval);
        timestamp(b, o + 34, preciseOriginNanos);
        return PtpMessage.FOLLOW_UP_LENGTH;
    }

    /** Delay_Req: logMessageInterval is 0x7F (7.7.2.4), originTimestamp may be 0. */
    public static int delayReq(byte[] b, int o, int domain, long clockId, int port, int seq, long originNanos) {
        header(b, o, PtpMessage.DELAY_REQ, PtpMessage.DELAY_REQ_LENGTH, domain, 0, 0, clockId, port, seq, 1, 0x7F);
        timestamp(b, o + 34, originNanos);
        return PtpMessage.DELAY_REQ_LENGTH;
    }

    /** Delay_Resp answering a Delay_Req: echoes its sequenceId, correction and source port. */
    public static int delayResp(byte[] b, int o, int domain, long clockId, int port, int seq,
            int logMinDelayReqInterval, long correction, long receiveNanos, long reqClockId, int reqPort) {
        header(b, o, PtpMessage.DELAY_RESP, PtpMessage.DELAY_RESP_LENGTH, domain, 0, correction, clockId, port, seq,
                3, logMinDelayReqInterval);
        timestamp(b, o + 34, receiveNanos);
        put64(b, o + 44, reqClockId);
        put16(b, o + 52, reqPort);
        return PtpMessage.DELAY_RESP_LENGTH;
    }

    /** Announce of a grandmaster (stepsRemoved 0, grandmasterIdentity = our clock identity). */
    public static int announce(byte[] b, int o, int domain, long clockId, int port, int seq, int logAnnounceInterval,
            int flags, long originNanos, int utcOffset, int priority1, int clockClass, int clockAccuracy,
            int variance, int priority2, int stepsRemoved, int timeSource) {
        header(b, o, PtpMessage.ANNOUNCE, PtpMessage.ANNOUNCE_LENGTH, domain, flags, 0, clockId, port, seq, 5,
                logAnnounceInterval);
        timestamp(b, o + 34, originNanos);
        put16(b, o + 44, utcOffset);
        b[o + 46] = 0;
        b[o + 47] = (byte) priority1;
        b[o + 48] = (byte) clockClass;
        b[o + 49] = (byte) clockAccuracy;
        put16(b, o + 50, variance);
        b[o + 52] = (byte) priority2;
        put64(b, o + 53, clockId);
        put16(b, o + 61, stepsRemoved);
        b[o + 63] = (byte) timeSource;
        return PtpMessage.ANNOUNCE_LENGTH;
    }

    /** 10-octet Timestamp: 48-bit seconds, 32-bit ns; negative times are written as 0. */
    public static void timestamp(byte[] b, int o, long nanos) {
        long t = Math.max(0, nanos);
        long s = t / Timestamps.NS_PER_S;
        int ns = (int) (t % Timestamps.NS_PER_S);
        put16(b, o, (int) (s >>> 32));
        put32(b, o + 2, (int) s);
        put32(b, o + 6, ns);
    }

    static void put16(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 8);
        b[o + 1] = (byte) v;
    }

    static void put32(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }

    static void put64(byte[] b, int o, long v) {
        put32(b, o, (int) (v >>> 32));
        put32(b, o + 4, (int) v);
    }
}
