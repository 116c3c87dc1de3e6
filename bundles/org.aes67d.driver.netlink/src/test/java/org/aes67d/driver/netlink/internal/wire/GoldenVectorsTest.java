package org.aes67d.driver.netlink.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import org.aes67d.api.session.SinkStatus;
import org.junit.jupiter.api.Test;

/** Every golden vector of spec/ravenna-netlink.md §6, byte for byte, in both directions and both ABIs. */
class GoldenVectorsTest {
    static final int P = 0x1234;

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static final byte[] HELLO = hex("28 00 00 00 03 00 00 00 00 00 00 00 34 12 00 00  14 00 00 00 00 00 00 00"
            + " 00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00");

    @Test
    void hello() throws Exception {
        byte[] b = NlCodec.encode(P, MsgId.HELLO);
        assertArrayEquals(HELLO, b);
        assertEquals("e55acb82e854dbd5e4e86c921ae75ddb863c3cc54779ff149d3a625d426e9e87", sha256(b));
        NlMessage m = NlCodec.decode(b, b.length);
        assertEquals(new NlMessage(P, MsgId.HELLO, 0, new byte[0]).toString().replaceAll("@\\w+", ""),
                m.toString().replaceAll("@\\w+", ""));
        assertEquals(0, m.payload().length);
    }

    @Test
    void setSampleRate48000() throws Exception {
        byte[] expected = hex("2C 00 00 00 03 00 00 00 00 00 00 00 34 12 00 00  05 00 00 00 00 00 00 00 04 00 00 00"
                + " 00 00 00 00  00 00 00 00 00 00 00 00 80 BB 00 00");
        byte[] b = NlCodec.encodeInt(P, MsgId.SET_SAMPLE_RATE, 48000);
        assertArrayEquals(expected, b);
        assertEquals("d467abf6b49b4ec4aca3705f4d3be1663781b69b411c86caa4e39b93110e63e2", sha256(b));
        NlMessage m = NlCodec.decode(b, b.length);
        assertEquals(MsgId.SET_SAMPLE_RATE, m.id());
        assertEquals(48000, m.int32());
        assertEquals(P, m.pid());
    }

    @Test
    void setPtpConfigAndInterfaceName() throws Exception {
        byte[] ptp = NlCodec.encode(P, MsgId.SET_PTP_CONFIG, 0, new ModulePtpConfig(0, 46).encode());
        assertEquals(42, ptp.length);
        assertArrayEquals(hex("1E 00 00 00 00 00 00 00 02 00 00 00"), Arrays.copyOfRange(ptp, 16, 28));
        assertEquals(0x2E, ptp[41]);
        assertEquals(new ModulePtpConfig(0, 46), ModulePtpConfig.decode(NlCodec.decode(ptp, 42).payload()));

        byte[] name = NlCodec.encode(P, MsgId.SET_INTERFACE_NAME, 0, "eth0\0".getBytes(StandardCharsets.US_ASCII));
        assertEquals(45, name.length);
        assertArrayEquals("eth0\0".getBytes(StandardCharsets.US_ASCII), NlCodec.decode(name, 45).payload());
        assertEquals(5, name[24]);
        assertArrayEquals(hex("65 74 68 30 00"), Arrays.copyOfRange(name, 40, 45));
    }

    @Test
    void answerToGetMasterOutputVolume() throws Exception {
        byte[] expected = hex("2C 00 00 00 03 00 00 00 00 00 00 00 34 12 00 00  19 00 00 00 00 00 00 00 04 00 00 00"
                + " 00 00 00 00  00 00 00 00 00 00 00 00 EC FF FF FF");
        byte[] b = NlCodec.encodeInt(P, MsgId.GET_MASTER_OUTPUT_VOLUME, -20);
        assertArrayEquals(expected, b);
        assertEquals("ab96a2a9a782ade0721e2c1bf6d15b743e94d20ef8c3362aac45522623c8fcc6", sha256(b));
        assertEquals(-20, NlCodec.decode(b, b.length).int32());
    }

    /** The spec's example source: "ALSA Source 0", 192.168.1.10 to 239.1.0.1:5004, L24 2 ch. */
    static StreamInfo exampleSource() {
        return new StreamInfo(0, "ALSA Source 0", 0, 0, 48, hex("01 00 5E 01 00 01"), 34, 0xC0A8010A, 0xC0A8010A,
                0xEF010001, 15, 5004, 5004, 98, 12345, 0, 48000, "L24", 3, 2, true, 0, new int[] {0, 1});
    }

