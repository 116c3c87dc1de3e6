package org.aes67d.streamer.internal;

/** The 7-byte ADTS header (ISO 14496-3, no CRC) of AAC-LC frames at one rate and channel count. */
final class Adts {
    static final int HEADER = 7;
    private static final int[] RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025,
        8000, 7350};

    private final int frequencyIndex;
    private final int channelConfig;

    Adts(int rate, int channels) {
        this.frequencyIndex = frequencyIndex(rate);
        this.channelConfig = channels == 8 ? 7 : channels;
        if (frequencyIndex < 0 || channelConfig < 1 || channelConfig > 7) {
            throw new IllegalArgumentException("no ADTS header for " + channels + " ch at " + rate + " Hz");
        }
    }

    static int frequencyIndex(int rate) {
        for (int i = 0; i < RATES.length; i++) {
            if (RATES[i] == rate) {
                return i;
            }
        }
        return -1;
    }

    /** Writes the header of a frame with {@code payload} bytes of raw AAC into {@code f[0..7)}. */
    void header(byte[] f, int payload) {
        int len = payload + HEADER;
        f[0] = (byte) 0xFF;
        f[1] = (byte) 0xF1; // MPEG-4, layer 0, no CRC
        f[2] = (byte) ((1 << 6) | (frequencyIndex << 2) | (channelConfig >> 2)); // profile LC = object type 2 - 1
        f[3] = (byte) (((channelConfig & 3) << 6) | (len >> 11));
        f[4] = (byte) ((len >> 3) & 0xFF);
        f[5] = (byte) (((len & 7) << 5) | 0x1F); // buffer fullness 0x7FF: variable rate
        f[6] = (byte) 0xFC; // one raw data block
    }

    /** The frame length in an ADTS header at {@code o}, or -1 if no header starts there. */
    static int frameLength(byte[] b, int o) {
        if (o + HEADER > b.length || (b[o] & 0xFF) != 0xFF || (b[o + 1] & 0xF6) != 0xF0) {
            return -1;
        }
        return ((b[o + 3] & 3) << 11) | ((b[o + 4] & 0xFF) << 3) | ((b[o + 5] & 0xE0) >> 5);
    }
}
