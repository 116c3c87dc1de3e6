package org.aes67d.audio.jack.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.aes67d.api.audio.AudioFormat;
import org.junit.jupiter.api.Test;

/**
 * JACK's process thread (attached to the JVM once, named aes67d-jack) and the engine-side calls allocate nothing
 * in steady state: measured with {@code com.sun.management.ThreadMXBean} over 3 s of a 2-in, 2-out client.
 */
class JackAllocationTest {
    private static final int RATE = 48000;

    @Test
    void processThreadAndEngineSideAllocateNothing() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (JackServer server = JackServer.start(RATE, 256)) {
            JackBackend backend = JackBitExactTest.backend(server.name, "aes67d-alloc");
            JackStream in = (JackStream) backend.openInput("jack:a", new AudioFormat(RATE, 2));
            JackStream out = (JackStream) backend.openOutput("jack:b", new AudioFormat(RATE, 2));
            try {
                JackBitExactTest.await("both streams' ports", () -> in.ports != null && out.ports != null);
                assertTrue(server.tool("jack_connect", "aes67d-alloc:b_1", "aes67d-alloc:a_1").exit() == 0);
                Thread jack = awaitThread("aes67d-jack");
                assertNotNull(jack, "no aes67d-jack thread: JACK never called us");
                int[] buf = new int[48 * 2];
                long engineThread = Thread.currentThread().getId();
                // warm up the JIT and both sides, then measure
                pump(in, out, buf, RATE * 2);
                long jackBefore = mx.getThreadAllocatedBytes(jack.getId());
                long mineBefore = mx.getThreadAllocatedBytes(engineThread);
                pump(in, out, buf, RATE * 3);
                long mine = mx.getThreadAllocatedBytes(engineThread) - mineBefore;
                long jackBytes = mx.getThreadAllocatedBytes(jack.getId()) - jackBefore;
                System.out.println("JACK allocation over 3 s: process thread " + jackBytes + " bytes, engine side "
                        + mine + " bytes");
                assertTrue(jackBytes < 2048, "the JACK process thread allocated " + jackBytes + " bytes");
                assertTrue(mine < 2048, "read/write allocated " + mine + " bytes");
            } finally {
                in.close();
                out.close();
                backend.deactivate();
            }
        }
    }

    /** Engine-like: a packet of 48 frames each way per millisecond of JACK time, for {@code frames} frames. */
    static void pump(JackStream in, JackStream out, int[] buf, int frames) {
        long start = System.nanoTime();
        for (int done = 0; done < frames; done += 48) {
            long due = start + done * 1_000_000_000L / RATE;
            while (System.nanoTime() < due) {
                LockSupport.parkNanos(200_000);
            }
            in.read(buf, 0, 48);
            out.write(buf, 0, 48);
        }
    }

    private static Thread awaitThread(String name) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < until) {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals(name)) {
                    return t;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return null;
    }
}
