package org.aes67d.driver.netlink.internal.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One decoded message: the module's header fields that matter and the payload.
 *
 * @param pid {@code nlmsg_pid}: the sender's port id in user-sent messages, 0 from the kernel
 * @param id message id ({@link MsgId})
 * @param errCode 0 = ok, negative = a module error ({@link ModuleError})
 * @param payload the {@code dataSize} bytes after the header (a copy)
 */
public record NlMessage(int pid, int id, int errCode, byte[] payload) {

    /** The payload as little-endian bytes to read fields from. */
    public ByteBuffer data() {
        return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A u32/i32 payload; the caller has checked the size. */
    public int int32() {
        return data().getInt(0);
    }

    /** A u64 payload; the caller has checked the size. */
    public long int64() {
        return data().getLong(0);
    }
}
