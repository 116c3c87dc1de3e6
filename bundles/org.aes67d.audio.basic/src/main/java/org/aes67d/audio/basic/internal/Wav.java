package org.aes67d.audio.basic.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/** RIFF/WAVE headers: reading the fmt/data chunks of a PCM file and writing a canonical 44-byte header. */
final class Wav {
    static final int HEADER_BYTES = 44;
    private static final int TAG_PCM = 1;
    private static final int TAG_EXTENSIBLE = 0xFFFE;

    /** What a WAV file holds: where its samples are and how they are laid out. */
    record Info(int channels, int sampleRate, int bits, long dataOffset, long dataBytes) {
        int frameBytes() {
            return channels * bits / 8;
        }
    }

    private Wav() {
    }

    /**
     * Reads the header. A file that is not integer PCM of 16, 24 or 32 bits throws IllegalArgumentException
     * (the caller's fault: a 400), an unreadable one IOException.
     */
    static Info read(FileChannel ch) throws IOException {
        long size = ch.size();
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, b, 0);
        if (b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) { // "RIFF", "WAVE"
            throw new IllegalArgumentException("not a WAV file (no RIFF/WAVE header)");
        }
        long pos = 12;
        ByteBuffer fmt = null;
        ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        while (pos + 8 <= size) {
            head.clear();
            readFully(ch, head, pos);
            int id = head.getInt(0);
            long len = head.getInt(4) & 0xFFFFFFFFL;
            if (id == 0x20746D66) { // "fmt "
                if (len < 16 || len > 1024) {
                    throw new IllegalArgumentException("WAV fmt chunk of " + len + " bytes");
                }
                fmt = ByteBuffer.allocate((int) len).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, fmt, pos + 8);
            } else if (id == 0x61746164) { // "data"
                if (fmt == null) {
                    throw new IllegalArgumentException("WAV data chunk before fmt chunk");
                }
                Info info = info(fmt);
                long avail = size - (pos + 8);
                // Streaming writers leave 0 or 0xFFFFFFFF; a killed recorder may leave a short count: use the file.
                long bytes = len == 0 || len == 0xFFFFFFFFL || len > avail ? avail : len;
                bytes -= bytes % info.frameBytes();
                if (bytes <= 0) {
                    throw new IllegalArgumentException("WAV file has no samples");
                }
                return new Info(info.channels, info.sampleRate, info.bits, pos + 8, bytes);
            }
            pos += 8 + len + (len & 1);
        }
        throw new IllegalArgumentException(fmt == null ? "WAV file has no fmt chunk" : "WAV file has no data chunk");
    }

    private static Info info(ByteBuffer fmt) {
        int tag = fmt.getShort(0) & 0xFFFF;
        int channels = fmt.getShort(2) & 0xFFFF;
        int rate = fmt.getInt(4);
        int align = fmt.getShort(12) & 0xFFFF;
        int bits = fmt.getShort(14) & 0xFFFF;
        if (tag == TAG_EXTENSIBLE && fmt.capacity() >= 26) {
            tag = fmt.getShort(24) & 0xFFFF; // first two bytes of the sub-format GUID
        }
        if (tag != TAG_PCM) {
            throw new IllegalArgumentException("WAV file is not integer PCM (format tag " + tag
                    + (tag == 3 ? ", floating point" : "") + ")");
        }
        if (bits != 16 && bits != 24 && bits != 32) {
            throw new IllegalArgumentException("WAV file has " + bits + "-bit samples (16, 24 or 32 supported)");
        }
        if (channels < 1 || align != channels * bits / 8) {
            throw new IllegalArgumentException("WAV file has an inconsistent fmt chunk");
        }
        return new Info(channels, rate, bits, 0, 0);
    }

    /** A canonical PCM header for {@code dataBytes} bytes of samples. */
    static ByteBuffer header(int channels, int rate, int bits, long dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt((int) Math.min(0xFFFFFFFFL, 36 + dataBytes)).putInt(0x45564157);
        b.putInt(0x20746D66).putInt(16).putShort((short) TAG_PCM).putShort((short) channels).putInt(rate)
                .putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
        b.putInt(0x61746164).putInt((int) Math.min(0xFFFFFFFFL, dataBytes));
        return b.flip();
    }

    static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new IllegalArgumentException("WAV file is truncated");
            }
        }
    }
}
