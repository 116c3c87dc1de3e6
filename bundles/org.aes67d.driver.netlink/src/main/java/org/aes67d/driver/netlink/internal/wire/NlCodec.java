package org.aes67d.driver.netlink.internal.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The framing of both netlink protocols: a 16-byte {@code nlmsghdr} (type {@code NLMSG_DONE}), the module's 24-byte
 * ALSA header (id, errCode, dataSize, padding, data pointer) and the payload. Host order, i.e. little-endian on the
 * platforms the module runs on. The kernel trusts {@code dataSize}, so the decoder checks it against the datagram.
 */
public final class NlCodec {
    /** {@code nlmsghdr} + ALSA header. */
    public static final int HEADER = 40;
    /** {@code MAX_PAYLOAD} of the module and the C++ daemon. */
    public static final int MAX_PAYLOAD = 1024;
    /** Largest datagram either side sends. */
    public static final int MAX_DATAGRAM = HEADER + MAX_PAYLOAD;
    /** {@code NLMSG_DONE}: the only type either side uses. */
    public static final int NLMSG_DONE = 3;
    /** Protocol of commands and their replies (user to kernel). */
    public static final int PROTO_U2K = 31;
    /** Protocol of the kernel's events and user space's answers. */
    public static final int PROTO_K2U = 29;

    private NlCodec() {
    }

    /** A whole datagram: {@code nlmsg_len} = 40 + payload, not rounded up (as the C++ daemon sends). */
    public static byte[] encode(int pid, int id, int errCode, byte[] payload) {
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds " + MAX_PAYLOAD);
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(HEADER + payload.length).putShort((short) NLMSG_DONE).putShort((short) 0).putInt(0).putInt(pid);
        b.putInt(id).putInt(errCode).putInt(payload.length).putInt(0).putLong(0);
        b.put(payload);
        return b.array();
    }

    /** A datagram with an empty payload. */
    public static byte[] encode(int pid, int id) {
        return encode(pid, id, 0, new byte[0]);
    }

    /** A datagram with a 4-byte payload. */
    public static byte[] encodeInt(int pid, int id, int value) {
        return encode(pid, id, 0, int32(value));
    }

    /** A datagram with an 8-byte payload. */
    public static byte[] encodeLong(int pid, int id, long value) {
        return encode(pid, id, 0, int64(value));
    }

    /** A u32/i32 payload. */
    public static byte[] int32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    /** A u64 payload. */
    public static byte[] int64(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    /**
     * Reads one datagram of {@code length} bytes. Padding after the message (the kernel pads to 4) and the header's
     * padding and pointer fields are ignored.
     *
     * @throws WireException for anything that is not one whole message
     */
    public static NlMessage decode(byte[] buf, int length) throws WireException {
        if (length < HEADER) {
            throw new WireException("truncated message: " + length + " bytes, the header needs " + HEADER);
        }
        ByteBuffer b = ByteBuffer.wrap(buf, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        long nlmsgLen = b.getInt(0) & 0xFFFFFFFFL;
        int type = b.getShort(4) & 0xFFFF;
        int pid = b.getInt(12);
        int id = b.getInt(16);
        int errCode = b.getInt(20);
        int dataSize = b.getInt(24);
        if (type != NLMSG_DONE) {
            throw new WireException("netlink message type " + type + ", expected " + NLMSG_DONE + " (NLMSG_DONE)");
        }
        if (dataSize < 0 || dataSize > MAX_PAYLOAD) {
            throw new WireException(MsgId.name(id) + ": dataSize " + (dataSize & 0xFFFFFFFFL) + " out of 0.."
                    + MAX_PAYLOAD);
        }
        if (HEADER + dataSize > length) {
            throw new WireException(MsgId.name(id) + ": truncated payload: dataSize " + dataSize + " but only "
                    + (length - HEADER) + " bytes follow the header");
        }
        if (nlmsgLen < HEADER + dataSize || nlmsgLen > length) {
            throw new WireException(MsgId.name(id) + ": nlmsg_len " + nlmsgLen + " does not hold the header and "
                    + dataSize + " payload bytes in a " + length + "-byte datagram");
        }
        return new NlMessage(pid, id, errCode, Arrays.copyOfRange(buf, HEADER, HEADER + dataSize));
    }
}
