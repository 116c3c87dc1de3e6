package org.aes67d.audio.alsa.internal;

import java.util.concurrent.locks.LockSupport;

import org.aes67d.api.audio.AudioOutput;

/**
 * A sink's audio to an ALSA playback PCM. The engine appends to the ring (a full ring drops and counts); the I/O
 * thread writes what is there, blocking on the device, which starts once {@link #target} frames are queued. The
 * thread never invents silence: when the sink's audio comes late the device underruns, is recovered (counted as
 * an xrun) and starts again at the threshold, and a file PCM gets exactly the stream's samples.
 */
final class AlsaPlayback extends AlsaEndpoint implements AudioOutput {
    private final int[] chunk;

    AlsaPlayback(String io, AlsaSpec spec, int channels, int rate, int marginMillis, int retryMillis,
            java.util.function.Consumer<AlsaEndpoint> onClose) {
        super(io, spec, false, channels, rate, marginMillis, retryMillis, onClose);
        this.chunk = new int[AlsaSpec.MAX_PERIOD * channels];
        start();
    }

    @Override
    String pump(AlsaPcm pcm) {
        int period = pcm.periodFrames;
        int pending = 0;
        // Also drain after close() was called, so that every frame written before it reaches the PCM.
        while (running || ((ring.fill() > 0 || pending > 0) && System.nanoTime() < drainUntil)) {
            if (pending == 0) {
                pending = ring.read(chunk, 0, period);
                if (pending == 0) {
                    LockSupport.parkNanos(POLL_NANOS);
                    continue;
                }
                pcm.codec.encode(chunk, 0, pcm.bytes, pending * channels);
            }
            long n = step(pcm, pending);
            if (n < 0) {
                return error(pcm, n);
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
