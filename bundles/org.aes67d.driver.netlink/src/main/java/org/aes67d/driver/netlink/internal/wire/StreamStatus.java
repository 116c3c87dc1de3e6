package org.aes67d.driver.netlink.internal.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.aes67d.api.session.SinkStatus;

/** {@code TRTP_stream_status} (8 bytes): sink flags and {@code sink_min_time}. */
public final class StreamStatus {
    public static final int SIZE = 8;
    public static final int SEQ_ID_ERROR = 0x01;
    public static final int SSRC_ERROR = 0x02;
    public static final int PAYLOAD_TYPE_ERROR = 0x04;
    public static final int SAC_ERROR = 0x08;
    public static final int RECEIVING = 0x10;
    public static final int MUTED = 0x20;
    public static final int SOME_MUTED = 0x40;
    public static final int ALL_MUTED = 0x80;

    private StreamStatus() {
    }

    public static SinkStatus decode(byte[] p) throws WireException {
        if (p.length != SIZE) {
            throw new WireException("TRTP_stream_status of " + p.length + " bytes, expected " + SIZE);
        }
        ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
        int f = b.getInt(0);
        return new SinkStatus((f & SEQ_ID_ERROR) != 0, (f & SSRC_ERROR) != 0, (f & PAYLOAD_TYPE_ERROR) != 0,
                (f & SAC_ERROR) != 0, (f & RECEIVING) != 0, (f & SOME_MUTED) != 0, (f & ALL_MUTED) != 0,
                (f & MUTED) != 0, b.getInt(4));
    }

    public static byte[] encode(int flags, int minTime) {
        return ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN).putInt(flags).putInt(minTime).array();
    }
}
