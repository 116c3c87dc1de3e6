package org.aes67d.driver.userspace.internal;
import org.aes67d.rtp.RtpHeader;
/** Benchmark (prints figures, not a test): CPU per packet of the ST 2022-7 merge, both copies of each packet. */
public final class MergeBench {
    private MergeBench() {
    }

    public static void main(String[] a) {
        LegMerger m = new LegMerger(null, "a", null, "b", 97, 6);
        byte[] p = new byte[12 + 288];
        long sink = 0;
        for (int round = 0; round < 5; round++) {
            long t0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            int n = 10_000_000;
            for (int i = 0; i < n; i++) {
                RtpHeader.write(p, 0, false, 97, i & 0xFFFF, i * 48, 7);
                if (m.accept(0, p, p.length, i)) sink++;
                if (m.accept(1, p, p.length, i)) sink++;
            }
            long dt = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - t0;
            System.out.printf("round %d: %.1f ns CPU per packet pair (write header + 2 x accept)%n", round, dt / (double) n);
        }
        System.out.println(sink);
    }
}
