package org.aes67d.audio.jack.internal;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.aes67d.api.audio.AudioFormat;
import org.aes67d.util.audio.AdaptiveResampler;
import org.aes67d.util.audio.FrameRing;

/**
 * Benchmark, not a test (prints figures): CPU of JACK's process thread per bound channel for a 64-in/64-out
 * client on a private dummy jackd (the Audio Device's shape), the engine-side cost of the same, and the
 * resampler's cost per channel. Run: {@code bench/jack-bench.sh [SECONDS] [PERIOD]}.
 */
public final class JackBench {
    private JackBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int period = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int channels = 64;
        int rate = 48000;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (JackServer server = JackServer.start(rate, period)) {
            JackBackend backend = JackBitExactTest.backend(server.name, "aes67d-bench", 4); // the default margin
            JackStream in = (JackStream) backend.openInput("jack:playback", new AudioFormat(rate, channels));
            JackStream out = (JackStream) backend.openOutput("jack:capture", new AudioFormat(rate, channels));
            JackBitExactTest.await("ports", () -> in.ports != null && out.ports != null);
            Thread jack = null;
            while (jack == null) {
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    if (t.getName().equals("aes67d-jack")) {
                        jack = t;
                    }
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            int[] buf = new int[48 * channels];
            long me = Thread.currentThread().getId();
            JackAllocationTest.pump(in, out, buf, rate * 3); // warm-up
            long jack0 = mx.getThreadCpuTime(jack.getId());
            long me0 = mx.getThreadCpuTime(me);
            long t0 = System.nanoTime();
            JackAllocationTest.pump(in, out, buf, rate * seconds);
            double wall = (System.nanoTime() - t0) / 1e9;
            double jackPct = (mx.getThreadCpuTime(jack.getId()) - jack0) / 1e9 / wall * 100;
            double enginePct = (mx.getThreadCpuTime(me) - me0) / 1e9 / wall * 100;
            System.out.printf("JACK %d in + %d out, period %d, %d s: process thread %.2f %% of a core "
                    + "(%.3f %% per channel), engine side %.2f %% (incl. this loop's pacing), underruns %d/%d frames, "
                    + "latency %s/%s ms, resampler %s%n", channels, channels, period, seconds, jackPct,
                    jackPct / (2 * channels), enginePct, in.status.underrunFrames(), out.status.underrunFrames(),
                    in.status.toMap().get("latency_ms"), out.status.toMap().get("latency_ms"),
                    in.status.toMap().get("resampler"));
            in.close();
            out.close();
            backend.deactivate();
        }
        // the resampler alone, at a ratio that is not 1 (what a drifting device costs on top)
        FrameRing ring = new FrameRing(channels, 8192);
        AdaptiveResampler r = new AdaptiveResampler(channels);
        int[] src = new int[256 * channels];
        int[] dst = new int[256 * channels];
        long frames = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < 5_000_000_000L) {
            while (ring.capacity() - ring.fill() >= 256) {
                ring.write(src, 0, 256);
            }
            frames += r.process(ring, dst, 0, 256, 1.0001);
        }
        double ns = (System.nanoTime() - start) / (double) (frames * channels);
        System.out.printf("resampler (64-tap polyphase sinc, ratio 1.0001): %.1f ns per channel-sample = %.2f %% of a core "
                + "per channel at %d Hz%n", ns, ns * rate / 1e7, rate);
    }
}
