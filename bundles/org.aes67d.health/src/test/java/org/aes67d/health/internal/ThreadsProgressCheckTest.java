package org.aes67d.health.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.aes67d.api.health.Liveness;
import org.apache.felix.hc.api.Result;
import org.junit.jupiter.api.Test;

class ThreadsProgressCheckTest {
    @Test
    void aServiceThatThrowsOnceDoesNotStopTheSampling() {
        AtomicLong now = new AtomicLong(1_000_000);
        ThreadsProgressCheck check = new ThreadsProgressCheck(now::get);
        try {
            AtomicBoolean fail = new AtomicBoolean(true);
            AtomicLong loops = new AtomicLong();
            Liveness engine = () -> {
                if (fail.getAndSet(false)) {
                    throw new IllegalStateException("stopping");
                }
                return new long[] {loops.incrementAndGet()};
            };
            check.addLiveness(engine, Map.of(Liveness.NAME, "engine"));
            check.sample(); // throws inside: skipped, not fatal
            check.sample();
            now.addAndGet(5000);
            check.sample();
            assertEquals(Result.Status.OK, check.execute().getStatus(), "observed and alive after the failure");
        } finally {
            check.deactivate();
        }
    }
}
