package org.aes67d.driver.netlink.internal.wire;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Seeded fuzz of what the kernel sends: valid replies and events, then truncated, resized, with unknown ids, huge or
 * negative dataSize, random bytes. Decoding either succeeds or throws {@link WireException} with a message; nothing
 * else escapes.
 */
public class WireFuzzTest {
    static final long SEED = 0x16_2026L;
    static final int ROUNDS = 50_000;

    static List<byte[]> validMessages() {
        return List.of(NlCodec.encode(0, MsgId.HELLO), NlCodec.encodeLong(0, MsgId.ADD_RTP_STREAM, 42),
                NlCodec.encode(0, MsgId.GET_PTP_STATUS, 0, new ModulePtpStatus(2, new byte[8], 3).encode(Abi.ABI_2)),
                NlCodec.encode(0, MsgId.GET_PTP_STATUS, 0, new ModulePtpStatus(1, new byte[8], 0).encode(Abi.ABI_1)),
                NlCodec.encode(0, MsgId.GET_RTP_STREAM_STATUS, 0, StreamStatus.encode(0x30, 5)),
                NlCodec.encode(0, MsgId.GET_PTP_CONFIG, 0, new ModulePtpConfig(0, 48).encode()),
                NlCodec.encodeInt(0, MsgId.SET_SAMPLE_RATE, 96000), NlCodec.encode(0, MsgId.GET_MASTER_OUTPUT_VOLUME),
                NlCodec.encode(0, MsgId.ADD_RTP_STREAM, 0,
                        GoldenVectorsTest.exampleSource().encode(Abi.ABI_2)));
    }

    public static byte[] mutate(Random r, byte[] valid) {
        byte[] b = valid.clone();
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        switch (r.nextInt(8)) {
            case 0 -> { // truncated anywhere
                byte[] t = new byte[r.nextInt(b.length + 1)];
                System.arraycopy(b, 0, t, 0, t.length);
                return t;
            }
            case 1 -> h.putInt(24, r.nextInt()); // any dataSize, huge and negative included
            case 2 -> h.putInt(24, NlCodec.MAX_PAYLOAD + 1 + r.nextInt(1 << 20));
            case 3 -> h.putInt(16, r.nextInt(r.nextBoolean() ? 64 : Integer.MAX_VALUE)); // unknown ids
            case 4 -> h.putInt(0, r.nextInt()); // nlmsg_len
            case 5 -> h.putShort(4, (short) r.nextInt(1 << 16));
            case 6 -> { // random bytes of random length
                byte[] x = new byte[r.nextInt(1100)];
                r.nextBytes(x);
                return x;
            }
            default -> { // a few bit flips
                for (int i = r.nextInt(4); i >= 0; i--) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
        }
        return b;
    }

    @Test
    void anyBytesGiveAMessageOrAClearError() {
        Random r = new Random(SEED);
        List<byte[]> valid = validMessages();
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < ROUNDS; i++) {
            byte[] b = mutate(r, valid.get(r.nextInt(valid.size())));
            try {
                NlMessage m = NlCodec.decode(b, b.length);
                assertTrue(m.payload().length <= NlCodec.MAX_PAYLOAD);
                interpret(m);
                accepted++;
            } catch (WireException e) {
                assertNotNull(e.getMessage());
                assertTrue(!e.getMessage().isBlank());
                rejected++;
            } catch (RuntimeException e) {
                fail("round " + i + " (seed " + SEED + "): " + e, e);
            }
        }
        assertTrue(accepted > 1000 && rejected > 1000, accepted + " accepted, " + rejected + " rejected");
    }

    /** What the driver does with a reply payload of each id; each decoder checks sizes itself. */
    static void interpret(NlMessage m) throws WireException {
        byte[] p = m.payload();
        switch (m.id()) {
            case MsgId.GET_PTP_STATUS -> ModulePtpStatus.decode(p).gmidText();
            case MsgId.GET_RTP_STREAM_STATUS -> StreamStatus.decode(p);
            case MsgId.GET_PTP_CONFIG -> ModulePtpConfig.decode(p);
            case MsgId.ADD_RTP_STREAM -> {
                if (p.length == 8) {
                    m.int64();
                } else {
                    StreamInfo.decode(p, p.length == 402 ? Abi.ABI_1 : Abi.ABI_2);
                }
            }
            default -> MsgId.name(m.id());
        }
    }
}
