package org.aes67d.util.log;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;

/**
 * Counts complaints about outside input (a malformed packet, a refused request) and logs at most one per interval:
 * a flood of bad input is one warning a minute with how many were not logged, never one line (or stack trace) each.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong total = new AtomicLong();
    private long nextAllowed = Long.MIN_VALUE;
    private boolean logged;
    private long suppressed;

    public RateLimitedLog(Logger log, Duration interval) {
        this(log, interval, System::nanoTime);
    }

    RateLimitedLog(Logger log, Duration interval, LongSupplier nanoClock) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * Counts one event and logs it as a warning unless one was logged less than an interval ago. The message
     * gets {@code " (N more since the last report)"} when some were counted without a line.
     */
    public void warn(String format, Object... args) {
        total.incrementAndGet();
        long now = nanoClock.getAsLong();
        long notLogged;
        synchronized (this) {
            if (logged && now - nextAllowed < 0) {
                suppressed++;
                return;
            }
            logged = true;
            nextAllowed = now + intervalNanos;
            notLogged = suppressed;
            suppressed = 0;
        }
        if (log.isWarnEnabled()) {
            log.warn(notLogged == 0 ? format : format + " (" + notLogged + " more since the last report)", args);
        }
    }

    /** Every event counted since this was made, logged or not. */
    public long total() {
        return total.get();
    }
}
