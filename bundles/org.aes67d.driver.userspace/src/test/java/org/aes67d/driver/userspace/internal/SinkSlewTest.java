package org.aes67d.driver.userspace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.DatagramChannel;

import org.aes67d.rtp.RtpHeader;
import org.aes67d.rtp.SampleCodec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a correction of our PTP clock does to a PTP-aligned sink whose sender's clock did not move (driven with
 * media positions the test chooses: no thread, no real time). Slewed as the servo does after lock (at most
 * 1000 ppm), 900 us in either direction: the sink keeps its timeline (one anchor, no re-align), plays every frame
 * once, in order, none late; only its margin moves. A step of the same size keeps the timeline too, but moves the
 * playout instant by 900 us at once.
 */
class SinkSlewTest {
    private static final int RATE = 48000;
    private static final int FPP = 48;
    private static final int CH = 2;
    private static final int DELAY = 480; // 10 ms
    private static final long T0 = 48_000L * 1_700_000_000L;

    /** Records what the sink plays: frame contents carry the sender's frame number. */
    private static final class Recorder implements AudioOut {
        long expected = -1;
        long frames;
        long discontinuities;

        @Override
        public void write(long pos, int[] src, int n) {
            for (int f = 0; f < n; f++) {
                long v = (src[f * CH] >>> 8) & 0xFFFFFF;
                if (v == 0) {
                    continue; // silence before the first packet's playout
                }
                if (expected >= 0 && v != expected) {
                    discontinuities++;
                }
                expected = (v + 1) & 0xFFFFFF;
                frames++;
            }
        }

        @Override
        public void close() {
        }
    }

    /** Our media clock at the sender's position {@code m}: the correction our servo applies meanwhile. */
    private static long ours(long m, boolean step, long correctionSamples, long start) {
        if (m < start) {
            return m;
        }
        if (step) {
            return m + correctionSamples;
        }
        // a slew at the servo's limit: 1000 ppm, so 1 sample per 1000 until the correction is in
        return m + Math.min(correctionSamples, (m - start) / 1000);
    }

    @ParameterizedTest(name = "{0} samples, step {1}")
    @CsvSource({"43, false", "-43, false", "43, true"}) // 43 samples = 900 us (0.9 s at 1000 ppm)
    void aCorrectionBelowTheStepThresholdKeepsTheTimeline(long correction, boolean step) throws IOException {
        Recorder out = new Recorder();
        try (DatagramChannel ch = DatagramChannel.open()) {
            SinkStream sink = new SinkStream(0, RATE, CH, FPP, DELAY, 97, SampleCodec.L24, ch, out);
            byte[] packet = new byte[RtpHeader.FIXED_LENGTH + FPP * CH * 3];
            int[] frames = new int[FPP * CH];
            long start = T0 + RATE; // the correction begins after 1 s of audio
            long nanos = 0;
            for (int k = 0; k < 4 * RATE / FPP; k++) { // 4 s
                long ts = T0 + (long) k * FPP;
                for (int f = 0; f < FPP; f++) {
                    long v = (k * FPP + f + 1) & 0xFFFFFF;
                    frames[f * CH] = (int) (v << 8);
                    frames[f * CH + 1] = (int) (v << 8);
                }
                RtpHeader.write(packet, 0, k == 0, 97, k & 0xFFFF, (int) ts, 1);
                SampleCodec.L24.encode(frames, 0, packet, RtpHeader.FIXED_LENGTH, frames.length);
                long arrival = ts + FPP + FPP / 4; // sent at the packet's boundary, 250 us on the way
                nanos = MediaTime.nanos(arrival, RATE);
                sink.onPacket(packet, packet.length, nanos, ours(arrival, step, correction, start), true);
                sink.service(ours(arrival, step, correction, start), false);
            }
            assertEquals(1, sink.anchors(), "one anchor, at the first packet");
            assertTrue(sink.aligned());
            assertTrue(out.frames >= 3L * RATE, "played: " + out.frames);
            assertEquals(0, sink.buffer().lateFrames(), "the margin absorbed the correction");
            assertEquals(0, sink.resyncs(), "no re-align");
            assertEquals(0, out.discontinuities, "every frame once, in order");
        }
    }
}
