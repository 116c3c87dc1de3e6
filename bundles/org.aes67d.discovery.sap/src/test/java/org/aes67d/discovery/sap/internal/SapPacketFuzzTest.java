package org.aes67d.discovery.sap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Seeded fuzzing: any bytes are a packet or null, never an exception, and what decodes re-encodes losslessly. */
class SapPacketFuzzTest {
    private static final long SEED = 0x5A9_2974L;

    @Test
    void randomBytes() {
        Random r = new Random(SEED);
        for (int n = 0; n < 100_000; n++) {
            byte[] data = new byte[r.nextInt(64)];
            r.nextBytes(data);
            check(data);
        }
    }

    /** Random fields in SAP's layout, so most inputs get past the header checks into the payload type code. */
    @Test
    void randomlyShapedPackets() {
        Random r = new Random(SEED + 2);
        int decoded = 0;
        for (int n = 0; n < 100_000; n++) {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            b.write(0x20 | r.nextInt(32));
            b.write(r.nextInt(3));
            b.write(r.nextInt(256));
            b.write(r.nextInt(256));
            byte[] rest = new byte[r.nextInt(40)];
            r.nextBytes(rest);
            for (int i = 0; i < rest.length; i++) {
                if (r.nextInt(3) > 0) {
                    rest[i] = (byte) (0x21 + r.nextInt(0x5E)); // printable, like a MIME type
                }
            }
            b.writeBytes(rest);
            if (r.nextBoolean()) {
                b.write(0);
            }
            if (r.nextInt(4) == 0) {
                b.writeBytes("v=0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            decoded += check(b.toByteArray());
        }
        assertTrue(decoded > 1000, "only " + decoded + " decoded: the fuzzer does not reach the payload code");
    }

    @Test
    void mutatedValidPackets() throws Exception {
        Random r = new Random(SEED + 1);
        byte[] valid = SapPacket.sdp(false, 0xBEEF, InetAddress.getByName("127.0.0.1"),
                "v=0\no=- 1 1 IN IP4 127.0.0.1\ns=x\n").encode();
        int decoded = 0;
        for (int n = 0; n < 100_000; n++) {
            byte[] data = valid.clone();
            int flips = 1 + r.nextInt(4);
            for (int i = 0; i < flips; i++) {
                data[r.nextInt(data.length)] = (byte) r.nextInt(256);
            }
            int cut = r.nextInt(4) == 0 ? r.nextInt(data.length + 1) : data.length;
            byte[] slice = java.util.Arrays.copyOf(data, cut);
            decoded += check(slice);
        }
        assertTrue(decoded > 1000);
    }

    private static int check(byte[] data) {
        SapPacket p = SapPacket.decode(data);
        if (p == null) {
            return 0;
        }
        assertEquals(p, SapPacket.decode(p.encode()));
        return 1;
    }
}
