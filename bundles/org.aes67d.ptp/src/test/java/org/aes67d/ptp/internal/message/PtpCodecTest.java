package org.aes67d.ptp.internal.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Golden bytes written field by field from IEEE 1588-2008 clause 13 (header table 18, bodies tables
 * 25-30), not from our encoder.
 */
class PtpCodecTest {

    static final long CLOCK = 0x001B21FFFE0A0B0CL;
    static final String CLOCK_HEX = "001b21fffe0a0b0c";

    static byte[] hex(String... parts) {
        return HexFormat.of().parseHex(String.join("", parts).replace(" ", ""));
    }

    // header: type|ver|length|domain|res|flags|correction|res4|clockId|port|seq|control|logInterval
    static final byte[] SYNC = hex(
            "00", "02", "002c", "00", "00", "0200", "0000000000000000", "00000000", CLOCK_HEX, "0001", "1234", "00",
            "fd",
            "00000000 0064", "0000 01f4"); // 100 s, 500 ns

    static final byte[] FOLLOW_UP = hex(
            "08", "02", "002c", "05", "00", "0000", "0000000000000000", "00000000", CLOCK_HEX, "0001", "1234", "02",
            "fd",
            "0001 00000002", "3b9ac9ff"); // 2^32+2 s, 999999999 ns

    static final byte[] DELAY_REQ = hex(
            "01", "02", "002c", "00", "00", "0000", "0000000000000000", "00000000", "aabbccfffe112233", "0001", "0007",
            "01", "7f",
            "00000000 0000", "00000000");

    static final byte[] DELAY_RESP = hex(
            "09", "02", "0036", "00", "00", "0000", "0000000000030000", "00000000", CLOCK_HEX, "0001", "0007", "03",
            "00",
            "00000000 000a", "00000064", // 10 s 100 ns
            "aabbccfffe112233", "0001");

    static final byte[] ANNOUNCE = hex(
            "0b", "02", "0040", "00", "00", "0008", "0000000000000000", "00000000", CLOCK_HEX, "0001", "0042", "05",
            "01",
            "00000000 0000", "00000000", // originTimestamp
            "0025", "00", // currentUtcOffset 37, reserved
            "f8", // priority1 248
            "f8", "fe", "ffff", // clockQuality: class 248, accuracy unknown, variance
            "80", // priority2 128
            CLOCK_HEX, // grandmasterIdentity
            "0000", // stepsRemoved
            "a0"); // timeSource internal oscillator

    @Test
    void parsesSync() {
        PtpMessage m = new PtpMessage();
        assertTrue(m.parse(SYNC, 0, SYNC.length));
        assertEquals(PtpMessage.SYNC, m.messageType);
        assertEquals(2, m.versionPtp);
        assertEquals(44, m.messageLength);
        assertEquals(0, m.domainNumber);
        assertTrue(m.flag(PtpMessage.FLAG_TWO_STEP));
        assertEquals(CLOCK, m.sourceClockIdentity);
        assertEquals(1, m.sourcePortNumber);
        assertEquals(0x1234, m.sequenceId);
        assertEquals(-3, m.logMessageInterval);
        assertEquals(100_000_000_500L, m.timestampNanos());
    }

    @Test
    void parsesFollowUpWith48BitSeconds() {
        PtpMessage m = new PtpMessage();
        assertTrue(m.parse(FOLLOW_UP, 0, FOLLOW_UP.length));
        assertEquals(PtpMessage.FOLLOW_UP, m.messageType);
        assertEquals(5, m.domainNumber);
        assertEquals((1L << 32) + 2, m.timestampSeconds);
        assertEquals(999_999_999, m.timestampNanos);
    }

    @Test
    void parsesDelayRespAndAnnounce() {
        PtpMessage m = new PtpMessage();
        assertTrue(m.parse(DELAY_RESP, 0, DELAY_RESP.length));
        assertEquals(PtpMessage.DELAY_RESP, m.messageType);
        assertEquals(3, m.correctionNanos());
        assertEquals(10_000_000_100L, m.timestampNanos());
        assertEquals(0xAABBCCFFFE112233L, m.requestingClockIdentity);
        assertEquals(1, m.requestingPortNumber);

        assertTrue(m.parse(ANNOUNCE, 0, ANNOUNCE.length));
        assertEquals(PtpMessage.ANNOUNCE, m.messageType);
        assertEquals(37, m.currentUtcOffset);
        assertEquals(248, m.gmPriority1);
        assertEquals(248, m.gmClockClass);
        assertEquals(0xFE, m.gmClockAccuracy);
        assertEquals(0xFFFF, m.gmOffsetScaledLogVariance);
        assertEquals(128, m.gmPriority2);
        assertEquals(CLOCK, m.gmIdentity);
        assertEquals(0, m.stepsRemoved);
        assertEquals(0xA0, m.timeSource);
        assertEquals(1, m.logMessageInterval);
        assertTrue(m.flag(PtpMessage.FLAG_PTP_TIMESCALE));
    }

