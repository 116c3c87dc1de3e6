package org.aes67d.driver.userspace.internal;

/**
 * The "Audio Device": {@code channels} playback channels (read by sources) and as many capture channels (written
 * by sinks), each a ring indexed by the engine's media clock at the device rate, so a position is a point in
 * time. Binding {@code null}: playback is silence and capture is discarded. Binding {@code loopback}: capture and
 * playback are the same ring, so what a sink plays on channel n is what a source on channel n sends (a relay, and
 * the test path of the latency benchmark). Like a loopback cable with a period, the loopback hands playback
 * position {@code p} the capture written at {@code p - latency}, so a source never reads a position a sink of
 * the same cycle has not written yet.
 *
 * <p>Positions are written by one engine thread; readers use them after the media clock has passed them.
 */
final class VirtualDevice {
    static final int FRAMES = 1 << 14;
    private static final int MASK = FRAMES - 1;

    private final int channels;
    private final int rate;
    private final boolean loopback;
    private final int latency;
    private final int[] playback;
    private final int[] capture;

    VirtualDevice(int channels, int rate, boolean loopback, int loopbackLatency) {
        this.latency = loopback ? loopbackLatency : 0;
        this.channels = channels;
        this.rate = rate;
        this.loopback = loopback;
        this.capture = new int[FRAMES * channels];
        this.playback = loopback ? capture : new int[FRAMES * channels];
    }

    int channels() {
        return channels;
    }

    /** Frames between a capture position and the playback position that gets it (loopback only). */
    int loopbackLatency() {
        return latency;
    }

    int rate() {
        return rate;
    }

    boolean loopback() {
        return loopback;
    }

    /** Source side: frames {@code pos..} of the playback channels in {@code map} into {@code dst} (interleaved). */
    void readPlayback(long pos, int[] map, int[] dst, int frames) {
        int n = map.length;
        long from = pos - latency;
        for (int f = 0; f < frames; f++) {
            int base = ((int) (from + f) & MASK) * channels;
            int d = f * n;
            for (int c = 0; c < n; c++) {
                dst[d + c] = playback[base + map[c]];
            }
        }
    }

    /** Sink side: {@code src} (interleaved, one channel per map entry) into capture channels {@code map}. */
    void writeCapture(long pos, int[] map, int[] src, int frames) {
        int n = map.length;
        for (int f = 0; f < frames; f++) {
            int base = ((int) (pos + f) & MASK) * channels;
            int s = f * n;
            for (int c = 0; c < n; c++) {
                capture[base + map[c]] = src[s + c];
            }
        }
    }

    /** Application side (benchmarks, tests, future bindings): one sample of playback channel {@code ch}. */
    void putPlayback(long pos, int ch, int value) {
        playback[((int) pos & MASK) * channels + ch] = value;
    }

    /** Application side: one sample of capture channel {@code ch}. */
    int getCapture(long pos, int ch) {
        return capture[((int) pos & MASK) * channels + ch];
    }
}
