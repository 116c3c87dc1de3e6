package org.aes67d.driver.userspace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Adding and removing streams never makes an engine thread wait for control code. The receiver thread used to
 * share the JDK selector's monitors with control (its wake-up and registration locks): a control thread that was
 * preempted while holding one, behind the host's other work, held up every sink's reception for milliseconds
 * (the REST hammer's add/remove loop: thousands of late packets at 10 ms delay).
 *
 * <p>To make such an inversion happen at every opportunity rather than now and then, the control thread runs on
 * the receiver thread's CPU: the real-time receiver, woken by control, then preempts it at once, before it leaves
 * the lock. The JVM counts every monitor the receiver had to block on. Nor may the engine threads allocate for
 * a new stream (as registering a socket from the receiver thread did): under REST load ZGC falls behind now and
 * then, and a thread that allocates then waits for it.
 */
class ControlIsolationTest {
    private static final int CHURN_CYCLES = 200;
    /** What DatagramChannel.receive allocates once per socket and sender: the InetSocketAddress it returns. */
    private static final int SENDER_ADDRESS_BYTES = 192;

    interface LibC extends Library {
        int sched_setaffinity(int pid, int cpusetsize, long[] mask);
    }

    @TempDir
    Path media;

    @Test
    void addingAndRemovingStreamsNeverBlocksTheReceiverThread() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadContentionMonitoringSupported(), "this JVM cannot count monitor contention");
        mx.setThreadContentionMonitoringEnabled(true);
        try (Harness h = new Harness(media, false)) {
            for (int i = 0; i < 4; i++) {
                String g = "239.69.13." + (i + 1);
                h.driver.startSink(Harness.stream(i, g, 5016, "L24", 48000, 8, 48, 480, "Audio Device"));
                h.driver.startSource(Harness.stream(i, g, 5016, "L24", 48000, 8, 48, 0, "Audio Device"));
            }
            SinkStream probe = h.driver.engine().sink(0);
            Harness.await(() -> h.driver.engine().settled() && probe.buffer().packets() > 1000, 30,
                    "the engine threads settled and streaming");
            assumeTrue(h.driver.engine().realtimeThreads() == 2, "the engine threads could not become real-time "
                    + "(no CAP_SYS_NICE or rtprio limit): the receiver would not preempt control at once");
            // the JVM's VM thread does every safepoint's work while the engine waits: real-time as well
            int vmThread = Pacer.threadId("VM Thread");
            assertTrue(h.driver.engine().vmThreadRealtime(), "the engine made the VM thread real-time");
            assertEquals("1", statField(vmThread, 41), "SCHED_FIFO (1) for the VM thread, in /proc");
            long[] engineThreads = h.driver.engine().threadIds();
            long rx = engineThreads[1];
            int rxTid = Pacer.threadId("aes67d-rx"); // one engine runs in this test
            LibC libc = Native.load("c", LibC.class);
            long[] cpu0 = new long[16];
            cpu0[0] = 1;
            assertEquals(0, libc.sched_setaffinity(rxTid, cpu0.length * 8, cpu0), "pin the receiver to CPU 0");

            long blockedBefore = mx.getThreadInfo(rx).getBlockedCount();
            long clockBlockedBefore = mx.getThreadInfo(engineThreads[0]).getBlockedCount();
            long allocatedBefore = mx.getThreadAllocatedBytes(engineThreads[0]) + mx.getThreadAllocatedBytes(rx);
            long rxAllocatedBefore = mx.getThreadAllocatedBytes(rx);
            long[] primingBefore = h.driver.engine().senderPriming();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread control = new Thread(() -> {
                try {
                    assertEquals(0, libc.sched_setaffinity(0, cpu0.length * 8, cpu0), "pin control to CPU 0");
                    for (int c = 0; c < CHURN_CYCLES; c++) { // the source first: the sink's sender is known
                        h.driver.startSource(Harness.stream(9, "239.69.13.9", 5016, "L24", 48000, 2, 48, 0,
                                "Audio Device"));
                        h.driver.startSink(Harness.stream(9, "239.69.13.9", 5016, "L24", 48000, 2, 48, 480,
                                "Audio Device"));
                        h.driver.stopSink(9);
                        h.driver.stopSource(9);
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "test-control");
            control.start();
            control.join();
            if (failure.get() != null) {
                throw new AssertionError("control failed", failure.get());
            }
            long blocked = mx.getThreadInfo(rx).getBlockedCount() - blockedBefore;
            long clockBlocked = mx.getThreadInfo(engineThreads[0]).getBlockedCount() - clockBlockedBefore;
            long allocated = mx.getThreadAllocatedBytes(engineThreads[0]) + mx.getThreadAllocatedBytes(rx)
                    - allocatedBefore;
            long[] priming = h.driver.engine().senderPriming();
            long primed = priming[0] - primingBefore[0];
            long unprimed = priming[1] - primingBefore[1];
            System.out.println("receiver thread blocked on a monitor " + blocked + " times, clock thread "
                    + clockBlocked + " times in " + CHURN_CYCLES + " add/remove cycles of a source and a sink, "
                    + "control on the receiver's CPU; the engine threads allocated " + allocated + " bytes (receiver "
                    + (mx.getThreadAllocatedBytes(rx) - rxAllocatedBefore) + "); new sinks' senders decoded by "
                    + "control " + primed + ", left to the receiver " + unprimed);
            assertEquals(0, blocked, "times the receiver thread waited for a monitor held by control");
            assertEquals(0, clockBlocked, "times the clock thread waited for a monitor held by control");
            // An allocation can stall an engine thread whenever ZGC is behind (58 ms under REST load). The JDK's
            // decoding of a new socket's sender (151 bytes) is done by control when the first packet comes within
            // its wait; only a sink whose source was slower (a stalled host) leaves it to the receiver. Anything
            // per packet or per select would be megabytes.
            assertEquals(CHURN_CYCLES, primed + unprimed, "every new sink socket was primed or counted");
            assertTrue(allocated < AllocationTest.ONE_TIME_BYTES + unprimed * SENDER_ADDRESS_BYTES,
                    "bytes the engine threads allocated: " + allocated + " (unprimed sinks: " + unprimed + ")");
            assertTrue(probe.buffer().packets() > 1000 + CHURN_CYCLES, "sink 0 kept receiving");
        }
    }

    /** Field {@code n} of /proc/self/task/TID/stat (proc(5): 19 nice, 41 policy: 0 normal, 1 FIFO). */
    private static String statField(int tid, int n) throws IOException {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        String[] afterName = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // field 3 onwards
        return afterName[n - 3];
    }
}
