package org.aes67d.discovery.sap.internal;

import java.nio.charset.StandardCharsets;

import org.aes67d.util.Crc16;

/**
 * The SAP message id hash of an SDP, as the C++ daemon computes it: CRC-16/CCITT-FALSE (polynomial 0x1021,
 * initial value 0xFFFF, no reflection, no final XOR; "123456789" gives 0x29B1) over the SDP bytes.
 *
 * <p>The C++ daemon copies that 16-bit value into the header in host byte order, so on the little-endian machines
 * it runs on (x86, ARM) the low byte of the CRC comes first on the wire. We send the same bytes, so a switch from
 * the C++ daemon changes nothing a listener can see; the header field, read in network order, is therefore the
 * byte-swapped CRC ({@link #messageIdHash}). RFC 2974 leaves the hash opaque: it only has to change when the SDP
 * changes and be the same in an announcement and its deletion.
 */
public final class SapHash {
    private SapHash() {
    }

    /** CRC-16/CCITT-FALSE. */
    public static int crc16(byte[] data) {
        return Crc16.ccittFalse(data);
    }

    /** The header field (network order) for an SDP text: the CRC with its bytes swapped, see the class comment. */
    public static int messageIdHash(String sdp) {
        int crc = crc16(sdp.getBytes(StandardCharsets.UTF_8));
        return ((crc & 0xFF) << 8) | (crc >>> 8);
    }
}
