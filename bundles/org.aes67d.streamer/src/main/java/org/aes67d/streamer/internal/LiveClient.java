package org.aes67d.streamer.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One listener of a live stream: a bounded queue of ADTS frames between the encoding thread (which never waits)
 * and the HTTP thread that writes to the client. A client that falls a whole queue behind <em>skips</em>: the
 * queued frames are discarded, counted, and it continues with the newest audio.
 */
final class LiveClient {
    private static final byte[] END = new byte[0];
    private final ArrayBlockingQueue<byte[]> queue;
    private volatile long skips;
    private volatile long skippedFrames;
    private volatile long sentFrames;

    LiveClient(int capacityFrames) {
        this.queue = new ArrayBlockingQueue<>(capacityFrames + 1);
    }

    /** Encoding thread: never blocks. */
    void offer(byte[] frame) {
        if (!queue.offer(frame)) {
            int n = queue.size();
            queue.clear();
            skips++;
            skippedFrames += n;
            queue.offer(frame);
        }
    }

    /** The stream ends (the streamer or the sink stops): the HTTP thread returns. */
    void end() {
        queue.clear();
        queue.offer(END);
    }

    /** HTTP thread: the next frame, null after {@code timeoutMs} without one, or an empty array at the end. */
    byte[] next(long timeoutMs) throws InterruptedException {
        byte[] f = queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (f != null && f.length > 0) {
            sentFrames++;
        }
        return f;
    }

    long skips() {
        return skips;
    }

    long skippedFrames() {
        return skippedFrames;
    }

    long sentFrames() {
        return sentFrames;
    }
}
