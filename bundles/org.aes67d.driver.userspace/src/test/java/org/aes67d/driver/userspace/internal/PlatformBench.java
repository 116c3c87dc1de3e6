package org.aes67d.driver.userspace.internal;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

import org.aes67d.api.driver.StreamDescription;

/**
 * Platform test and latency test without OSGi (bench/platform-test.sh, bench/latency-test.sh).
 *
 * <p>An application thread writes a known signal into the Audio Device's playback channels ahead of time; sources
 * (8 channels each, like the goal of 16 x 8) send them over multicast on lo; sinks write them to the capture
 * channels {@code delay} samples later; a checker thread compares every capture sample with what was played.
 * Latency mode puts an impulse on channel 0 every 100 ms and measures when it can be read on capture, from the
 * moment its playback position was due.
 */
public final class PlatformBench {
    private final String format;
    private final String codec;
    private final int rate;
    private final int channels;
    private final int seconds;
    private final int fpp;
    private final int mask;
    private final int lowBit;

    private PlatformBench(String format, int rate, int channels, int seconds, int fpp) {
        this.format = format;
        switch (format) {
            case "S16_LE": codec = "L16"; mask = 0xFFFF0000; break;
            case "S24_3LE": codec = "L24"; mask = 0xFFFFFF00; break;
            case "S32_LE": codec = "AM824"; mask = 0xFFFFFF00; break; // AM824 carries 24 of the 32 bits
            default: throw new IllegalArgumentException("FORMAT must be S16_LE, S24_3LE or S32_LE");
        }
        this.lowBit = mask & -mask;
        this.rate = rate;
        this.channels = channels;
        this.seconds = seconds;
        this.fpp = fpp;
    }

    /** The test signal: a hash of position and channel, never zero (so silence shows as loss). */
    int signal(long pos, int ch) {
        long x = (pos * 0x9E3779B97F4A7C15L) ^ (ch * 0xC2B2AE3D27D4EB4FL);
        x ^= x >>> 29;
        x *= 0xBF58476D1CE4E5B9L;
        return ((int) (x >>> 32) & mask) | lowBit;
    }

    /**
     * Where a wrong sample came from: the signal of which position (a lap of the device ring earlier means stale
     * audio; another offset, a shifted timeline), printed for the first few.
     */
    private void explainCorrupted(long q, int c, int got, int delay, long media) {
        for (int d = 1; d <= 3 * VirtualDevice.FRAMES; d++) {
            for (int sign = -1; sign <= 1; sign += 2) {
                if (signal(q - delay + sign * d, c) == got) {
                    System.out.printf(Locale.ROOT, "  corrupted: position %d ch %d (checked %d frames behind the "
                            + "clock) holds the signal of %+d frames%n", q, c, media - q, sign * d);
                    return;
                }
            }
        }
        System.out.printf(Locale.ROOT, "  corrupted: position %d ch %d holds 0x%08x, no position within 3 laps%n", q, c,
                got);
    }

    record Result(int realtimeThreads, boolean timerSlack, long compared, long lost, long corrupted, long late, long concealed, long skipped,
            double engineCpu, double processCpu, long maxPacingNanos, List<Long> latencies) {
    }

