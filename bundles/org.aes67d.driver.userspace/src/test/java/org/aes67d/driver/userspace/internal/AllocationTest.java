package org.aes67d.driver.userspace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine threads allocate nothing in steady state (sources, sinks, device and file endpoints). */
class AllocationTest {
    @TempDir
    Path media;

    @Test
    void engineThreadsAllocateNothingInSteadyState() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Harness h = new Harness(media, false)) {
            for (int i = 0; i < 4; i++) {
                String g = "239.69.12." + (i + 1);
                h.driver.startSink(Harness.stream(i, g, 5016, "L24", 48000, 8, 48, 480, "Audio Device"));
                h.driver.startSource(Harness.stream(i, g, 5016, "L24", 48000, 8, 48, 0, "Audio Device"));
            }
            Path in = media.resolve("in.wav");
            Harness.writePrbsWav(in, 48000, 2, 16, 48000, 3);
            h.driver.startSink(Harness.stream(4, "239.69.12.9", 5016, "L16", 48000, 2, 6, 480,
                    "file:" + media.resolve("out.wav")));
            h.driver.startSource(Harness.stream(4, "239.69.12.9", 5016, "L16", 48000, 2, 6, 0, "file:" + in));
            SinkStream probe = h.driver.engine().sink(0);
            Harness.await(() -> probe.buffer().packets() > 3000, 20, "3 s of warm-up");
            long[] ids = h.driver.engine().threadIds();
            long before = mx.getThreadAllocatedBytes(ids[0]) + mx.getThreadAllocatedBytes(ids[1]);
            long start = probe.buffer().packets();
            Harness.await(() -> probe.buffer().packets() > start + 10_000, 30, "10 s of steady state");
            long allocated = mx.getThreadAllocatedBytes(ids[0]) + mx.getThreadAllocatedBytes(ids[1]) - before;
            System.out.println("engine threads allocated " + allocated + " bytes in 10 s (5 sources, 5 sinks)");
            assertEquals(0, allocated, "bytes allocated by the clock and receiver threads");
        }
    }
}