    static final String ADD_ABI2_HEAD = ""
            + "BB 01 00 00 03 00 00 00 00 00 00 00 34 12 00 00"
            + "10 00 00 00 00 00 00 00 93 01 00 00 00 00 00 00"
            + "00 00 00 00 00 00 00 00 93 01 00 00 00 00 00 00"
            + "00 00 00 41 4C 53 41 20 53 6F 75 72 63 65 20 30"
            + "00".repeat(48)
            + "00 00 00 00 00 00 00 00 00 00 00 30 00 00 00 01"
            + "00 5E 01 00 01 22 0A 01 A8 C0 0A 01 A8 C0 01 00"
            + "01 EF 0F 8C 13 8C 13 00 00 00 00 62 39 30 00 00"
            + "00 00 00 00 00 80 BB 00 00 4C 32 34 00 00 00 00"
            + "00 00 00 03 02 01 00 00 00 00 00 00 00 00 00 01";

    @Test
    void addRtpStreamAbi2() throws Exception {
        byte[] b = NlCodec.encode(P, MsgId.ADD_RTP_STREAM, 0, exampleSource().encode(Abi.ABI_2));
        assertEquals(443, b.length);
        byte[] expected = new byte[443];
        byte[] head = hex(ADD_ABI2_HEAD);
        System.arraycopy(head, 0, expected, 0, head.length);
        assertEquals(0xC0, head.length);
        assertArrayEquals(expected, b);
        assertEquals("e0e62ae9bb43abe5f00e9c31af2a9cefe017c59e2c7c1b66a3b7de9c0e550ab5", sha256(b));
        assertEquals(exampleSource(), StreamInfo.decode(NlCodec.decode(b, b.length).payload(), Abi.ABI_2));
    }

    @Test
    void addRtpStreamAbi1() throws Exception {
        byte[] b = NlCodec.encode(P, MsgId.ADD_RTP_STREAM, 0, exampleSource().encode(Abi.ABI_1));
        assertEquals(442, b.length);
        assertEquals(0x1BA, b[0] & 0xFF | (b[1] & 0xFF) << 8);
        assertEquals(402, b[24] & 0xFF | (b[25] & 0xFF) << 8);
        assertArrayEquals(hex("92 01 00 00"), Arrays.copyOfRange(b, 40, 44));
        assertEquals(1, b[40 + 150]);
        for (int i = 146; i < 402; i++) {
            assertEquals(i == 150 ? 1 : 0, b[40 + i], "routing byte " + i);
        }
        assertEquals("bc19e1d62815e75a4fa0f35c0c71e5a4ed68ca98f3f44874c77ded14c555ba1c", sha256(b));
        StreamInfo back = StreamInfo.decode(NlCodec.decode(b, b.length).payload(), Abi.ABI_1);
        assertEquals(exampleSource(), back);
        assertArrayEquals(new int[] {0, 1}, back.routing());
    }

    @Test
    void addReplyCarriesTheHandle() throws Exception {
        byte[] reply = NlCodec.encodeLong(0, MsgId.ADD_RTP_STREAM, 0xFFFF8880_12345678L);
        assertEquals(48, reply.length);
        assertEquals(48, reply[0]);
        NlMessage m = NlCodec.decode(reply, reply.length);
        assertEquals(0xFFFF8880_12345678L, m.int64());
        assertEquals(8, m.payload().length);
    }

    /** The kernel's GetPTPStatus reply with undefined bytes 28-39, padded to 76 bytes. */
    static byte[] ptpStatusReply(boolean abi2, byte garbage) {
        String head = abi2 ? "4C 00 00 00 03 00 00 00 00 00 00 00 00 00 00 00  20 00 00 00 00 00 00 00 24 00 00 00"
                : "38 00 00 00 03 00 00 00 00 00 00 00 00 00 00 00  20 00 00 00 00 00 00 00 10 00 00 00";
        String payload = abi2 ? "02 00 00 00 00 1D C1 FF FE 50 36 33" + " 00".repeat(20) + " 0C 00 00 00"
                : "02 00 00 00 00 1D C1 FF FE 50 36 33 00 00 00 00";
        byte[] h = hex(head);
        byte[] p = hex(payload);
        byte[] b = new byte[40 + p.length];
        System.arraycopy(h, 0, b, 0, h.length);
        Arrays.fill(b, 28, 40, garbage);
        System.arraycopy(p, 0, b, 40, p.length);
        return b;
    }

