package org.aes67d.streamer.internal;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One sink as the streamer keeps it: the ring the audio thread fills, the encoder, the window of the last
 * {@code files_num} files of {@code file_duration} seconds, and the live listeners. Everything but the ring's
 * producer side and the snapshots runs on the encoding thread.
 */
final class SinkCapture {
    /** A finished file: ADTS frames and its sequence number since the sink started. */
    record File(byte[] adts, long count) {
    }

    final int sinkId;
    final int rate;
    final int sinkChannels;
    final int channels;
    final int filesNum;
    final long fileFrames;
    final SampleRing ring;
    final int liveQueueFrames;
    private final AtomicReferenceArray<File> files;
    private final CopyOnWriteArrayList<LiveClient> clients = new CopyOnWriteArrayList<>();

    // encoding thread
    private AacEncoder encoder;
    private final int[] interleaved;
    private final float[][] planes;
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private long framesInFile;

    // encoding thread -> readers
    private volatile int currentId;
    private volatile long fileCount;
    private volatile long encodedFrames;
    private volatile long bytesEncoded;
    private volatile long liveSkips;
    private volatile String failure;

    SinkCapture(int sinkId, int rate, int sinkChannels, int filesNum, int fileDuration) {
        this.sinkId = sinkId;
        this.rate = rate;
        this.sinkChannels = sinkChannels;
        this.channels = AacEncoder.streamedChannels(sinkChannels);
        this.filesNum = filesNum;
        this.fileFrames = (long) rate * fileDuration;
        // 2 s between the audio thread and the encoder: far more than the encoder's wake-up period and stalls
        this.ring = new SampleRing(sinkChannels, 2 * rate);
        this.liveQueueFrames = Math.max(8, 2 * rate / AacEncoder.FRAME);
        this.files = new AtomicReferenceArray<>(filesNum);
        this.interleaved = new int[AacEncoder.FRAME * sinkChannels];
        this.planes = new float[channels][AacEncoder.FRAME];
    }

    /** Encoding thread: encodes every whole AAC frame in the ring. */
    void pump(Libav av) {
        if (failure != null) {
            return;
        }
        try {
            while (ring.available() >= AacEncoder.FRAME) {
                if (encoder == null) {
                    encoder = new AacEncoder(av, rate, channels);
                }
                ring.read(interleaved, AacEncoder.FRAME);
                for (int f = 0; f < AacEncoder.FRAME; f++) {
                    int base = f * sinkChannels;
                    for (int c = 0; c < channels; c++) {
                        planes[c][f] = interleaved[base + c] * (1.0f / 2147483648.0f);
                    }
                }
                encoder.encode(planes, this::deliver);
                encodedFrames += AacEncoder.FRAME;
                framesInFile += AacEncoder.FRAME;
                if (framesInFile >= fileFrames) {
                    rotate();
                }
            }
        } catch (RuntimeException | Libav.UnavailableException e) {
            failure = e.getMessage();
            close();
            throw new IllegalStateException("sink " + sinkId + ": " + e.getMessage(), e);
        }
    }

    private void deliver(byte[] frame) {
        current.writeBytes(frame);
        bytesEncoded += frame.length;
        for (LiveClient c : clients) {
            c.offer(frame);
        }
    }

    /** Closes the file being written (whole AAC frames; the remainder carries into the next file). */
    private void rotate() {
        framesInFile -= fileFrames;
        int id = currentId;
        files.set(id, new File(current.toByteArray(), fileCount));
        current.reset();
        fileCount++;
        currentId = (id + 1) % filesNum;
    }

    /** As the C++ daemon: ready once the window, but for the file being written, is full. */
    boolean ready() {
        return failure == null && fileCount >= filesNum - 1;
    }

    int currentId() {
        return currentId;
    }

    /** The file a player starts with: half a window behind the one being written. */
    int startId() {
        return (currentId + filesNum / 2) % filesNum;
    }

    File file(int id) {
        return files.get(id);
    }

    String failure() {
        return failure;
    }

    LiveClient listen() {
        LiveClient c = new LiveClient(liveQueueFrames);
        clients.add(c);
        return c;
    }

    void leave(LiveClient c) {
        if (clients.remove(c)) {
            liveSkips += c.skips();
        }
    }

    int listeners() {
        return clients.size();
    }

    long liveSkips() {
        long s = liveSkips;
        for (LiveClient c : clients) {
            s += c.skips();
        }
        return s;
    }

    long encodedFrames() {
        return encodedFrames;
    }

    long fileCount() {
        return fileCount;
    }

    long bytesEncoded() {
        return bytesEncoded;
    }

    /** Bytes held by the window and the ring (not the encoder's native state). */
    long bytesHeld() {
        long b = ring.bytes() + current.size();
        for (int i = 0; i < filesNum; i++) {
            File f = files.get(i);
            if (f != null) {
                b += f.adts().length;
            }
        }
        return b;
    }

    /** Ends the live listeners; the encoder is freed (encoding thread, or once that thread has stopped). */
    void endListeners() {
        for (LiveClient c : clients) {
            clients.remove(c);
            liveSkips += c.skips();
            c.end();
        }
    }

    void close() {
        endListeners();
        if (encoder != null) {
            encoder.close();
            encoder = null;
        }
    }
}
