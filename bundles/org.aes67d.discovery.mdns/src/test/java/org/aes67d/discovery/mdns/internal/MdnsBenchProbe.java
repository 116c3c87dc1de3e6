package org.aes67d.discovery.mdns.internal;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The discovery benchmark (scripts/bench-discovery.sh runs it in a namespace): for each size in {@code -Dsizes}
 * (default 1,16,64) two fresh nodes, A publishing that many sessions and B browsing them, print announce-to-visible,
 * update-to-visible and delete-to-gone ({@link MdnsNetnsProbe#scale}); then 64 sessions each way and the process CPU
 * over {@code -Drest} seconds (default 30) of rest, for both nodes together.
 */
public final class MdnsBenchProbe {
    public static void main(String[] args) throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        for (String size : System.getProperty("sizes", "1,16,64").split(",")) {
            try (StubRtspServer rtsp = new StubRtspServer(lo)) {
                MdnsComponent a = MdnsNetnsProbe.node("NodeA", rtsp.port());
                MdnsComponent b = MdnsNetnsProbe.node("NodeB", rtsp.port());
                try {
                    MdnsNetnsProbe.scale(a, b, rtsp, Integer.parseInt(size.strip()));
                } finally {
                    a.deactivate();
                    b.deactivate();
                }
            }
        }
        int rest = Integer.getInteger("rest", 30);
        try (StubRtspServer rtsp = new StubRtspServer(lo)) {
            MdnsComponent a = MdnsNetnsProbe.node("NodeA", rtsp.port());
            MdnsComponent b = MdnsNetnsProbe.node("NodeB", rtsp.port());
            List<MdnsComponent> nodes = List.of(a, b);
            try {
                List<String> names = new ArrayList<>();
                for (int n = 0; n < 2; n++) {
                    String node = n == 0 ? "NodeA" : "NodeB";
                    for (int i = 0; i < 64; i++) {
                        String name = node + " r" + i;
                        names.add(name);
                        String sdp = MdnsNetnsProbe.SDP.replace("NodeA mic", name);
                        rtsp.sdpByPath.put("/by-name/" + name, sdp);
                        nodes.get(n).sourceUpdated(MdnsComponentTest.source(i, "r" + i), sdp);
                    }
                }
                long deadline = System.nanoTime() + 120_000_000_000L;
                while ((a.remoteSources().size() < 128 || b.remoteSources().size() < 128 || !a.settled()
                        || !b.settled()) && System.nanoTime() < deadline) {
                    Thread.sleep(100); // polling step; the deadline decides
                }
                System.out.println("REST 64 each way published; listed by A " + a.remoteSources().size() + ", by B "
                        + b.remoteSources().size() + " (own sessions count on lo)");
                com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean();
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                Thread.sleep(rest * 1000L); // the measurement window itself: nothing to wait for
                double cpu = (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - t0);
                System.out.printf("REST cpu=%.2f%% of one core over %d s, two nodes with 128 sessions each in view,"
                        + " %d threads%n", cpu * 100, rest, Thread.activeCount());
            } finally {
                a.deactivate();
                b.deactivate();
            }
        }
        System.exit(0);
    }
}
