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
import org.aes67d.api.audio.AudioInput;

/**
 * Raw interleaved PCM from a FIFO ({@code arecord | }, {@code sox ... -t raw}, {@code ffmpeg -f s24le}). A reader
 * thread opens the FIFO (waiting for a writer), fills a ring, and reopens it when the writer goes away; the audio
 * thread reads the ring and plays silence when it is empty. A writer faster than real time is held back by the
 * full ring (the FIFO blocks it), so file-speed producers such as {@code sox} play at the stream's pace.
 */
final class PipeInput implements AudioInput {
    private static final int CHUNK_FRAMES = 256;

    private final Path path;
    private final PcmFormat pcm;
    private final int channels;
    private final SampleRing ring;
    private final byte[] bytes;
    private final int[] chunk;
    private final Thread reader;
    private volatile boolean running = true;
    private volatile long underrunFrames;

    PipeInput(Path path, AudioFormat format, int ringMillis) throws IOException {
        Fifo.ensure(path);
        this.path = path;
        this.pcm = PcmFormat.ofPipeName(path.getFileName().toString());
        this.channels = format.channels();
        this.ring = SampleRing.forMillis(channels, format.sampleRate(), ringMillis, CHUNK_FRAMES);
        this.bytes = new byte[CHUNK_FRAMES * channels * pcm.bytes];
        this.chunk = new int[CHUNK_FRAMES * channels];
        reader = new Thread(this::run, "aes67d-pipe-in " + path.getFileName());
        reader.setDaemon(true);
        reader.start();
    }

    private void run() {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        int frameBytes = channels * pcm.bytes;
        while (running) {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                buf.clear();
                while (running) {
                    if (ch.read(buf) < 0) {
                        break; // writer closed: wait for the next one
                    }
                    int frames = buf.position() / frameBytes;
                    if (frames == 0) {
                        continue;
                    }
                    pcm.decode(bytes, 0, chunk, 0, frames * channels);
                    int done = 0;
                    while (running && done < frames) {
                        done += ring.write(chunk, done * channels, frames - done);
                        if (done < frames) {
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
                        }
                    }
                    // keep a partial frame for the next read
                    int rest = buf.position() - frames * frameBytes;
                    System.arraycopy(bytes, frames * frameBytes, bytes, 0, rest);
                    buf.clear().position(rest);
                }
            } catch (ClosedByInterruptException e) {
                return;
            } catch (IOException e) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // vanished FIFO: retry calmly
            }
        }
    }

    @Override
    public void read(int[] samples, int offset, int frames) {
        int got = ring.read(samples, offset, frames);
        if (got < frames) {
            java.util.Arrays.fill(samples, offset + got * channels, offset + frames * channels, 0);
            underrunFrames += frames - got;
        }
    }

    long underrunFrames() {
        return underrunFrames;
    }

    @Override
    public void close() {
        running = false;
        reader.interrupt();
        // A reader blocked in open() of a FIFO waits for a writer and ignores interrupts: be that writer.
        if (reader.isAlive() && Fifo.isFifo(path)) {
            Fifo.poke(path, true);
        }
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
