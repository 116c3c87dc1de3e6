package org.aes67d.driver.userspace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiver thread held up with a packet in hand (preempted, or stopped by the JVM alone) while the clock
 * thread runs on: the sink waits for what the receiver holds, up to its delay, instead of playing past it. The
 * test stops the receiver for 1.5 delays right after it took a packet: more than the packet's margin (so without
 * the wait it would be late), less than the margin plus the wait (so nothing is lost), with 25 ms to spare for
 * the host.
 */
class ReceiverStallTest {
    private static final int DELAY = 2400; // 50 ms
    private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(75);

    @TempDir
    Path media;

    @Test
    void aReceiverHeldUpAmidAPacketLosesNothing() throws Exception {
        try (Harness h = new Harness(media, false)) {
            h.driver.startSink(Harness.stream(0, "239.69.14.1", 5016, "L24", 48000, 2, 48, DELAY, "verify:"));
            h.driver.startSource(Harness.stream(0, "239.69.14.1", 5016, "L24", 48000, 2, 48, 0, "test:prbs"));
            SinkStream sink = h.driver.engine().sink(0);
            Harness.await(() -> h.driver.engine().settled() && sink.buffer().packets() > 1000, 30,
                    "the engine threads settled and streaming");
            h.driver.sinkStatus(0); // the verifier's "since the last read" starts here

            AtomicBoolean armed = new AtomicBoolean(true);
            CountDownLatch stalled = new CountDownLatch(1);
            h.clock.onState = () -> { // the receiver asks for the state per packet, after noting its arrival
                if (Thread.currentThread().getName().equals("aes67d-rx") && armed.compareAndSet(true, false)) {
                    long until = System.nanoTime() + STALL_NANOS;
                    for (long left = STALL_NANOS; left > 0; left = until - System.nanoTime()) {
                        LockSupport.parkNanos(left); // the simulated stall itself, not a wait for anything
                    }
                    stalled.countDown();
                }
            };
            assertEquals(true, stalled.await(10, TimeUnit.SECONDS), "the receiver took a packet");
            long after = sink.buffer().packets();
            Harness.await(() -> sink.buffer().packets() > after + 500, 10, "500 packets after the stall");

            Map<String, Object> v = h.driver.sinkStatus(0).verifier();
            @SuppressWarnings("unchecked")
            Map<String, Object> window = (Map<String, Object>) v.get("since_last_read");
            @SuppressWarnings("unchecked")
            Map<String, Object> signal = (Map<String, Object>) v.get("signal");
            System.out.println("receiver held " + STALL_NANOS / 1_000_000 + " ms at delay " + DELAY + ": " + window
                    + ", signal " + signal);
            assertEquals(0L, ((Number) window.get("late")).longValue(), "late packets: " + window);
            assertEquals(0L, ((Number) window.get("lost")).longValue(), "lost packets: " + window);
            assertEquals(0L, ((Number) signal.get("error_frames")).longValue(), "signal: " + signal);
            assertEquals(0L, ((Number) signal.get("lost_frames")).longValue(), "signal: " + signal);
            assertEquals(0L, ((Number) signal.get("shifts")).longValue(), "signal: " + signal);
        }
    }

    /**
     * While the sink waits for what the held-up receiver has, the clock thread sleeps between its looks. It used
     * to spin: on the receiver's CPU a real-time clock thread then kept the lower-priority receiver from ever
     * running again, and with 8 daemons on 2 cores (docs/nmos.md, scale-out) two clock threads used a CPU each for
     * minutes while their sinks re-aligned dozens of times. The receiver here is parked, so the CPU is free either
     * way; the clock thread's CPU time during the stall shows whether it spun (about all of the stall) or slept.
     * A busy host can only lower that figure.
     */
    @Test
    void aSinkWaitingForTheReceiverLeavesTheCpu() throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (Harness h = new Harness(media, false)) {
            // 10 ms: the sink has played all it has 10 ms into the 75 ms stall and waits for the rest from then on
            h.driver.startSink(Harness.stream(0, "239.69.14.2", 5016, "L24", 48000, 2, 48, 480, "verify:"));
            h.driver.startSource(Harness.stream(0, "239.69.14.2", 5016, "L24", 48000, 2, 48, 0, "test:prbs"));
            SinkStream sink = h.driver.engine().sink(0);
            Harness.await(() -> h.driver.engine().settled() && sink.buffer().packets() > 1000, 30,
                    "the engine threads settled and streaming");
            long clockThread = h.driver.engine().threadIds()[0];
            AtomicBoolean armed = new AtomicBoolean(true);
            AtomicLong clockCpu = new AtomicLong();
            AtomicLong stallWall = new AtomicLong();
            CountDownLatch stalled = new CountDownLatch(1);
            h.clock.onState = () -> {
                if (Thread.currentThread().getName().equals("aes67d-rx") && armed.compareAndSet(true, false)) {
                    long cpuBefore = mx.getThreadCpuTime(clockThread);
                    long start = System.nanoTime();
                    long until = start + STALL_NANOS;
                    for (long left = STALL_NANOS; left > 0; left = until - System.nanoTime()) {
                        LockSupport.parkNanos(left); // the simulated stall itself, not a wait for anything
                    }
                    clockCpu.set(mx.getThreadCpuTime(clockThread) - cpuBefore);
                    stallWall.set(System.nanoTime() - start);
                    stalled.countDown();
                }
            };
            assertEquals(true, stalled.await(10, TimeUnit.SECONDS), "the receiver took a packet");
            double share = (double) clockCpu.get() / stallWall.get();
            System.out.printf("clock thread CPU while the receiver was held %.1f ms: %.2f ms (%.0f %%)%n",
                    stallWall.get() / 1e6, clockCpu.get() / 1e6, share * 100);
            assertTrue(share < 0.25, "the clock thread used " + Math.round(share * 100) + " % of a CPU while it "
                    + "waited for the receiver (a spin; sleeping between its looks costs about a tenth)");
        }
    }
}
