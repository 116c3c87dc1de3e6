package org.aes67d.ptp.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.aes67d.api.ptp.PtpState;
import org.aes67d.ptp.internal.PtpNode;
import org.aes67d.ptp.internal.clock.PiServo;
import org.aes67d.ptp.internal.clock.VirtualClock;
import org.aes67d.ptp.internal.engine.PtpPort;
import org.aes67d.ptp.internal.engine.PtpPort.Mode;

/**
 * Runs our PTP port without OSGi for a while and prints figures comparable to ptp-slave.sh's:
 * time to locked, offset mean/rms/max/p99 over the samples after lock (+ skip), path delay, and the
 * true error of the virtual clock against CLOCK_REALTIME (valid on the test bed, where the
 * grandmaster's time is this host's CLOCK_REALTIME).
 *
 * <pre>
 * java -cp ... org.aes67d.ptp.bench.PtpBench --iface veth-dut --seconds 60 [--timestamping kernel|user]
 *     [--domain 0] [--mode slave|auto|master] [--skip 2] [--gm-master-epoch 1767225600.123] [--csv file]
 * </pre>
 */
public final class PtpBench {
    private PtpBench() {
    }

    public static void main(String[] args) throws Exception {
        String iface = "veth-dut";
        int seconds = 60;
        boolean kernel = true;
        int domain = 0;
        Mode mode = Mode.SLAVE;
        double skip = 2;
        double gmMasterEpoch = Double.NaN;
        String csv = null;
        long lockThreshold = 10_000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--iface" -> iface = v;
                case "--seconds" -> seconds = Integer.parseInt(v);
                case "--timestamping" -> kernel = !"user".equals(v);
                case "--domain" -> domain = Integer.parseInt(v);
                case "--mode" -> mode = Mode.parse(v);
                case "--skip" -> skip = Double.parseDouble(v);
                case "--gm-master-epoch" -> gmMasterEpoch = Double.parseDouble(v);
                case "--csv" -> csv = v;
                case "--lock-threshold-ns" -> lockThreshold = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        int cap = seconds * 20 + 100;
        long[] sLocal = new long[cap];
        long[] sOffset = new long[cap];
        long[] sDelay = new long[cap];
        int[] sResult = new int[cap];
        int[] count = new int[1];
        long[] trueErr = new long[seconds * 10 + 10];
        int nTrue = 0;

        long startEpochNs = epochNanos();
        long t0 = System.nanoTime();
        long[] lockedAt = {0};
        // random locally administered identity: ptp4l's reference slave in the same namespace has the MAC's
        long id = (ThreadLocalRandom.current().nextLong() | 0x0200_0000_0000_0000L) & ~0x0100_0000_0000_0000L;
        // like the daemon: TAI from the system clock until a master is followed
        VirtualClock clock = VirtualClock.fromSystemClock(PtpPort.UTC_OFFSET);
        PtpPort.Settings a = PtpPort.Settings.aes67(mode, domain, id);
        PtpPort.Settings settings = new PtpPort.Settings(mode, domain, id, mode == Mode.MASTER ? 128 : 248,
                a.priority2(),
                a.logSyncInterval(), a.logAnnounceInterval(), a.logMinDelayReqInterval(), a.announceReceiptTimeout(),
                a.announceTimeoutCapNs(), lockThreshold, a.lockSamples());
        try (PtpNode node = new PtpNode(settings, clock, s -> {
            if (s == PtpState.LOCKED && lockedAt[0] == 0) {
                lockedAt[0] = System.nanoTime();
            }
        }, iface, "", 48, kernel)) {
            node.port().setSampleListener((local, offset, delay, result) -> {
                int i = count[0];
                if (i < cap) {
                    sLocal[i] = local;
                    sOffset[i] = offset;
                    sDelay[i] = delay;
                    sResult[i] = result;
                    count[0] = i + 1;
                }
            });
            System.out.printf("ptp-bench: %s on %s, %s timestamps, clock %016x, %d s%n", mode, iface,
                    node.transport().timestamping(), id, seconds);
            long end = t0 + seconds * 1_000_000_000L;
            while (System.nanoTime() - end < 0) {
                Thread.sleep(100);
                // after lock + skip; without a lock, 10 s after the first offset sample
                long since = mode == Mode.MASTER ? t0 + 1_000_000_000L : lockedAt[0] != 0 ? lockedAt[0] + (long) (skip * 1e9)
                        : count[0] > 0 ? sLocal[0] + 10_000_000_000L : Long.MAX_VALUE;
                if (since != Long.MAX_VALUE && System.nanoTime() - since > 0 && nTrue < trueErr.length) {
                    Map<String, Object> d = node.port().details();
                    long utc = Boolean.TRUE.equals(d.get("ptp_timescale"))
                            ? ((Number) d.get("utc_offset")).longValue() * 1_000_000_000L : 0;
                    // the narrowest of a few bracketed readings: a preemption inside would spoil one
                    long best = Long.MAX_VALUE;
                    long err = 0;
                    for (int k = 0; k < 5; k++) {
                        long m1 = System.nanoTime();
                        long real = epochNanos();
                        long m2 = System.nanoTime();
                        if (m2 - m1 < best) {
                            best = m2 - m1;
                            err = clock.ptpTime(m1 + (m2 - m1) / 2) - utc - real;
                        }
                    }
                    trueErr[nTrue++] = err;
                }
            }
            if (mode == Mode.MASTER
                    && node.transport() instanceof org.aes67d.ptp.internal.net.KernelTimestampTransport) {
                // our Sync/Delay_Resp times come from kernel stamps through this offset: must agree
                long l = System.nanoTime();
                long rmm = ((org.aes67d.ptp.internal.net.KernelTimestampTransport) node.transport()).realMinusMono();
                System.out.printf("clock (ptp - 37 s - local) minus transport (realtime - monotonic): %d ns%n",
                        clock.ptpTime(l) - PtpPort.UTC_OFFSET * 1_000_000_000L - l - rmm);
            }
            Map<String, Object> details = node.port().details();
            details.put("timestamp_fallbacks", node.transport().timestampFallbacks());
            report(System.out, t0, startEpochNs, lockedAt[0], gmMasterEpoch, skip, sLocal, sOffset, sDelay, sResult,
                    Math.min(count[0], cap), Arrays.copyOf(trueErr, nTrue), details);
            if (csv != null) {
                StringBuilder sb = new StringBuilder("t_s,offset_ns,path_delay_ns,servo\n");
                for (int i = 0; i < Math.min(count[0], cap); i++) {
                    sb.append(String.format(Locale.ROOT, "%.3f,%d,%d,%d%n", (sLocal[i] - t0) / 1e9, sOffset[i],
                            sDelay[i], sResult[i]));
                }
                Files.writeString(Path.of(csv), sb);
            }
        }
    }

