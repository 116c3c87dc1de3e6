package org.aes67d.streamer.internal;

/**
 * Single-producer single-consumer ring of interleaved frames: the driver's audio thread writes (no lock, no
 * allocation), the encoding thread reads. When it is full the producer drops what does not fit and counts it;
 * it never waits.
 */
final class SampleRing {
    final int channels;
    private final int[] samples;
    private final int capacity;
    private volatile long written; // frames, producer only
    private volatile long read; // frames, consumer only
    private volatile long dropped;
    private volatile long discontinuities;
    private long nextPosition = Long.MIN_VALUE; // producer only

    SampleRing(int channels, int capacityFrames) {
        this.channels = channels;
        this.capacity = capacityFrames;
        this.samples = new int[capacityFrames * channels];
    }

    /** Producer: frames {@code src[0 .. frames * channels)} that the sink played at {@code position}. */
    void write(long position, int[] src, int frames) {
        if (nextPosition != Long.MIN_VALUE && position != nextPosition) {
            discontinuities++; // the sink skipped or re-anchored: not ours to hide
        }
        nextPosition = position + frames;
        long w = written;
        if (w + frames - read > capacity) {
            dropped += frames;
            return;
        }
        int at = (int) (w % capacity);
        int first = Math.min(frames, capacity - at);
        System.arraycopy(src, 0, samples, at * channels, first * channels);
        if (first < frames) {
            System.arraycopy(src, first * channels, samples, 0, (frames - first) * channels);
        }
        written = w + frames;
    }

    /** Consumer: frames ready to read. */
    int available() {
        return (int) (written - read);
    }

    /** Consumer: reads {@code frames} frames into {@code dst}, interleaved. */
    void read(int[] dst, int frames) {
        long r = read;
        int at = (int) (r % capacity);
        int first = Math.min(frames, capacity - at);
        System.arraycopy(samples, at * channels, dst, 0, first * channels);
        if (first < frames) {
            System.arraycopy(samples, 0, dst, first * channels, (frames - first) * channels);
        }
        read = r + frames;
    }

    long written() {
        return written;
    }

    long dropped() {
        return dropped;
    }

    long discontinuities() {
        return discontinuities;
    }

    /** Bytes held, for the memory figure. */
    long bytes() {
        return 4L * samples.length;
    }
}
