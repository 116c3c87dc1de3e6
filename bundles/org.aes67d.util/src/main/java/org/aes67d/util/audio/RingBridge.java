package org.aes67d.util.audio;

import java.util.Arrays;

/**
 * The hand-over between a device's thread and the engine's clock thread: a {@link FrameRing} with a working fill
 * ({@link #target}). The consumer plays silence until the ring first holds {@code target} frames, and again after
 * an underrun, so a late period costs one gap and then the full margin is back, not a run of clicks. Overflow is
 * dropped; with {@code boundLatency} the consumer also drops the oldest frames down to the target when the fill
 * passes twice the target (a producer that got ahead, e.g. while nobody consumed), so the added latency stays
 * bounded. Both are counted in the {@link EndpointStatus}. Nothing here blocks or allocates.
 */
public final class RingBridge {
    private final FrameRing ring;
    private final int channels;
    private final boolean boundLatency;
    private final EndpointStatus status;
    private volatile int target;
    // consumer side only
    private boolean primed;

    public RingBridge(int channels, int target, int capacity, boolean boundLatency, EndpointStatus status) {
        this.ring = new FrameRing(channels, Math.max(capacity, 2 * target + 1));
        this.channels = channels;
        this.target = target;
        this.boundLatency = boundLatency;
        this.status = status;
    }

    public FrameRing ring() {
        return ring;
    }

    public int target() {
        return target;
    }

    /** A new working fill (the device's period became known); at most a third of the ring. */
    public void retarget(int frames) {
        target = Math.max(1, Math.min(frames, ring.capacity() / 3));
    }

    /** Producer: appends {@code frames}; what does not fit is dropped and counted. */
    public void put(int[] src, int offset, int frames) {
        int n = ring.write(src, offset, frames);
        if (n < frames) {
            status.overrun(frames - n);
        }
    }

    /** Consumer: {@code frames} frames into {@code dst}, silence while not primed or where the ring runs dry. */
    public void take(int[] dst, int offset, int frames) {
        int t = target;
        if (boundLatency && ring.fill() > 2 * t) {
            status.overrun(ring.skip(ring.fill() - t));
        }
        if (!primed) {
            if (ring.fill() < t) {
                Arrays.fill(dst, offset, offset + frames * channels, 0);
                return;
            }
            primed = true;
        }
        int got = ring.read(dst, offset, frames);
        if (got < frames) {
            Arrays.fill(dst, offset + got * channels, offset + frames * channels, 0);
            status.underrun(frames - got);
            primed = false;
        }
    }
}