    static long epochNanos() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    static void report(PrintStream out, long t0, long startEpochNs, long lockedAt, double gmMasterEpoch, double skip,
            long[] local, long[] offset, long[] delay, int[] result, int n, long[] trueErr, Map<String, Object> d) {
        out.println("ptp-bench: ---- our slave ----");
        if (lockedAt == 0) {
            out.println("locked after            : never");
        } else {
            out.printf(Locale.ROOT, "locked after            : %.2f s after start (locked at epoch %.3f)%n",
                    (lockedAt - t0) / 1e9, (startEpochNs + (lockedAt - t0)) / 1e9);
            if (!Double.isNaN(gmMasterEpoch)) {
                double lockEpoch = (startEpochNs + (lockedAt - t0)) / 1e9;
                out.printf(Locale.ROOT, "locked after GM master  : %.2f s%n", lockEpoch - gmMasterEpoch);
            }
        }
        long from = lockedAt != 0 ? lockedAt + (long) (skip * 1e9) : n > 0 ? local[0] + 10_000_000_000L : 0;
        String window = lockedAt != 0 ? "after lock+" + skip + "s" : "never locked: after first+10s";
        long[] sel = new long[n];
        long[] used = new long[n];
        long dsum = 0;
        int m = 0;
        int u = 0;
        int steps = 0;
        for (int i = 0; i < n; i++) {
            if (local[i] - from >= 0) {
                if (result[i] == PiServo.STEPPED) {
                    steps++;
                }
                sel[m++] = offset[i];
                dsum += delay[i];
                if (result[i] != PiServo.NONE) {
                    used[u++] = offset[i];
                }
            }
        }
        out.printf("samples (%s): %d (%d steps, %d spikes kept from the servo); all samples %d%n", window,
                m, steps, m - u, n);
        if (m > 0) {
            printStats(out, "offset, all samples", Arrays.copyOf(sel, m));
            if (u > 0) {
                printStats(out, "offset, servo input", Arrays.copyOf(used, u));
            }
            out.printf("path delay mean         : %d ns%n", dsum / m);
        }
        if (trueErr.length > 0) {
            printStats(out, "true error vs REALTIME", trueErr);
        }
        out.println("status                  : " + d);
    }

    static void printStats(PrintStream out, String what, long[] v) {
        int n = v.length;
        double sum = 0;
        double sum2 = 0;
        long[] abs = new long[n];
        for (int i = 0; i < n; i++) {
            sum += v[i];
            sum2 += (double) v[i] * v[i];
            abs[i] = Math.abs(v[i]);
        }
        Arrays.sort(abs);
        out.printf(Locale.ROOT, "%-24s: mean %.0f / rms %.0f ns, max|.| %d / p99|.| %d ns (n=%d)%n", what, sum / n,
                Math.sqrt(sum2 / n), abs[n - 1], abs[Math.min(n - 1, (int) (0.99 * n))], n);
    }
}