    @Test
    void writesGoldenBytes() {
        byte[] b = new byte[80];
        assertEquals(44, PtpWriter.sync(b, 0, 0, CLOCK, 1, 0x1234, -3, 100_000_000_500L));
        assertArrayEquals(SYNC, Arrays.copyOf(b, 44));
        assertEquals(44, PtpWriter.followUp(b, 0, 5, CLOCK, 1, 0x1234, -3,
                ((1L << 32) + 2) * 1_000_000_000L + 999_999_999));
        assertArrayEquals(FOLLOW_UP, Arrays.copyOf(b, 44));
        assertEquals(44, PtpWriter.delayReq(b, 0, 0, 0xAABBCCFFFE112233L, 1, 7, 0));
        assertArrayEquals(DELAY_REQ, Arrays.copyOf(b, 44));
        assertEquals(54, PtpWriter.delayResp(b, 0, 0, CLOCK, 1, 7, 0, 3L << 16, 10_000_000_100L,
                0xAABBCCFFFE112233L, 1));
        assertArrayEquals(DELAY_RESP, Arrays.copyOf(b, 54));
        assertEquals(64, PtpWriter.announce(b, 0, 0, CLOCK, 1, 0x42, 1, PtpMessage.FLAG_PTP_TIMESCALE, 0, 37, 248,
                248, 0xFE, 0xFFFF, 128, 0, 0xA0));
        assertArrayEquals(ANNOUNCE, Arrays.copyOf(b, 64));
    }

    @Test
    void writesAtAnOffset() {
        byte[] b = new byte[100];
        PtpWriter.sync(b, 7, 0, CLOCK, 1, 0x1234, -3, 100_000_000_500L);
        assertArrayEquals(SYNC, Arrays.copyOfRange(b, 7, 51));
        PtpMessage m = new PtpMessage();
        assertTrue(m.parse(b, 7, 44));
    }

    @Test
    void rejectsBadInput() {
        PtpMessage m = new PtpMessage();
        assertFalse(m.parse(SYNC, 0, 33));
        assertEquals(PtpMessage.Error.TOO_SHORT, m.error());
        byte[] v1 = SYNC.clone();
        v1[1] = 1;
        assertFalse(m.parse(v1, 0, v1.length));
        assertEquals(PtpMessage.Error.BAD_VERSION, m.error());
        assertFalse(m.parse(ANNOUNCE, 0, 60)); // messageLength 64 > 60 received
        assertEquals(PtpMessage.Error.BAD_LENGTH, m.error());
        byte[] shortAnnounce = ANNOUNCE.clone();
        shortAnnounce[3] = 44;
        assertFalse(m.parse(shortAnnounce, 0, shortAnnounce.length));
        assertEquals(PtpMessage.Error.BAD_LENGTH, m.error());
        byte[] type5 = SYNC.clone();
        type5[0] = 5;
        assertFalse(m.parse(type5, 0, type5.length));
        assertEquals(PtpMessage.Error.UNKNOWN_TYPE, m.error());
        byte[] badNs = SYNC.clone();
        badNs[40] = (byte) 0xFF;
        assertFalse(m.parse(badNs, 0, badNs.length));
        assertEquals(PtpMessage.Error.BAD_TIMESTAMP, m.error());
        // 1588-2019 minorVersionPTP = 1 is accepted
        byte[] v21 = SYNC.clone();
        v21[1] = 0x12;
        assertTrue(m.parse(v21, 0, v21.length));
        // trailing bytes (e.g. a TLV) are fine
        byte[] padded = Arrays.copyOf(SYNC, 60);
        assertTrue(m.parse(padded, 0, padded.length));
    }

    /** Any bytes: parsed or rejected, never an exception. Seeded so a failure can be replayed. */
    @Test
    void fuzz() {
        Random r = new Random(0x1588_2008L);
        PtpMessage m = new PtpMessage();
        byte[][] seeds = {SYNC, FOLLOW_UP, DELAY_REQ, DELAY_RESP, ANNOUNCE};
        int ok = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] b;
            if (i % 2 == 0) {
                b = new byte[r.nextInt(100)];
                r.nextBytes(b);
                if (b.length > 1 && r.nextBoolean()) {
                    b[1] = 2; // get past the version check more often
                }
            } else { // mutate a valid message: flip bytes, truncate or extend
                byte[] s = seeds[r.nextInt(seeds.length)];
                b = Arrays.copyOf(s, Math.max(0, s.length + r.nextInt(21) - 10));
                for (int k = r.nextInt(4); k >= 0 && b.length > 0; k--) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
            }
            int off = b.length == 0 ? 0 : r.nextInt(Math.min(4, b.length));
            if (m.parse(b, off, b.length - off)) {
                ok++;
                assertTrue(m.messageLength <= b.length - off);
                assertEquals(PtpMessage.Error.NONE, m.error());
            } else {
                assertTrue(m.error() != PtpMessage.Error.NONE);
            }
        }
        assertTrue(ok > 1000, "fuzz should also produce valid messages, got " + ok);
    }

    @Test
    void identities() {
        assertEquals("00-1B-21-FF-FE-0A-0B-0C", Timestamps.identityText(CLOCK));
        assertEquals(CLOCK, Timestamps.identityFromMac(new byte[] {0x00, 0x1B, 0x21, 0x0A, 0x0B, 0x0C}));
        assertEquals(0, Timestamps.identityFromMac(new byte[6]));
        assertEquals(0, Timestamps.identityFromMac(null));
        assertEquals(Long.MIN_VALUE, Timestamps.toNanos(1L << 47, 0));
    }
}
