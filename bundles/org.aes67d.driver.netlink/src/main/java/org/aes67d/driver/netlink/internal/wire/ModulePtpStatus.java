package org.aes67d.driver.netlink.internal.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * {@code TPTPStatus}: lock state, grandmaster id (8 bytes in Announce wire order) and the clock jitter (ABI-2 only:
 * the largest TIC-vs-clock error since the last read, µs).
 *
 * @param lock 0 unlocked, 1 locking, 2 locked
 * @param gmid 8 bytes
 * @param jitter µs (always 0 in ABI-1)
 */
public record ModulePtpStatus(int lock, byte[] gmid, int jitter) {
    public static final int UNLOCKED = 0;
    public static final int LOCKING = 1;
    public static final int LOCKED = 2;

    public ModulePtpStatus {
        gmid = gmid.clone();
        if (gmid.length != 8) {
            throw new IllegalArgumentException("GMID needs 8 bytes");
        }
    }

    /** Reads a reply payload of either ABI (16 or 36 bytes). */
    public static ModulePtpStatus decode(byte[] p) throws WireException {
        Abi abi = Abi.ofPtpStatusSize(p.length);
        if (abi == null) {
            throw new WireException("TPTPStatus of " + p.length + " bytes, expected 16 (ABI-1) or 36 (ABI-2)");
        }
        ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
        int lock = b.getInt(0);
        if (lock < UNLOCKED || lock > LOCKED) {
            throw new WireException("PTP lock status " + lock + " unknown (0 unlocked, 1 locking, 2 locked)");
        }
        return new ModulePtpStatus(lock, Arrays.copyOfRange(p, 4, 12), abi == Abi.ABI_1 ? b.getInt(12) : b.getInt(32));
    }

    /** The payload in the given layout (the simulated module's reply). */
    public byte[] encode(Abi abi) {
        ByteBuffer b = ByteBuffer.allocate(abi.ptpStatusSize).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, lock).put(4, gmid);
        b.putInt(abi == Abi.ABI_1 ? 12 : 32, jitter);
        return b.array();
    }

    /** {@code 00-1D-C1-FF-FE-50-36-33}: the bytes in memory order, as the C++ daemon prints them. */
    public String gmidText() {
        StringBuilder s = new StringBuilder(23);
        for (int i = 0; i < 8; i++) {
            if (i > 0) {
                s.append('-');
            }
            s.append(HexFormat.of().withUpperCase().toHexDigits(gmid[i]));
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModulePtpStatus s && s.lock == lock && s.jitter == jitter && Arrays.equals(s.gmid, gmid);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * lock + jitter) + Arrays.hashCode(gmid);
    }
}