    @Test
    void ptpStatusReplyOfBothAbisIgnoringUndefinedHeaderBytes() throws Exception {
        for (byte garbage : new byte[] {0, (byte) 0xA5, (byte) 0xFF}) {
            byte[] r2 = ptpStatusReply(true, garbage);
            assertEquals(76, r2.length);
            NlMessage m2 = NlCodec.decode(r2, r2.length);
            assertEquals(Abi.ABI_2, Abi.ofPtpStatusSize(m2.payload().length));
            ModulePtpStatus s2 = ModulePtpStatus.decode(m2.payload());
            assertEquals(ModulePtpStatus.LOCKED, s2.lock());
            assertEquals("00-1D-C1-FF-FE-50-36-33", s2.gmidText());
            assertEquals(12, s2.jitter());
            assertArrayEquals(m2.payload(), s2.encode(Abi.ABI_2));

            byte[] r1 = ptpStatusReply(false, garbage);
            assertEquals(56, r1.length);
            NlMessage m1 = NlCodec.decode(r1, r1.length);
            assertEquals(Abi.ABI_1, Abi.ofPtpStatusSize(m1.payload().length));
            ModulePtpStatus s1 = ModulePtpStatus.decode(m1.payload());
            assertEquals("00-1D-C1-FF-FE-50-36-33", s1.gmidText());
            assertEquals(0, s1.jitter());
            assertArrayEquals(m1.payload(), s1.encode(Abi.ABI_1));
        }
    }

    @Test
    void kernelPaddingAfterTheMessageIsIgnored() throws Exception {
        byte[] reply = NlCodec.encode(0, MsgId.GET_PTP_CONFIG, 0, new ModulePtpConfig(5, 48).encode());
        assertEquals(42, reply.length);
        byte[] padded = Arrays.copyOf(reply, 44); // the kernel pads the datagram to 4
        assertEquals(new ModulePtpConfig(5, 48), ModulePtpConfig.decode(NlCodec.decode(padded, 44).payload()));
    }

    @Test
    void sinkStatusFlags() throws Exception {
        SinkStatus s = StreamStatus.decode(StreamStatus.encode(StreamStatus.RECEIVING | StreamStatus.SSRC_ERROR, 37));
        assertTrue(s.receivingRtpPacket());
        assertTrue(s.ssrcError());
        assertFalse(s.muted());
        assertFalse(s.seqIdError());
        assertEquals(37, s.minTime());
        SinkStatus all = StreamStatus.decode(StreamStatus.encode(0xFF, -1));
        assertEquals(new SinkStatus(true, true, true, true, true, true, true, true, -1), all);
    }

    @Test
    void errorCodesMapAsTheCppDaemon() {
        assertEquals("(driver) command failed", new ModuleError(-401, "Add_RTPStream", null).restText());
        assertTrue(new ModuleError(-401, "x", null).clientError());
        int[][] codes = {{-314, 15}, {-315, 11}, {-401, 13}, {-404, 14}, {-805, 12}, {-302, 17}, {-303, 16}, {-7, 10}};
        for (int[] c : codes) {
            assertEquals(c[1], ModuleError.driverErrc(c[0]));
            assertEquals(c[0] == -401, new ModuleError(c[0], "x", null).clientError(), "400 only for -401");
        }
        assertEquals("(driver) invalid data size", new ModuleError(-315, "x", null).restText());
        assertEquals("(driver) invalid value specified", new ModuleError(-805, "x", null).restText());
        assertEquals("(daemon) failed to receive response from driver",
                new ModuleError(ModuleError.RECEIVE_U2K_FAILED, "x", null).restText());
        assertEquals("(daemon) unexpected driver command response code",
                new ModuleError(ModuleError.INVALID_DRIVER_RESPONSE, "x", null).restText());
        assertFalse(new ModuleError(ModuleError.RECEIVE_U2K_FAILED, "x", null).clientError());
    }
}
