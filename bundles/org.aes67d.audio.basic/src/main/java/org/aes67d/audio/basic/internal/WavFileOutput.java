package org.aes67d.audio.basic.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.aes67d.api.audio.AudioFormat;
import org.aes67d.api.audio.AudioOutput;

/**
 * Records to a 24-bit PCM WAV (lossless for L16, L24 and AM824). A writer thread drains a ring to the file and
 * rewrites the header sizes every {@code headerMillis} and on close, so a killed daemon leaves a readable file.
 */
final class WavFileOutput implements AudioOutput {
    static final int BITS = 24;
    private static final int CHUNK_FRAMES = 1024;

    private final FileChannel file;
    private final int channels;
    private final int rate;
    private final SampleRing ring;
    private final int[] chunk;
    private final byte[] bytes;
    private final ByteBuffer byteBuffer;
    private final long headerNanos;
    private final Thread writer;
    private volatile boolean running = true;
    private volatile long overrunFrames;
    private volatile IOException failure;
    private long dataBytes;

    WavFileOutput(Path path, AudioFormat format, int ringMillis, int headerMillis) throws IOException {
        channels = format.channels();
        rate = format.sampleRate();
        file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            writeHeader();
        } catch (IOException e) {
            file.close();
            throw e;
        }
        ring = SampleRing.forMillis(channels, rate, ringMillis, CHUNK_FRAMES);
        chunk = new int[CHUNK_FRAMES * channels];
        bytes = new byte[CHUNK_FRAMES * channels * BITS / 8];
        byteBuffer = ByteBuffer.wrap(bytes);
        headerNanos = TimeUnit.MILLISECONDS.toNanos(headerMillis);
        writer = new Thread(this::run, "aes67d-wav-out " + path.getFileName());
        writer.setDaemon(true);
        writer.start();
    }

    private void run() {
        long lastHeader = System.nanoTime();
        try {
            while (running) {
                drain();
                if (System.nanoTime() - lastHeader >= headerNanos) {
                    writeHeader();
                    lastHeader = System.nanoTime();
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            drain();
            writeHeader();
        } catch (IOException e) {
            failure = e; // disk full or gone: the stream keeps running, the recording stops
        }
    }

    private void drain() throws IOException {
        int n;
        while ((n = ring.read(chunk, 0, CHUNK_FRAMES)) > 0) {
            PcmFormat.S24_3LE.encode(chunk, 0, bytes, 0, n * channels);
            byteBuffer.clear().limit(n * channels * 3);
            while (byteBuffer.hasRemaining()) {
                file.write(byteBuffer, Wav.HEADER_BYTES + dataBytes + byteBuffer.position());
            }
            dataBytes += n * channels * 3;
        }
    }

    private void writeHeader() throws IOException {
        ByteBuffer h = Wav.header(channels, rate, BITS, dataBytes);
        while (h.hasRemaining()) {
            file.write(h, h.position());
        }
    }

    @Override
    public void write(int[] samples, int offset, int frames) {
        int put = ring.write(samples, offset, frames);
        if (put < frames) {
            overrunFrames += frames - put;
        }
    }

    long overrunFrames() {
        return overrunFrames;
    }

    /**
     * Frames that did not fit the ring (the writer thread fell behind by more than the ring: a starved host or a
     * slow disk) and are missing from the file, and why the recording stopped, if it did.
     */
    @Override
    public Map<String, Object> details() {
        IOException f = failure;
        return f == null ? Map.of("overrun_frames", overrunFrames)
                : Map.of("overrun_frames", overrunFrames, "error", String.valueOf(f.getMessage()));
    }

    IOException failure() {
        return failure;
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join(5000);
            file.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            failure = e;
        }
    }
}
