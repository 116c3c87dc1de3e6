package org.aes67d.audio.basic.internal;

import java.util.Locale;

/** Little-endian integer PCM, between bytes and 32-bit left-justified ints. */
enum PcmFormat {
    S16_LE(2), S24_3LE(3), S32_LE(4);

    final int bytes;

    PcmFormat(int bytes) {
        this.bytes = bytes;
    }

    static PcmFormat ofBits(int bits) {
        switch (bits) {
            case 16: return S16_LE;
            case 24: return S24_3LE;
            case 32: return S32_LE;
            default: return null;
        }
    }

    /**
     * The format of a pipe, from its file name: {@code .s16}/{@code .s16le} S16_LE, {@code .s24}/{@code .s24le}/
     * {@code .s24_3le} S24_3LE, anything else (including {@code .s32}) S32_LE, which carries every codec losslessly.
     */
    static PcmFormat ofPipeName(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".s16") || n.endsWith(".s16le") || n.endsWith(".s16_le")) {
            return S16_LE;
        }
        if (n.endsWith(".s24") || n.endsWith(".s24le") || n.endsWith(".s24_3le")) {
            return S24_3LE;
        }
        return S32_LE;
    }

    void decode(byte[] src, int srcOff, int[] dst, int dstOff, int count) {
        int s = srcOff;
        for (int i = 0; i < count; i++, s += bytes) {
            int v;
            switch (this) {
                case S16_LE:
                    v = ((src[s + 1]) << 24) | ((src[s] & 0xFF) << 16);
                    break;
                case S24_3LE:
                    v = ((src[s + 2]) << 24) | ((src[s + 1] & 0xFF) << 16) | ((src[s] & 0xFF) << 8);
                    break;
                default:
                    v = ((src[s + 3]) << 24) | ((src[s + 2] & 0xFF) << 16) | ((src[s + 1] & 0xFF) << 8)
                            | (src[s] & 0xFF);
                    break;
            }
            dst[dstOff + i] = v;
        }
    }

    void encode(int[] src, int srcOff, byte[] dst, int dstOff, int count) {
        int d = dstOff;
        for (int i = 0; i < count; i++, d += bytes) {
            int v = src[srcOff + i];
            switch (this) {
                case S16_LE:
                    dst[d] = (byte) (v >>> 16);
                    dst[d + 1] = (byte) (v >>> 24);
                    break;
                case S24_3LE:
                    dst[d] = (byte) (v >>> 8);
                    dst[d + 1] = (byte) (v >>> 16);
                    dst[d + 2] = (byte) (v >>> 24);
                    break;
                default:
                    dst[d] = (byte) v;
                    dst[d + 1] = (byte) (v >>> 8);
                    dst[d + 2] = (byte) (v >>> 16);
                    dst[d + 3] = (byte) (v >>> 24);
                    break;
            }
        }
    }
}
