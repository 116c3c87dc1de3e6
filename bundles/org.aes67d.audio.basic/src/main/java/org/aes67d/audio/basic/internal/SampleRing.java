package org.aes67d.audio.basic.internal;

/**
 * Single-producer single-consumer ring of interleaved frames between an audio thread and an I/O thread.
 * Neither side blocks or allocates; positions are published through volatile fields.
 */
final class SampleRing {
    private final int channels;
    private final int frames;
    private final int[] data;
    private volatile long head; // next frame to read
    private volatile long tail; // next frame to write

    SampleRing(int channels, int frames) {
        this.channels = channels;
        this.frames = frames;
        this.data = new int[channels * frames];
    }

    /**
     * A ring holding {@code millis} of audio at {@code rate}, and at least four of the I/O thread's chunks so that
     * it can always move a whole chunk while the audio thread holds some.
     */
    static SampleRing forMillis(int channels, int rate, int millis, int chunkFrames) {
        return new SampleRing(channels, Math.max(4 * chunkFrames, rate * millis / 1000));
    }

    int capacity() {
        return frames;
    }

    int available() {
        return (int) (tail - head);
    }

    int free() {
        return frames - available();
    }

    /** Producer: appends up to {@code n} frames; returns how many fitted. */
    int write(int[] src, int offset, int n) {
        long t = tail;
        int count = Math.min(n, frames - (int) (t - head));
        int pos = (int) (t % frames);
        int first = Math.min(count, frames - pos);
        System.arraycopy(src, offset, data, pos * channels, first * channels);
        System.arraycopy(src, offset + first * channels, data, 0, (count - first) * channels);
        tail = t + count;
        return count;
    }

    /** Consumer: takes up to {@code n} frames; returns how many there were. */
    int read(int[] dst, int offset, int n) {
        long h = head;
        int count = Math.min(n, (int) (tail - h));
        int pos = (int) (h % frames);
        int first = Math.min(count, frames - pos);
        System.arraycopy(data, pos * channels, dst, offset, first * channels);
        System.arraycopy(data, 0, dst, offset + first * channels, (count - first) * channels);
        head = h + count;
        return count;
    }

    /** Consumer: drops everything buffered (a new reader of a pipe wants fresh audio). */
    void clear() {
        head = tail;
    }
}
