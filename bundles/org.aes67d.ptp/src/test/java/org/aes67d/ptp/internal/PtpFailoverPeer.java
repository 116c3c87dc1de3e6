package org.aes67d.ptp.internal;

import java.io.IOException;
import java.util.Map;

import org.aes67d.api.ptp.PtpStatus;
import org.aes67d.ptp.internal.clock.VirtualClock;
import org.aes67d.ptp.internal.engine.PtpPort;

/**
 * A child JVM of {@link PtpFailoverNetnsTest}, run inside a network namespace. {@code gm IF_A IF_B DOMAIN}: two
 * grandmasters, one per network, on one clock (two PTP nodes in master mode sharing the system-clock TAI, as two
 * networks' grandmasters locked to the same GPS would be). {@code dut IF_A,IF_B DOMAIN kernel|user}: our PTP component with
 * both interfaces configured, printing its state every 100 ms. Both run until stdin closes.
 */
public final class PtpFailoverPeer {
    static final long GM_A = 0x0A0A0AFFFE000001L;
    static final long GM_B = 0x0B0B0BFFFE000002L;

    private PtpFailoverPeer() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("gm")) {
            int domain = Integer.parseInt(args[3]);
            VirtualClock clock = VirtualClock.fromSystemClock(PtpPort.UTC_OFFSET);
            try (PtpNode a = master(clock, args[1], GM_A, domain); PtpNode b = master(clock, args[2], GM_B, domain)) {
                System.out.println("READY");
                System.out.flush();
                waitForStdinEnd();
            }
            return;
        }
        int domain = Integer.parseInt(args[2]);
        PtpSlave slave = new PtpSlave();
        // lock within 2 ms: this test is about which network is followed, not about precision on a busy host
        slave.activate(PtpSlaveTest.config(Map.of("interface_name", args[1], "ptp_mode", "slave",
                "ptp_domain", domain, "ptp_timestamping", args[3], "ptp_lock_threshold_ns", 2_000_000L)));
        Thread status = new Thread(() -> {
            while (true) {
                PtpStatus s = slave.status();
                Map<String, Object> d = slave.details();
                System.out.println("STATUS state=" + s.state().wireName() + " gm=" + s.grandmasterId() + " iface="
                        + d.get("interface") + " failovers=" + d.get("failovers") + " offset=" + s.offsetNs());
                System.out.flush();
                try {
                    Thread.sleep(100); // a status line ten times a second; the test polls these lines
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        status.setDaemon(true);
        status.start();
        waitForStdinEnd();
        slave.deactivate();
    }

    private static PtpNode master(VirtualClock clock, String iface, long identity, int domain) throws IOException {
        PtpPort.Settings s = PtpPort.Settings.aes67(PtpPort.Mode.MASTER, domain, identity);
        PtpPort.Settings m = new PtpPort.Settings(s.mode(), s.domain(), identity, 128, s.priority2(),
                s.logSyncInterval(), s.logAnnounceInterval(), s.logMinDelayReqInterval(), s.announceReceiptTimeout(),
                s.announceTimeoutCapNs(), s.lockThresholdNs(), s.lockSamples());
        return new PtpNode(m, clock, state -> { }, iface, "", 46, true);
    }

    private static void waitForStdinEnd() throws IOException {
        while (System.in.read() >= 0) {
            // the test closes our stdin to stop us
        }
    }
}
