package org.aes67d.rtp;

/**
 * Payload sample formats, between network bytes and interleaved 32-bit left-justified ints (the format of
 * {@code AudioInput}/{@code AudioOutput}). Stateless and allocation-free.
 */
public enum SampleCodec {
    /** RFC 3551 L16: 16-bit two's complement, big-endian. */
    L16(2),
    /** RFC 3190 L24: 24-bit two's complement, big-endian. */
    L24(3),
    /**
     * IEC 61883-6 AM824 as the C++ daemon's "AM824 (L32)": per sample one label byte (0x40, multi-bit linear
     * audio with 24 bits) followed by the 24-bit sample, big-endian.
     */
    AM824(4);

    /** The AM824 label of 24-bit linear audio (IEC 61883-6 MBLA, 24 bit). */
    public static final int AM824_LABEL = 0x40;

    private final int bytesPerSample;

    SampleCodec(int bytesPerSample) {
        this.bytesPerSample = bytesPerSample;
    }

    public int bytesPerSample() {
        return bytesPerSample;
    }

    /** Significant bits per sample on the wire. */
    public int bits() {
        return this == L16 ? 16 : 24;
    }

    /** The codec for an SDP encoding name ({@code L16}, {@code L24}, {@code AM824}), or null. */
    public static SampleCodec forName(String name) {
        if (name == null) {
            return null;
        }
        switch (name) {
            case "L16": return L16;
            case "L24": return L24;
            case "AM824": return AM824;
            default: return null;
        }
    }

    /** Decodes {@code count} samples from {@code src[srcOff..]} into {@code dst[dstOff..]}. */
    public void decode(byte[] src, int srcOff, int[] dst, int dstOff, int count) {
        int s = srcOff;
        switch (this) {
            case L16:
                for (int i = 0; i < count; i++, s += 2) {
                    dst[dstOff + i] = (src[s] << 24) | ((src[s + 1] & 0xFF) << 16);
                }
                break;
            case L24:
                for (int i = 0; i < count; i++, s += 3) {
                    dst[dstOff + i] = (src[s] << 24) | ((src[s + 1] & 0xFF) << 16) | ((src[s + 2] & 0xFF) << 8);
                }
                break;
            default:
                // The label byte is ignored: a sink plays the audio bits whatever label a peer sets.
                for (int i = 0; i < count; i++, s += 4) {
                    dst[dstOff + i] = (src[s + 1] << 24) | ((src[s + 2] & 0xFF) << 16) | ((src[s + 3] & 0xFF) << 8);
                }
                break;
        }
    }

    /** Encodes {@code count} samples from {@code src[srcOff..]} into {@code dst[dstOff..]}; truncates extra bits. */
    public void encode(int[] src, int srcOff, byte[] dst, int dstOff, int count) {
        int d = dstOff;
        switch (this) {
            case L16:
                for (int i = 0; i < count; i++, d += 2) {
                    int v = src[srcOff + i];
                    dst[d] = (byte) (v >>> 24);
                    dst[d + 1] = (byte) (v >>> 16);
                }
                break;
            case L24:
                for (int i = 0; i < count; i++, d += 3) {
                    int v = src[srcOff + i];
                    dst[d] = (byte) (v >>> 24);
                    dst[d + 1] = (byte) (v >>> 16);
                    dst[d + 2] = (byte) (v >>> 8);
                }
                break;
            default:
                for (int i = 0; i < count; i++, d += 4) {
                    int v = src[srcOff + i];
                    dst[d] = (byte) AM824_LABEL;
                    dst[d + 1] = (byte) (v >>> 24);
                    dst[d + 2] = (byte) (v >>> 16);
                    dst[d + 3] = (byte) (v >>> 8);
                }
                break;
        }
    }
}
