package org.aes67d.util;

/**
 * CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR; "123456789" gives
 * 0x29B1): what the C++ daemon uses for SAP message id hashes and for the ids of sessions its browser found by mDNS.
 */
public final class Crc16 {
    private Crc16() {
    }

    public static int ccittFalse(byte[] data) {
        int crc = 0xFFFF;
        for (byte b : data) {
            crc ^= (b & 0xFF) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xFFFF;
        }
        return crc;
    }
}
