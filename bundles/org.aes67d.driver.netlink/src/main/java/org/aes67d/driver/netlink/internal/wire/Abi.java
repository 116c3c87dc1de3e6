package org.aes67d.driver.netlink.internal.wire;

/**
 * The two layouts of the module's structures. There is no version handshake: the size of a GetPTPStatus reply
 * tells them apart.
 */
public enum Abi {
    /** Driver 1.x: {@code TRTP_stream_info} 402 bytes, {@code TPTPStatus} 16 bytes, one interface name. */
    ABI_1(402, 146, 16),
    /** Driver 2.0 and later (ST 2022-7): 403 bytes with {@code m_bIsPrimaryPort}, 36-byte PTP status. */
    ABI_2(403, 147, 36);

    public final int streamInfoSize;
    public final int routingOffset;
    public final int ptpStatusSize;

    Abi(int streamInfoSize, int routingOffset, int ptpStatusSize) {
        this.streamInfoSize = streamInfoSize;
        this.routingOffset = routingOffset;
        this.ptpStatusSize = ptpStatusSize;
    }

    /** The ABI whose {@code TPTPStatus} has this size, or null. */
    public static Abi ofPtpStatusSize(int size) {
        for (Abi a : values()) {
            if (a.ptpStatusSize == size) {
                return a;
            }
        }
        return null;
    }

    /** "1" or "2", as docs and the status page call them. */
    public String label() {
        return this == ABI_1 ? "1 (driver 1.x)" : "2 (driver 2.x, ST 2022-7)";
    }
}
