package org.aes67d.util.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Little-endian integer PCM in native memory (an ALSA period buffer) to and from the engine's 32-bit
 * left-justified samples. Works on a little-endian {@link ByteBuffer} view with absolute indexes: no allocation.
 */
public enum PcmCodec {
    S16_LE(2, 2), S24_3LE(3, 32), S32_LE(4, 10);

    /** Bytes per sample. */
    public final int bytes;
    /** The {@code snd_pcm_format_t} value. */
    public final int alsaFormat;

    PcmCodec(int bytes, int alsaFormat) {
        this.bytes = bytes;
        this.alsaFormat = alsaFormat;
    }

    /** The format named {@code name} (case-insensitive), or null. */
    public static PcmCodec named(String name) {
        for (PcmCodec c : values()) {
            if (c.name().equalsIgnoreCase(name.trim())) {
                return c;
            }
        }
        return null;
    }

    /** "S16_LE, S24_3LE, S32_LE", for error messages. */
    public static String names() {
        StringBuilder b = new StringBuilder();
        for (PcmCodec c : values()) {
            b.append(b.length() == 0 ? "" : ", ").append(c.name());
        }
        return b.toString();
    }

    /** {@code count} samples from {@code buf} (little-endian, from byte 0) into {@code dst} from {@code offset}. */
    public void decode(ByteBuffer buf, int[] dst, int offset, int count) {
        ByteBuffer b = buf.order() == ByteOrder.LITTLE_ENDIAN ? buf : buf.order(ByteOrder.LITTLE_ENDIAN);
        switch (this) {
            case S16_LE -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = b.getShort(2 * i) << 16;
                }
            }
            case S24_3LE -> {
                for (int i = 0, p = 0; i < count; i++, p += 3) {
                    dst[offset + i] = (b.get(p + 2) << 24) | ((b.get(p + 1) & 0xFF) << 16) | ((b.get(p) & 0xFF) << 8);
                }
            }
            default -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = b.getInt(4 * i);
                }
            }
        }
    }

    /** {@code count} samples of {@code src} from {@code offset} into {@code buf} (little-endian, from byte 0). */
    public void encode(int[] src, int offset, ByteBuffer buf, int count) {
        ByteBuffer b = buf.order() == ByteOrder.LITTLE_ENDIAN ? buf : buf.order(ByteOrder.LITTLE_ENDIAN);
        switch (this) {
            case S16_LE -> {
                for (int i = 0; i < count; i++) {
                    b.putShort(2 * i, (short) (src[offset + i] >> 16));
                }
            }
            case S24_3LE -> {
                for (int i = 0, p = 0; i < count; i++, p += 3) {
                    int v = src[offset + i];
                    b.put(p, (byte) (v >>> 8));
                    b.put(p + 1, (byte) (v >>> 16));
                    b.put(p + 2, (byte) (v >>> 24));
                }
            }
            default -> {
                for (int i = 0; i < count; i++) {
                    b.putInt(4 * i, src[offset + i]);
                }
            }
        }
    }
}
