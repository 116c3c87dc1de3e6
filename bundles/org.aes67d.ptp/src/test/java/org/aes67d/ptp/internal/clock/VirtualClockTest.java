package org.aes67d.ptp.internal.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The clock's readers (the audio threads) against its writer (the PTP engine). */
class VirtualClockTest {

    /**
     * A writer stopped in the middle of its update (as one preempted there by the scheduler) must not hold up a
     * reader: the reader gets the mapping published before the update. The former single seqlock made the reader
     * spin until the writer went on, here never (the 10 s bound is the failure, not a timing).
     */
    @Test
    void aReaderDoesNotWaitForAWriterStuckInItsUpdate() throws Exception {
        VirtualClock clock = new VirtualClock(0, 1_000);
        long[] seenDuringUpdate = new long[3];
        clock.publish(0, 5_000, 0.001, () -> {
            CompletableFuture<long[]> reader = CompletableFuture.supplyAsync(
                    () -> new long[] {clock.ptpTime(10), clock.localTime(1_010), Math.round(clock.rate() * 1e6)});
            try {
                System.arraycopy(reader.get(10, TimeUnit.SECONDS), 0, seenDuringUpdate, 0, 3);
            } catch (Exception e) {
                throw new AssertionError("a reader waited for the writer's update: " + e, e);
            }
        });
        assertEquals(1_010, seenDuringUpdate[0], "the mapping before the update");
        assertEquals(10, seenDuringUpdate[1]);
        assertEquals(0, seenDuringUpdate[2]);
        assertEquals(5_010, clock.ptpTime(10), "the update once published");
    }

    /** Readers racing a writer see one published mapping or the other, never a mix of two. */
    @Test
    void readersSeeOnlyWholeMappings() throws Exception {
        // ptpTime(1000): 1e9 + 1000 under A; 3e9 + 500 + 250 under B; any mix of their fields gives another value
        long a = 1_000_000_000L + 1_000;
        long b = 3_000_000_000L + 750;
        VirtualClock clock = new VirtualClock(0, 1_000_000_000L);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong reads = new AtomicLong();
        CompletableFuture<Long> torn = CompletableFuture.supplyAsync(() -> {
            long bad = 0;
            while (writing.get()) {
                long t = clock.ptpTime(1_000);
                if (t != a && t != b) {
                    bad++;
                }
                reads.incrementAndGet();
            }
            return bad;
        });
        for (int i = 0; i < 200_000; i++) {
            if (i % 2 == 0) {
                clock.set(500, 3_000_000_000L, 0.5);
            } else {
                clock.set(0, 1_000_000_000L, 0);
            }
        }
        writing.set(false);
        assertEquals(0L, torn.get(60, TimeUnit.SECONDS), "reads that mixed two mappings");
        assertTrue(reads.get() > 0);
    }
}
