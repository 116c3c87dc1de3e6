package org.aes67d.driver.userspace.internal;

import java.util.Locale;

/**
 * How late a paced thread wakes on this machine, without any audio or network work: the floor under every
 * latency figure (bench/timer-test.sh SECONDS [PERIOD_US]). Same settings as the engine's clock thread.
 */
public final class TimerBench {
    public static void main(String[] args) throws InterruptedException {
        // a thread of its own: the main thread's kernel name stays "java", this one is "aes67d-timer" in a trace
        Thread t = new Thread(() -> run(args), "aes67d-timer");
        t.start();
        t.join();
    }

    private static void run(String[] args) {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        long period = (args.length > 1 ? Long.parseLong(args[1]) : 1000) * 1000;
        boolean slack = Pacer.setTimerSlack(1);
        boolean rt = Integer.getInteger("rtprio", 60) > 0 && Pacer.setRealtime(Integer.getInteger("rtprio", 60));
        Pacer pacer = new Pacer(Long.getLong("spinNanos", 50_000));
        long[] buckets = new long[6]; // <10us, <50us, <100us, <1ms, <5ms, >=5ms
        long max = 0;
        long maxAt = 0;
        long start = System.nanoTime();
        long deadline = start + period;
        java.io.FileOutputStream marker = traceMarker();
        long steal0 = HostSteal.millis();
        long n = 0;
        while (deadline - start < seconds * 1_000_000_000L) {
            pacer.waitUntil(deadline);
            long late = System.nanoTime() - deadline;
            int b = late < 10_000 ? 0 : late < 50_000 ? 1 : late < 100_000 ? 2 : late < 1_000_000 ? 3
                    : late < 5_000_000 ? 4 : 5;
            buckets[b]++;
            if (marker != null && late >= 1_000_000) {
                mark(marker, late);
            }
            if (late > max) {
                max = late;
                maxAt = deadline - start;
            }
            n++;
            deadline += period;
            if (marker != null && late >= 1_000_000) {
                deadline = Math.max(deadline, System.nanoTime() + period); // the marker took time: no burst
            }
            if (System.nanoTime() - deadline > 100 * period) {
                deadline = System.nanoTime() + period; // after a huge stall, do not count a burst
            }
        }
        System.out.printf(Locale.ROOT, "timer test: %d wake-ups every %d us for %d s, SCHED_FIFO %s, timer slack "
                + "1 ns %s%n", n, period / 1000, seconds, rt, slack);
        System.out.printf(Locale.ROOT, "late by <10us %d, <50us %d, <100us %d, <1ms %d, <5ms %d, >=5ms %d; max %.3f ms "
                + "at %.1f s%n", buckets[0], buckets[1], buckets[2], buckets[3], buckets[4], buckets[5], max / 1e6,
                maxAt / 1e9);
        System.out.printf(Locale.ROOT, "host: %d ms of steal time during the run%n", HostSteal.millis() - steal0);
    }

    /** bench/stall-trace.sh sets AES67D_TRACE_MARKER: each late wake-up is written into the kernel trace. */
    private static java.io.FileOutputStream traceMarker() {
        String path = System.getenv("AES67D_TRACE_MARKER");
        try {
            return path == null ? null : new java.io.FileOutputStream(path);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static void mark(java.io.FileOutputStream marker, long lateNanos) {
        try {
            marker.write(("aes67d-late ns=" + lateNanos + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (java.io.IOException e) {
            // a trace that cannot be written loses its marker, not the measurement
        }
    }
}
