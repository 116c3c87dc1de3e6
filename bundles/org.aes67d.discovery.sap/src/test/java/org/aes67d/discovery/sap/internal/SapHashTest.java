package org.aes67d.discovery.sap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

class SapHashTest {
    @Test
    void crc16CcittFalseCheckValue() {
        assertEquals(0x29B1, SapHash.crc16("123456789".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0xFFFF, SapHash.crc16(new byte[0]));
    }

    /** The table-free byte-wise form of the same CRC (as used by the C++ daemon) must agree on any input. */
    @Test
    void agreesWithByteWiseFormulation() {
        Random r = new Random(42);
        for (int n = 0; n < 500; n++) {
            byte[] data = new byte[r.nextInt(300)];
            r.nextBytes(data);
            int crc = 0xFFFF;
            for (byte b : data) {
                int x = ((crc >>> 8) ^ (b & 0xFF)) & 0xFF;
                x ^= x >>> 4;
                crc = ((crc << 8) ^ (x << 12) ^ (x << 5) ^ x) & 0xFFFF;
            }
            assertEquals(crc, SapHash.crc16(data));
        }
    }

    @Test
    void headerFieldHoldsTheCrcLowByteFirst() {
        // CRC of "123456789" is 0x29B1; the C++ daemon's little-endian memcpy puts B1 29 on the wire
        assertEquals(0xB129, SapHash.messageIdHash("123456789"));
    }

    @Test
    void changesWithTheSdp() {
        assertNotEquals(SapHash.messageIdHash("v=0\no=- 1 1 IN IP4 127.0.0.1\n"),
                SapHash.messageIdHash("v=0\no=- 1 2 IN IP4 127.0.0.1\n"));
    }
}
