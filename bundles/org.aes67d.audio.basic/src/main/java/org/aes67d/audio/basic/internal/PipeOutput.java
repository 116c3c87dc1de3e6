package org.aes67d.audio.basic.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.aes67d.api.audio.AudioFormat;
import org.aes67d.api.audio.AudioOutput;

/**
 * Raw interleaved PCM into a FIFO (for {@code aplay}, {@code sox}, {@code ffmpeg}). A writer thread opens the FIFO
 * (waiting for a reader) and drains a ring into it; without a reader the audio is dropped and counted, and a new
 * reader starts with fresh audio rather than a backlog.
 */
final class PipeOutput implements AudioOutput {
    private static final int CHUNK_FRAMES = 256;

    private final Path path;
    private final PcmFormat pcm;
    private final int channels;
    private final SampleRing ring;
    private final byte[] bytes;
    private final int[] chunk;
    private final Thread writer;
    private volatile boolean running = true;
    private volatile boolean connected;
    private volatile long droppedFrames;

    PipeOutput(Path path, AudioFormat format, int ringMillis) throws IOException {
        Fifo.ensure(path);
        this.path = path;
        this.pcm = PcmFormat.ofPipeName(path.getFileName().toString());
        this.channels = format.channels();
        this.ring = SampleRing.forMillis(channels, format.sampleRate(), ringMillis, CHUNK_FRAMES);
        this.bytes = new byte[CHUNK_FRAMES * channels * pcm.bytes];
        this.chunk = new int[CHUNK_FRAMES * channels];
        writer = new Thread(this::run, "aes67d-pipe-out " + path.getFileName());
        writer.setDaemon(true);
        writer.start();
    }

    private void run() {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (running) {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                ring.clear();
                connected = true;
                while (running) {
                    int n = ring.read(chunk, 0, CHUNK_FRAMES);
                    if (n == 0) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
                        continue;
                    }
                    pcm.encode(chunk, 0, bytes, 0, n * channels);
                    buf.clear().limit(n * channels * pcm.bytes);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                }
            } catch (ClosedByInterruptException e) {
                return;
            } catch (IOException e) {
                connected = false; // reader went away (EPIPE): wait for the next one
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            connected = false;
        }
    }

    @Override
    public void write(int[] samples, int offset, int frames) {
        if (!connected) {
            droppedFrames += frames;
            return;
        }
        int put = ring.write(samples, offset, frames);
        if (put < frames) {
            droppedFrames += frames - put;
        }
    }

    /** True while a reader has the FIFO open. */
    boolean connected() {
        return connected;
    }

    long droppedFrames() {
        return droppedFrames;
    }

    @Override
    public void close() {
        running = false;
        writer.interrupt();
        // A writer blocked in open() of a FIFO waits for a reader and ignores interrupts: be that reader.
        if (writer.isAlive() && Fifo.isFifo(path)) {
            Fifo.poke(path, false);
        }
        try {
            writer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
