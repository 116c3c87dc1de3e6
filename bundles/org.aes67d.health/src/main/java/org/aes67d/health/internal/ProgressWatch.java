package org.aes67d.health.internal;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.apache.felix.hc.api.FormattingResultLog;

/** When each watched thread's progress counter last grew. */
final class ProgressWatch {
    private record Seen(long[] counters, long[] grewAt) {
    }

    private final LongSupplier clock;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    ProgressWatch(LongSupplier clock) {
        this.clock = clock;
    }

    void observe(String name, long[] counters) {
        long now = clock.getAsLong();
        seen.compute(name, (n, old) -> {
            long[] grewAt = new long[counters.length];
            Arrays.fill(grewAt, now);
            if (old != null && old.counters.length == counters.length) {
                for (int i = 0; i < counters.length; i++) {
                    grewAt[i] = counters[i] != old.counters[i] ? now : old.grewAt[i];
                }
            }
            return new Seen(counters.clone(), grewAt);
        });
    }

    void forget(String name) {
        seen.remove(name);
    }

    /** Critical for every counter that has not grown for {@code stalledMs}, info for the others. */
    void report(long stalledMs, FormattingResultLog log) {
        long now = clock.getAsLong();
        seen.forEach((name, s) -> {
            if (s.counters.length == 0) {
                // a Felix HC result with no entry reads WARN without a reason: say why
                log.warn("{} runs no thread now (stopped or restarting)", name);
            }
            for (int i = 0; i < s.counters.length; i++) {
                long quiet = now - s.grewAt[i];
                if (quiet >= stalledMs) {
                    log.critical("{} thread {} made no progress for {} ms", name, i, quiet);
                } else {
                    log.info("{} thread {} alive ({} loops)", name, i, s.counters[i]);
                }
            }
        });
    }
}
