package org.aes67d.audio.alsa.internal;

import org.aes67d.util.audio.DriftEstimator;
import org.aes67d.util.audio.FrameRing;
import org.aes67d.util.audio.RingBridge;

/**
 * What a playback I/O thread writes to its PCM next, and how the card's clock is measured (no ALSA calls here, so
 * the logic runs in a simulation too). Two modes:
 * <ul>
 * <li><b>following</b> (from each open): the thread writes what the engine queued, as it comes, and never a frame
 * of its own, so a device that is not paced (a file PCM) receives exactly the stream's samples; the bridge and
 * the estimator are not used.</li>
 * <li><b>paced</b>, once the device has shown that it runs on its own clock (after a write it has less room than
 * its whole buffer, {@value #PACED_EVIDENCE} writes in a row): the card asks for a period whenever it has room
 * for one, and gets it from the {@link RingBridge} (silence while the margin fills, pass-through bit-exact, or
 * resampled once a drift is confirmed); each full period's write time feeds the {@link DriftEstimator}, as the
 * return of a full {@code snd_pcm_readi} does for capture. The ring now holds the working margin, and the card's
 * drift shows in it, where the bridge compensates it.</li>
 * </ul>
 * A device that turns out to take frames faster than any clock (two buffers beyond 1 % over its nominal rate
 * since pacing began) goes back to following for the rest of the open. I/O thread only
 * (except {@link #paced}); allocates nothing.
 */
final class PlaybackFeed {
    /** Consecutive writes after which the device's room shows it runs on a clock. */
    static final int PACED_EVIDENCE = 16;

    private final RingBridge bridge;
    private final FrameRing ring;
    private final DriftEstimator drift;
    private final int rate;
    // I/O thread only
    private long written;
    private int evidence;
    private boolean unpaced;
    private long pacedSince;
    private long pacedFrames;
    private volatile boolean paced;

    PlaybackFeed(RingBridge bridge, DriftEstimator drift, int rate) {
        this.bridge = bridge;
        this.ring = bridge.ring();
        this.drift = drift;
        this.rate = rate;
    }

    /** A new open of the PCM: following again until the device shows its clock. */
    void reopened() {
        written = 0;
        evidence = 0;
        unpaced = false;
        paced = false;
    }

    boolean paced() {
        return paced;
    }

    /**
     * The next frames for the device, at most {@code period}, into {@code chunk}: 0 when there is nothing to write
     * yet (following, the ring is empty). Paced: always {@code period} frames.
     */
    int next(int[] chunk, int period) {
        if (paced) {
            bridge.take(chunk, 0, period);
            return period;
        }
        return ring.read(chunk, 0, period);
    }

    /**
     * After a write of {@code frames} (of a chunk of {@code chunkFrames}) that left the device {@code avail}
     * frames of room in its buffer of {@code bufferFrames} ({@code avail} negative: unknown), at local time
     * {@code localNanos} = media-clock time {@code mediaNanos}.
     */
    void written(int frames, int chunkFrames, int period, long avail, int bufferFrames, long localNanos,
            long mediaNanos) {
        written += frames;
        if (paced) {
            pacedFrames += frames;
            // 1 % over the nominal rate: ten times the most drifting crystal
            double allowed = (localNanos - pacedSince) * 1e-9 * rate * 1.01;
            if (pacedFrames > allowed + 2.0 * bufferFrames + period) {
                paced = false; // faster than a clock: not a card, follow the stream again
                unpaced = true;
                return;
            }
            if (frames == period && chunkFrames == period) {
                drift.period(mediaNanos, period);
            }
            return;
        }
        if (unpaced || avail < 0 || written < 2L * bufferFrames) {
            return; // the first buffers fill the device and start it: no sign of a clock yet
        }
        if (avail >= bufferFrames) {
            unpaced = true; // all its buffer free right after a write: nothing plays it at a rate
            return;
        }
        if (++evidence >= PACED_EVIDENCE) {
            paced = true;
            pacedSince = localNanos;
            pacedFrames = 0;
        }
    }
}
