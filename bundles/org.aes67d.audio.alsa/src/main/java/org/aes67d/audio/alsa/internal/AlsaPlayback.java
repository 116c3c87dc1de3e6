package org.aes67d.audio.alsa.internal;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongUnaryOperator;

import org.aes67d.api.audio.AudioOutput;
import org.aes67d.util.audio.DriftEstimator;

/**
 * A sink's audio to an ALSA playback PCM. The engine appends to the ring (a full ring drops and counts); the I/O
 * thread writes to the device, blocking on it, which starts once {@link #target} frames are queued. What it writes
 * is the {@link PlaybackFeed}'s: from each open the engine's frames as they come, never a frame of its own (a
 * file PCM gets exactly the stream's samples; late audio makes the device underrun, recovered and counted as an
 * xrun); once the device has shown that it plays at its own rate, a period whenever it has room, through the
 * {@link #bridge}, which measures the card's clock against the media clock and compensates it.
 */
final class AlsaPlayback extends AlsaEndpoint implements AudioOutput {
    private final int[] chunk;
    private final LongUnaryOperator mediaClock;
    /** The card's clock against the media clock, from the times it takes full periods (once paced). */
    final DriftEstimator drift;
    final PlaybackFeed feed;

    AlsaPlayback(String io, AlsaSpec spec, int channels, int rate, int marginMillis, int retryMillis,
            java.util.function.Consumer<AlsaEndpoint> onClose, LongUnaryOperator mediaClock) {
        super(io, spec, false, channels, rate, marginMillis, retryMillis, onClose);
        this.chunk = new int[AlsaSpec.MAX_PERIOD * channels];
        this.mediaClock = mediaClock;
        this.drift = new DriftEstimator(rate, 0.1);
        bridge.compensate(drift, false, rate);
        this.feed = new PlaybackFeed(bridge, drift, rate);
        start();
    }

    @Override
    String pump(AlsaPcm pcm) {
        int period = pcm.periodFrames;
        int pending = 0;
        int chunkFrames = 0;
        feed.reopened();
        // Also drain after close() was called, so that every frame written before it reaches the PCM.
        while (running || ((ring.fill() > 0 || pending > 0) && System.nanoTime() < drainUntil)) {
            if (pending == 0) {
                pending = feed.next(chunk, period);
                if (pending == 0) {
                    LockSupport.parkNanos(POLL_NANOS);
                    continue;
                }
                chunkFrames = pending;
                pcm.codec.encode(chunk, 0, pcm.bytes, pending * channels);
            }
            long n = step(pcm, pending);
            if (n < 0) {
                return error(pcm, n);
            }
            if (n > 0) {
                long now = System.nanoTime();
                feed.written((int) n, chunkFrames, period, pcm.avail(), pcm.bufferFrames, now,
                        mediaClock.applyAsLong(now));
            }
            if (n > 0 && n < pending) {
                // a partial write: keep the rest at the start of the period buffer
                int doneBytes = (int) n * channels * pcm.codec.bytes;
                int restBytes = (pending - (int) n) * channels * pcm.codec.bytes;
                for (int i = 0; i < restBytes; i++) {
                    pcm.bytes.put(i, pcm.bytes.get(doneBytes + i));
                }
            }
            pending -= (int) n;
        }
        return null;
    }

    @Override
    void finish(AlsaPcm pcm) {
        pcm.drainAndClose();
    }

    @Override
    public void write(int[] samples, int offset, int frames) {
        bridge.put(samples, offset, frames);
    }
}