    Result run(int delay, boolean latencyMode, int gcEverySeconds, boolean quiet) throws Exception {
        int streams = (channels + 7) / 8;
        LockedClock clock = new LockedClock();
        Engine engine = new Engine(new Engine.Settings(rate, Math.max(64, channels), false, 48,
                Long.getLong("spinNanos", 50_000), 1, Integer.getInteger("rtprio", 60)), clock);
        EngineDriver driver = new EngineDriver(engine, Net.of(System.getProperty("iface", "lo"), ""),
                Path.of("."), 1024, s -> null);
        // -Dlegs=2: every stream ST 2022-7 (a second leg on the same interface, its own group and port)
        boolean redundant = Integer.getInteger("legs", 1) == 2;
        if (redundant) {
            driver.withSecondary(Net.of(System.getProperty("iface", "lo"), ""));
        }
        engine.start();
        VirtualDevice dev = engine.device();
        int[] chOfStream = new int[streams];
        for (int k = 0; k < streams; k++) {
            int n = Math.min(8, channels - 8 * k);
            chOfStream[k] = n;
            List<Integer> map = new ArrayList<>();
            for (int c = 0; c < n; c++) {
                map.add(8 * k + c);
            }
            // groups of this process's own: two benchmarks at once (or a daemon) must not hear each other's streams
            int net = 100 + (int) (ProcessHandle.current().pid() % 100);
            String group = "239.69." + net + "." + (k + 1);
            StreamDescription.Leg second = redundant ? new StreamDescription.Leg("239.70." + net + "." + (k + 1), 5006)
                    : null;
            driver.startSink(new StreamDescription(k, group, 5004, codec, rate, n, fpp, 97, 16, 46, delay,
                    EngineDriver.DEVICE, map, second));
            driver.startSource(new StreamDescription(k, group, 5004, codec, rate, n, fpp, 97, 16, 46, 0,
                    EngineDriver.DEVICE, map, second));
        }
        // application: keep the playback channels filled 100 ms ahead of the media clock
        int lead = rate / 10; // 100 ms: the writer is an ordinary thread and may be preempted
        long startPos = clock.mediaClock(System.nanoTime(), rate);
        long[] written = {startPos};
        boolean[] run = {true};
        Thread writer = new Thread(() -> {
            while (run[0]) {
                long until = clock.mediaClock(System.nanoTime(), rate) + lead;
                for (long p = written[0]; p < until; p++) {
                    for (int c = 0; c < channels; c++) {
                        int v = latencyMode ? (c == 0 && Math.floorMod(p, rate / 10) == 0 ? 0x40000000 : 0)
                                : signal(p, c);
                        dev.putPlayback(p, c, v);
                    }
                }
                written[0] = until;
                LockSupport.parkNanos(1_000_000);
            }
        }, "bench-playback");
        writer.setDaemon(true);
        writer.start();

        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[] ids = engine.threadIds();
        // warm-up: 4 s (the engine turns real-time after 3 s), then counters and CPU from here
        long warmEnd = System.nanoTime() + 4_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            LockSupport.parkNanos(10_000_000);
        }
        for (int k = 0; k < streams; k++) {
            engine.source(k).resetLateness();
        }
        long[] base = counters(engine, streams);
        long cpu0 = mx.getThreadCpuTime(ids[0]) + mx.getThreadCpuTime(ids[1]);
        long proc0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        long checked = clock.mediaClock(t0, rate) - rate / 100; // from 10 ms ago: surely played by now
        int[] allChannels = java.util.stream.IntStream.range(0, dev.channels()).toArray();
        int[] silentFrame = new int[allChannels.length];
        long compared = 0;
        long lost = 0;
        long corrupted = 0;
        long unchecked = 0;
        List<Long> latencies = new ArrayList<>();
        long end = t0 + seconds * 1_000_000_000L;
        long nextGc = gcEverySeconds > 0 ? t0 + gcEverySeconds * 1_000_000_000L : Long.MAX_VALUE;
        long nextReport = t0 + 10_000_000_000L;
        long nextImpulse = (checked / (rate / 10) + 1) * (rate / 10);
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            long media = clock.mediaClock(now, rate);
            if (latencyMode) {
                // spin on the capture of the next impulse: it shows at nextImpulse + delay
                long q = nextImpulse + delay;
                if (media >= q + rate / 20) { // 50 ms late: lost
                    lost++;
                    nextImpulse += rate / 10;
                } else if (media >= q && dev.getCapture(q, 0) == 0x40000000) {
                    latencies.add(now - clock.localNanos(MediaTime.nanos(nextImpulse, rate)));
                    nextImpulse += rate / 10;
                }
                Thread.onSpinWait();
                continue;
            }
            long upTo = media - rate / 50; // 20 ms back: written by the sinks even after a short stall
            long oldest = media - VirtualDevice.FRAMES + rate / 10;
            if (checked < oldest) {
                // this (normal priority) checker fell behind the capture ring on a loaded host: those positions
                // hold newer audio now; they are reported as not checked, not as corrupted
                unchecked += (oldest - checked) * channels;
                checked = oldest;
            }
            for (long q = checked; q < upTo; q++) {
                int frameLost = 0;
                int frameWrong = 0;
                int firstWrong = -1;
                for (int c = 0; c < channels; c++) {
                    int got = dev.getCapture(q, c);
                    if (got != signal(q - delay, c)) {
                        // a lap of the ring earlier or later: the sinks did not write this lap (or wrote it after
                        // this checker cleared it), so the ring still holds another lap's audio: lost, not altered
                        if (got == 0 || got == signal(q - delay - VirtualDevice.FRAMES, c)
                                || got == signal(q - delay + VirtualDevice.FRAMES, c)) {
                            frameLost++;
                        } else if (frameWrong++ == 0) {
                            firstWrong = c;
                        }
                    }
                }
                // this (normal priority) checker may have fallen a lap behind while it read: then the sinks may
                // already have written the position's next lap, and what it read says nothing about this one
                long after = clock.mediaClock(System.nanoTime(), rate);
                if (after - q >= VirtualDevice.FRAMES - rate / 100) {
                    unchecked += channels;
                } else {
                    compared += channels;
                    lost += frameLost;
                    if (frameWrong > 0 && corrupted < 5 && !quiet) {
                        explainCorrupted(q, firstWrong, dev.getCapture(q, firstWrong), delay, after);
                    }
                    corrupted += frameWrong;
                }
                // checked: silence, so that a position no sink writes (one skipped after a stall) reads as lost
                // on the ring's next lap, not as the audio of a lap ago (which would count as corrupted)
                dev.writeCapture(q, allChannels, silentFrame, 1);
            }
            checked = Math.max(checked, upTo);
            if (now > nextGc) {
                System.gc();
                nextGc += gcEverySeconds * 1_000_000_000L;
            }
            if (!quiet && now > nextReport) {
                System.out.printf(Locale.ROOT, "  %3d s: compared %d, lost %d, corrupted %d%n",
                        (now - t0) / 1_000_000_000L, compared, lost, corrupted);
                nextReport += 10_000_000_000L;
            }
            LockSupport.parkNanos(2_000_000);
        }
        long wall = System.nanoTime() - t0;
        double engineCpu = (mx.getThreadCpuTime(ids[0]) + mx.getThreadCpuTime(ids[1]) - cpu0) / (double) wall;
        double processCpu = (os.getProcessCpuTime() - proc0) / (double) wall;
        long[] after = counters(engine, streams);
        int rt = engine.realtimeThreads();
        long maxPacing = 0;
        long maxAt = 0;
        long over1ms = 0;
        for (int k = 0; k < streams; k++) {
            SourceStream so = engine.source(k);
            over1ms += so.lateOverMilli();
            if (so.maxLatenessNanos() > maxPacing) {
                maxPacing = so.maxLatenessNanos();
                maxAt = so.maxLatenessAt();
            }
        }
        if (!quiet && unchecked > 0) {
            System.out.printf(Locale.ROOT, "checker: %d samples not checked (the test's checker thread fell more than"
                    + " the capture ring behind: a loaded host, not the engine)%n", unchecked);
        }
        if (!quiet) {
            System.out.printf(Locale.ROOT, "pacing: %d packets sent more than 1 ms late (of %d), the latest %.1f ms "
                    + "late at %.1f s%n", over1ms, (long) streams * (wall / 1_000_000L) * rate / 1000 / fpp,
                    maxPacing / 1e6, (maxAt - t0) / 1e9);
        }
        run[0] = false;
        writer.join();
        driver.close();
        return new Result(rt, engine.timerSlackSet(), compared, lost, corrupted, after[0] - base[0], after[1] - base[1], after[2] - base[2],
                engineCpu, processCpu, maxPacing, latencies);
    }

    private static long[] counters(Engine engine, int streams) {
        long late = 0;
        long concealed = 0;
        long skipped = 0;
        for (int k = 0; k < streams; k++) {
            late += engine.sink(k).buffer().lateFrames();
            concealed += engine.sink(k).buffer().concealedFrames();
            skipped += engine.source(k).packetsSkipped();
        }
        return new long[] {late, concealed, skipped};
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: PlatformBench platform|latency FORMAT RATE CHANNELS DURATION [FRAMES]");
            System.exit(2);
        }
        String mode = args[0];
        PlatformBench b = new PlatformBench(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4]), args.length > 5 ? Integer.parseInt(args[5]) : 48);
        int gc = Integer.getInteger("gcEvery", 0);
        String delayProp = System.getProperty("delay");
        System.out.printf(Locale.ROOT, "%s test: %s (%s) %d Hz, %d channels in %d streams, %d frames per packet "
                + "(%.3f ms), %d s, JVM %s %s%n", mode, b.format, b.codec, b.rate, b.channels, (b.channels + 7) / 8,
                b.fpp, b.fpp * 1000.0 / b.rate, b.seconds, System.getProperty("java.version"),
                ManagementFactory.getRuntimeMXBean().getInputArguments());
        if (mode.equals("platform")) {
            int delay = delayProp != null ? Integer.parseInt(delayProp) : Math.max(3 * b.fpp, b.rate / 1000 * 3);
            long steal0 = HostSteal.millis();
            Result r = b.run(delay, false, gc, false);
            long stolen = HostSteal.millis() - steal0;
            boolean ok = r.lost == 0 && r.corrupted == 0 && r.compared > 0;
            System.out.printf(Locale.ROOT, "%s: samples compared %d, lost %d, corrupted %d (delay %d samples = "
                    + "%.2f ms)%n", ok ? "OK" : "FAIL", r.compared, r.lost, r.corrupted, delay, delay * 1000.0 / b.rate);
            System.out.printf(Locale.ROOT, "sink late frames %d, concealed frames %d, source packets skipped %d, "
                    + "max send lateness %.1f us%n", r.late, r.concealed, r.skipped, r.maxPacingNanos / 1000.0);
            System.out.printf(Locale.ROOT, "engine threads in SCHED_FIFO: %d of 2, timer slack 1 ns: %s%n",
                    r.realtimeThreads, r.timerSlack);
            System.out.printf(Locale.ROOT, "CPU: engine threads %.1f %% of a core (%.2f %% per stream = source + "
                    + "sink), whole process %.1f %% (incl. the test's signal writer and checker)%n",
                    100 * r.engineCpu, 100 * r.engineCpu / ((b.channels + 7) / 8), 100 * r.processCpu);
            System.out.printf(Locale.ROOT, "host: %d ms of steal time during the run (the hypervisor ran other work "
                    + "while our vCPUs were runnable; more than a few hundred ms spoils a run)%n", stolen);
            System.exit(ok ? 0 : 1);
        }
        // latency: smallest delay (in packets) with no loss, then the measured latency at it
        int[] candidates = delayProp != null ? new int[] {Integer.parseInt(delayProp)} : null;
        List<Integer> delays = new ArrayList<>();
        if (candidates != null) {
            delays.add(candidates[0]);
        } else {
            for (int d = b.fpp; d <= b.rate / 50; d += Math.max(b.fpp, b.rate / 4000)) {
                delays.add(d);
            }
        }
        for (int delay : delays) {
            Result r = b.run(delay, true, gc, true);
            long[] l = r.latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            boolean ok = r.lost == 0 && r.late == 0 && r.concealed == 0 && l.length > 0;
            System.out.printf(Locale.ROOT, "delay %4d samples (%.3f ms): %s, impulses %d, lost %d, late frames %d",
                    delay, delay * 1000.0 / b.rate, ok ? "OK  " : "FAIL", l.length, r.lost, r.late);
            if (l.length > 0) {
                System.out.printf(Locale.ROOT, ", latency min %.3f / median %.3f / max %.3f ms", l[0] / 1e6,
                        l[l.length / 2] / 1e6, l[l.length - 1] / 1e6);
            }
            System.out.println();
            if (ok) {
                System.out.printf(Locale.ROOT, "LATENCY %.3f ms end to end (playback position due -> readable on "
                        + "capture, median; %d frames per packet, delay %d samples)%n", l[l.length / 2] / 1e6,
                        b.fpp, delay);
                System.exit(0);
            }
        }
        System.out.println("LATENCY: no delay up to 20 ms ran without loss");
        System.exit(1);
    }
}
