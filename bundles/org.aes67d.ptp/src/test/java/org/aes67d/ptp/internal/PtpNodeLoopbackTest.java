package org.aes67d.ptp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.aes67d.api.ptp.PtpState;
import org.aes67d.ptp.internal.clock.VirtualClock;
import org.aes67d.ptp.internal.engine.PtpPort;
import org.aes67d.ptp.internal.engine.PtpPort.Mode;
import org.aes67d.ptp.internal.message.Timestamps;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two ports on real sockets in one JVM, on lo with the interface named explicitly (no multicast
 * route needed). Needs root for ports 319/320; skipped with a message when they are not usable.
 */
class PtpNodeLoopbackTest {
    static final long GM_ID = 0x02AA00FFFE000001L;
    static final long SLAVE_ID = 0x02AA00FFFE000002L;

    @BeforeAll
    static void portsFree() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "PTP ports 319/320 need root: skipping the real-socket test");
        // SO_REUSEADDR would let us bind next to another PTP stack and mix our traffic with it
        for (String f : new String[] {"/proc/net/udp", "/proc/net/udp6"}) {
            Path p = Path.of(f);
            if (Files.exists(p)) {
                for (String line : Files.readAllLines(p)) {
                    String[] col = line.trim().split("\\s+");
                    if (col.length > 1 && (col[1].endsWith(":013F") || col[1].endsWith(":0140"))) {
                        assumeTrue(false, "UDP port 319/320 already in use in this namespace (" + f + "): skipping");
                    }
                }
            }
        }
    }

    static PtpPort.Settings fast(Mode mode, long id, int priority1) {
        // Announce every 1 s instead of 2 s to keep the test short; everything else as AES67
        return new PtpPort.Settings(mode, 0, id, priority1, 128, -3, 0, 0, 3, 5_000_000_000L, 20_000, 8);
    }

    @Test
    void slaveLocksToAutoMasterOnLoopback() throws Exception {
        CountDownLatch gmMaster = new CountDownLatch(1);
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch unlocked = new CountDownLatch(1);
        long t0 = System.nanoTime();
        VirtualClock gmClock = VirtualClock.fromSystemClock(37);
        VirtualClock slClock = new VirtualClock(System.nanoTime(), 0);
        PtpNode gm = null;
        PtpNode slave = null;
        try {
            gm = new PtpNode(fast(Mode.AUTO, GM_ID, 248), gmClock, s -> {
                if (s == PtpState.LOCKED) {
                    gmMaster.countDown();
                }
            }, "lo", "127.0.0.1", 48, true);
            slave = new PtpNode(fast(Mode.SLAVE, SLAVE_ID, 248), slClock, s -> {
                if (s == PtpState.LOCKED) {
                    locked.countDown();
                } else if (s == PtpState.UNLOCKED && locked.getCount() == 0) {
                    unlocked.countDown();
                }
            }, "lo", "127.0.0.1", 46, true);

            assertTrue(gmMaster.await(10, TimeUnit.SECONDS), "auto node did not become grandmaster");
            long gmAt = System.nanoTime();
            assertTrue(locked.await(20, TimeUnit.SECONDS), "slave did not lock: " + slave.port().details());
            long lockedAt = System.nanoTime();
            assertEquals(Timestamps.identityText(GM_ID), slave.port().status().grandmasterId());
            assertEquals(PtpState.LOCKED, slave.port().status().state());
            // Both virtual clocks run on this host's monotonic clock: compare them at one instant.
            long now = System.nanoTime();
            long err = slClock.ptpTime(now) - gmClock.ptpTime(now);
            System.out.printf("loopback: grandmaster after %.2f s, slave locked %.2f s later, true error %d ns, "
                    + "system clock steps followed %d (slave) %d (grandmaster), %s%n", (gmAt - t0) / 1e9,
                    (lockedAt - gmAt) / 1e9, err, slave.transport().systemClockSteps(),
                    gm.transport().systemClockSteps(), slave.port().details());
            assertTrue(Math.abs(err) < 50_000, "virtual clocks differ by " + err + " ns");
            assertTrue(slave.port().meanPathDelay() < 1_000_000, "path delay " + slave.port().meanPathDelay());

            // The node's own threads (socket reads incl. JNA recvmsg, timer, engine) allocate nothing
            // in steady state: per-thread allocation counters over 3 s (= 24 Sync, 3 Delay_Req).
            java.lang.management.ThreadMXBean tmx = java.lang.management.ManagementFactory.getThreadMXBean();
            if (tmx instanceof com.sun.management.ThreadMXBean) {
                com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) tmx;
                mx.setThreadAllocatedMemoryEnabled(true);
                Thread[] all = new Thread[Thread.activeCount() + 16];
                int nt = Thread.enumerate(all);
                java.util.List<Thread> ptp = new java.util.ArrayList<>();
                for (int i = 0; i < nt; i++) {
                    if (all[i].getName().startsWith("ptp-")) {
                        ptp.add(all[i]);
                    }
                }
                long[] before = new long[ptp.size()];
                for (int i = 0; i < before.length; i++) {
                    before[i] = mx.getThreadAllocatedBytes(ptp.get(i).getId());
                }
                long samplesBefore = (Long) slave.port().details().get("samples");
                CountDownLatch never = new CountDownLatch(1);
                never.await(3, TimeUnit.SECONDS); // a fixed observation window, not a synchronisation
                StringBuilder sb = new StringBuilder();
                long total = 0;
                for (int i = 0; i < before.length; i++) {
                    long a = mx.getThreadAllocatedBytes(ptp.get(i).getId()) - before[i];
                    total += a;
                    sb.append(ptp.get(i).getName()).append('=').append(a).append(' ');
                }
                long samplesAfter = (Long) slave.port().details().get("samples");
                System.out.println("loopback: allocated over 3 s: " + sb + "(" + (samplesAfter - samplesBefore)
                        + " offset samples)");
                assertTrue(samplesAfter - samplesBefore >= 16, "samples kept coming");
                assertTrue(total < 2_048, "PTP threads allocated " + sb);
            }

            // DSCP change is applied to the socket
            slave.setDscp(48);
            assertEquals(48, slave.transport().dscp());

            // kill the grandmaster: unlocked within the (capped) announce receipt timeout
            gm.close();
            gm = null;
            long killed = System.nanoTime();
            assertTrue(unlocked.await(8, TimeUnit.SECONDS), "slave did not notice the master's loss");
            double lostAfter = (System.nanoTime() - killed) / 1e9;
            assertTrue(lostAfter <= 5.3, "unlocked only after " + lostAfter + " s");
        } finally {
            if (slave != null) {
                slave.close();
            }
            if (gm != null) {
                gm.close();
            }
        }
    }
}
