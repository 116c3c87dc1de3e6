package org.aes67d.util.audio;

/**
 * Lock-free single-producer single-consumer ring of interleaved 32-bit frames between a device thread (ALSA I/O
 * thread, JACK process thread) and the engine's clock thread. Neither side blocks or allocates; each side owns
 * one position and publishes it through a volatile field.
 */
public final class FrameRing {
    private final int channels;
    private final int capacity;
    private final int[] data;
    private volatile long readPos;
    private volatile long writePos;

    public FrameRing(int channels, int capacityFrames) {
        if (channels < 1 || capacityFrames < 1) {
            throw new IllegalArgumentException("ring of " + channels + " channels x " + capacityFrames + " frames");
        }
        this.channels = channels;
        this.capacity = capacityFrames;
        this.data = new int[channels * capacityFrames];
    }

    public int channels() {
        return channels;
    }

    public int capacity() {
        return capacity;
    }

    /** Frames written and not yet read (either side may ask). */
    public int fill() {
        return (int) (writePos - readPos);
    }

    /** Producer: appends up to {@code frames} frames from {@code src}; returns how many fitted. */
    public int write(int[] src, int offset, int frames) {
        long w = writePos;
        int n = Math.min(frames, capacity - (int) (w - readPos));
        if (n <= 0) {
            return 0;
        }
        int at = (int) (w % capacity);
        int first = Math.min(n, capacity - at);
        System.arraycopy(src, offset, data, at * channels, first * channels);
        if (n > first) {
            System.arraycopy(src, offset + first * channels, data, 0, (n - first) * channels);
        }
        writePos = w + n;
        return n;
    }

    /** Consumer: takes up to {@code frames} frames into {@code dst}; returns how many there were. */
    public int read(int[] dst, int offset, int frames) {
        long r = readPos;
        int n = Math.min(frames, (int) (writePos - r));
        if (n <= 0) {
            return 0;
        }
        int at = (int) (r % capacity);
        int first = Math.min(n, capacity - at);
        System.arraycopy(data, at * channels, dst, offset, first * channels);
        if (n > first) {
            System.arraycopy(data, 0, dst, offset + first * channels, (n - first) * channels);
        }
        readPos = r + n;
        return n;
    }

    /** Consumer: drops up to {@code frames} frames; returns how many were dropped. */
    public int skip(int frames) {
        long r = readPos;
        int n = Math.max(0, Math.min(frames, (int) (writePos - r)));
        readPos = r + n;
        return n;
    }
}
