package org.aes67d.audio.alsa.internal;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongUnaryOperator;

import org.aes67d.api.audio.AudioInput;
import org.aes67d.util.audio.DriftEstimator;

/**
 * A source's audio from an ALSA capture PCM. The I/O thread reads periods into the ring and, while the ring is
 * full, holds back (the device's own buffer takes the slack; a device that is not paced, such as the file plugin,
 * is read at the stream's pace). The engine takes from the ring through the {@link #bridge} (silence until it
 * holds the working margin).
 */
final class AlsaCapture extends AlsaEndpoint implements AudioInput {
    private final int[] chunk;
    private final LongUnaryOperator mediaClock;
    /** The card's clock against the media clock, from the times full periods arrive. */
    final DriftEstimator drift;

    AlsaCapture(String io, AlsaSpec spec, int channels, int rate, int marginMillis, int retryMillis,
            java.util.function.Consumer<AlsaEndpoint> onClose, LongUnaryOperator mediaClock) {
        super(io, spec, true, channels, rate, marginMillis, retryMillis, onClose);
        this.chunk = new int[AlsaSpec.MAX_PERIOD * channels];
        this.mediaClock = mediaClock;
        this.drift = new DriftEstimator(rate, 0.1);
        bridge.compensate(drift, true, rate);
        start();
    }

    @Override
    String pump(AlsaPcm pcm) {
        int period = pcm.periodFrames;
        while (running) {
            long n = step(pcm, period);
            if (n < 0) {
                return error(pcm, n);
            }
            if (n == 0) {
                continue;
            }
            int frames = (int) n;
            if (frames == period) {
                drift.period(mediaClock.applyAsLong(System.nanoTime()), frames);
            }
            pcm.codec.decode(pcm.bytes, chunk, 0, frames * channels);
            int done = 0;
            while (running && done < frames) {
                done += ring.write(chunk, done * channels, frames - done);
                if (done < frames) {
                    LockSupport.parkNanos(POLL_NANOS);
                }
            }
        }
        return null;
    }

    @Override
    public void read(int[] samples, int offset, int frames) {
        bridge.take(samples, offset, frames);
    }
}
