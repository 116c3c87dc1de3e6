package org.aes67d.health.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.Result;
import org.junit.jupiter.api.Test;

class ProgressWatchTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final ProgressWatch watch = new ProgressWatch(now::get);

    private Result.Status status() {
        FormattingResultLog log = new FormattingResultLog();
        watch.report(3000, log);
        return new Result(log).getStatus();
    }

    @Test
    void aThreadWhoseCounterStopsGrowingIsCriticalAfterTheLimitAndRecovers() {
        watch.observe("engine", new long[] { 10, 20 });
        now.addAndGet(1000);
        watch.observe("engine", new long[] { 11, 21 });
        assertEquals(Result.Status.OK, status());
        now.addAndGet(2999);
        watch.observe("engine", new long[] { 12, 21 }); // thread 1 stuck since the last growth
        assertEquals(Result.Status.OK, status());
        now.addAndGet(1);
        assertEquals(Result.Status.CRITICAL, status());
        watch.observe("engine", new long[] { 13, 22 });
        assertEquals(Result.Status.OK, status());
    }

    @Test
    void aNewSetOfThreadsStartsFresh() {
        watch.observe("ptp", new long[] { 5 });
        now.addAndGet(10_000);
        watch.observe("ptp", new long[] { 5, 0 });
        assertEquals(Result.Status.OK, status());
        watch.forget("ptp");
        FormattingResultLog log = new FormattingResultLog();
        watch.report(3000, log);
        assertFalse(log.iterator().hasNext(), "a forgotten service reports nothing");
    }

    @Test
    void aServiceThatRunsNoThreadIsAWarningWithItsReason() {
        watch.observe("engine", new long[0]);
        FormattingResultLog log = new FormattingResultLog();
        watch.report(3000, log);
        assertEquals(Result.Status.WARN, new Result(log).getStatus());
        assertEquals("engine runs no thread now (stopped or restarting)", log.iterator().next().getMessage());
    }
}
