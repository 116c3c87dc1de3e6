package org.aes67d.audio.jack.internal;

import org.aes67d.api.audio.AudioInput;
import org.aes67d.api.audio.AudioOutput;
import org.aes67d.util.audio.DriftEstimator;
import org.aes67d.util.audio.EndpointStatus;
import org.aes67d.util.audio.RingBridge;

import com.sun.jna.Pointer;

/**
 * One stream's JACK ports, {@code <prefix>_1 .. <prefix>_N}: input ports for a source (JACK clients play into
 * them), output ports for a sink. JACK's process thread moves each cycle between the port buffers (32-bit float)
 * and a {@link RingBridge}; the engine's clock thread reads or writes the other end. Samples are exact both ways
 * up to 24 bits (a float's mantissa): L16 and L24 streams pass bit-exact.
 */
final class JackStream implements AudioInput, AudioOutput {
    static final int MAX_FRAMES = 8192;
    /** Loop bandwidth of the drift estimate: settles in about 15 s, smooths cycle jitter well below a ppm. */
    static final double DRIFT_BANDWIDTH_HZ = 0.1;
    private static final float TO_FLOAT = 1f / 2147483648f;
    private static final float TO_INT = 2147483648f;

    final String prefix;
    final boolean input;
    final int channels;
    final int rate;
    final String connect;
    final EndpointStatus status;
    final RingBridge bridge;
    /** The JACK graph's clock against the media clock, from the cycle start times. */
    final DriftEstimator drift;
    /** The working fill asked for (margin_ms), before it is raised to two JACK cycles. */
    final int marginFrames;
    private final JackClient client;
    /** Port handles of the current client, or null while it is not connected (set by control code). */
    volatile long[] ports;

    // process thread only
    private final float[] floats = new float[MAX_FRAMES];
    private final int[] frames;
    private final Pointer view = new Pointer(0);

    JackStream(JackClient client, String io, String prefix, boolean input, int channels, int rate, int target,
            String connect) {
        this.client = client;
        this.prefix = prefix;
        this.input = input;
        this.channels = channels;
        this.rate = rate;
        this.connect = connect;
        this.status = new EndpointStatus(io, input ? "capture" : "playback", channels, rate);
        this.marginFrames = target;
        // room for a working fill of two cycles of up to 4096 frames, three times over
        this.bridge = new RingBridge(channels, target, Math.max(3 * target, 6 * 4096), true, status);
        this.drift = new DriftEstimator(rate, DRIFT_BANDWIDTH_HZ);
        bridge.compensate(drift, input, rate);
        this.frames = new int[MAX_FRAMES * channels];
    }

    String portName(int channel) {
        return prefix + "_" + (channel + 1);
    }

    /** Process thread: one JACK cycle of {@code n} frames that began at media-clock {@code mediaNanos}. */
    void process(int n, long mediaNanos) {
        long[] p = ports;
        if (p == null) {
            return;
        }
        drift.period(mediaNanos, n);
        if (n > MAX_FRAMES) {
            status.xrun();
            return;
        }
        int ch = channels;
        if (input) {
            for (int c = 0; c < ch; c++) {
                Pointer.nativeValue(view, JackLib.jack_port_get_buffer(p[c], n));
                view.read(0, floats, 0, n);
                for (int f = 0, i = c; f < n; f++, i += ch) {
                    frames[i] = (int) (floats[f] * TO_INT); // saturates at full scale
                }
            }
            bridge.put(frames, 0, n);
        } else {
            bridge.take(frames, 0, n);
            for (int c = 0; c < ch; c++) {
                for (int f = 0, i = c; f < n; f++, i += ch) {
                    floats[f] = frames[i] * TO_FLOAT;
                }
                Pointer.nativeValue(view, JackLib.jack_port_get_buffer(p[c], n));
                view.write(0, floats, 0, n);
            }
        }
    }

    /** Engine (source): JACK's audio, after the working margin. */
    @Override
    public void read(int[] samples, int offset, int n) {
        bridge.take(samples, offset, n);
    }

    /** Engine (sink): audio for JACK. */
    @Override
    public void write(int[] samples, int offset, int n) {
        bridge.put(samples, offset, n);
    }

    @Override
    public void close() {
        client.remove(this);
        status.closed();
    }
}
