package org.aes67d.util.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class RateLimitedLogTest {

    /** A logger that keeps the warnings' formats (the class under test only calls warn and isWarnEnabled). */
    private static Logger recorder(List<String> lines) {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("isWarnEnabled")) {
                        return true;
                    }
                    if (method.getName().equals("warn")) {
                        lines.add((String) args[0]);
                    }
                    return null;
                });
    }

    @Test
    void oneLinePerIntervalWithTheNumberNotLogged() {
        List<String> lines = new ArrayList<>();
        AtomicLong now = new AtomicLong(5);
        RateLimitedLog log = new RateLimitedLog(recorder(lines), Duration.ofSeconds(60), now::get);
        for (int i = 0; i < 100_000; i++) {
            log.warn("bad packet from {}", "10.0.0.1");
        }
        assertEquals(List.of("bad packet from {}"), lines);
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        log.warn("bad packet from {}", "10.0.0.1");
        assertEquals(1, lines.size(), "still within the interval");
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        log.warn("bad packet from {}", "10.0.0.2");
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).endsWith("(100000 more since the last report)"), lines.get(1));
        assertEquals(100_002, log.total());
    }

    @Test
    void theFirstEventIsLoggedWhateverTheClockSays() {
        List<String> lines = new ArrayList<>();
        RateLimitedLog log = new RateLimitedLog(recorder(lines), Duration.ofMinutes(1), () -> Long.MIN_VALUE + 3);
        log.warn("x");
        assertEquals(List.of("x"), lines);
    }
}
