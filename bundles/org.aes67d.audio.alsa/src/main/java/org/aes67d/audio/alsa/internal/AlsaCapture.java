package org.aes67d.audio.alsa.internal;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

import org.aes67d.api.audio.AudioInput;

/**
 * A source's audio from an ALSA capture PCM. The I/O thread reads periods into the ring and, while the ring is
 * full, holds back (the device's own buffer takes the slack; a device that is not paced, such as the file plugin,
 * is read at the stream's pace). The engine plays silence until the ring first holds {@link #target} frames, and
 * again after an underrun, so a late device period costs one gap, not a run of clicks.
 */
final class AlsaCapture extends AlsaEndpoint implements AudioInput {
    private final int[] chunk;
    // engine thread only
    private boolean primed;

    AlsaCapture(String io, AlsaSpec spec, int channels, int rate, int marginMillis, int retryMillis,
            java.util.function.Consumer<AlsaEndpoint> onClose) {
        super(io, spec, true, channels, rate, marginMillis, retryMillis, onClose);
        this.chunk = new int[AlsaSpec.MAX_PERIOD * channels];
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
        if (!primed) {
            if (ring.fill() < target) {
                Arrays.fill(samples, offset, offset + frames * channels, 0);
                return;
            }
            primed = true;
        }
        int got = ring.read(samples, offset, frames);
        if (got < frames) {
            Arrays.fill(samples, offset + got * channels, offset + frames * channels, 0);
            status.underrun(frames - got);
            primed = false;
        }
    }
}
