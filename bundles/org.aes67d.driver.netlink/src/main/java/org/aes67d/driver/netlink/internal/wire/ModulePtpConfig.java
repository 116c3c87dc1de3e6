package org.aes67d.driver.netlink.internal.wire;

/**
 * {@code TPTPConfig} (2 bytes): PTP domain and DSCP.
 *
 * @param domain 0..127
 * @param dscp DSCP of PTP packets
 */
public record ModulePtpConfig(int domain, int dscp) {
    public static final int SIZE = 2;

    public byte[] encode() {
        return new byte[] {(byte) domain, (byte) dscp};
    }

    public static ModulePtpConfig decode(byte[] p) throws WireException {
        if (p.length != SIZE) {
            throw new WireException("TPTPConfig of " + p.length + " bytes, expected " + SIZE);
        }
        return new ModulePtpConfig(p[0] & 0xFF, p[1] & 0xFF);
    }
}
