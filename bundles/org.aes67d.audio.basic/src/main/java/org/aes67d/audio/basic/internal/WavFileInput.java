package org.aes67d.audio.basic.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.aes67d.api.audio.AudioFormat;
import org.aes67d.api.audio.AudioInput;

/**
 * Plays a WAV file in a loop. A feeder thread reads the file into a ring; {@link #read} only copies from the
 * ring, so the audio thread never touches the disk.
 */
final class WavFileInput implements AudioInput {
    private static final int CHUNK_FRAMES = 1024;

    private final FileChannel file;
    private final Wav.Info info;
    private final PcmFormat pcm;
    private final SampleRing ring;
    private final byte[] bytes;
    private final ByteBuffer byteBuffer;
    private final int[] chunk;
    private final Thread feeder;
    private volatile boolean running = true;
    private volatile long underrunFrames;
    private long position; // byte offset inside the data chunk, feeder thread only

    WavFileInput(Path path, AudioFormat format, int ringMillis) throws IOException {
        file = FileChannel.open(path, StandardOpenOption.READ);
        try {
            info = Wav.read(file);
            if (info.channels() != format.channels()) {
                throw new IllegalArgumentException("WAV file has " + info.channels() + " channels, the stream map has "
                        + format.channels());
            }
            if (info.sampleRate() != format.sampleRate()) {
                throw new IllegalArgumentException("WAV file runs at " + info.sampleRate() + " Hz, the stream at "
                        + format.sampleRate() + " Hz");
            }
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
        pcm = PcmFormat.ofBits(info.bits());
        ring = SampleRing.forMillis(info.channels(), format.sampleRate(), ringMillis, CHUNK_FRAMES);
        bytes = new byte[CHUNK_FRAMES * info.frameBytes()];
        byteBuffer = ByteBuffer.wrap(bytes);
        chunk = new int[CHUNK_FRAMES * info.channels()];
        // Fill before the first read, so a stream starts with the file's first sample, not silence.
        fill();
        feeder = new Thread(this::run, "aes67d-wav-in " + path.getFileName());
        feeder.setDaemon(true);
        feeder.start();
    }

    private void run() {
        while (running) {
            try {
                fill();
            } catch (IOException e) {
                // The file went away or the disk failed: keep the stream alive, it plays silence.
                running = false;
                break;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private void fill() throws IOException {
        while (ring.free() >= CHUNK_FRAMES) {
            long left = info.dataBytes() - position;
            int want = (int) Math.min(bytes.length, left);
            byteBuffer.clear().limit(want);
            Wav.readFully(file, byteBuffer, info.dataOffset() + position);
            int frames = want / info.frameBytes();
            pcm.decode(bytes, 0, chunk, 0, frames * info.channels());
            ring.write(chunk, 0, frames);
            position += want;
            if (position >= info.dataBytes()) {
                position = 0; // loop
            }
        }
    }

    @Override
    public void read(int[] samples, int offset, int frames) {
        int got = ring.read(samples, offset, frames);
        if (got < frames) {
            int ch = info.channels();
            java.util.Arrays.fill(samples, offset + got * ch, offset + frames * ch, 0);
            underrunFrames += frames - got;
        }
    }

    long underrunFrames() {
        return underrunFrames;
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(feeder);
        try {
            feeder.join(2000);
            file.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // nothing left to do with a file we only read
        }
    }
}
