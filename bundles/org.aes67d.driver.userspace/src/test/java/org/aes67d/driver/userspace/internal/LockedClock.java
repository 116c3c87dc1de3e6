package org.aes67d.driver.userspace.internal;

import org.aes67d.api.ptp.PtpClock;
import org.aes67d.api.ptp.PtpState;
import org.aes67d.api.ptp.PtpStatus;

/**
 * A real PtpClock for tests and benchmarks: PTP time is the local monotonic clock plus a fixed offset (taken from
 * the wall clock at construction, so timestamps look like a real grandmaster's), locked unless told otherwise.
 */
final class LockedClock implements PtpClock {
    private final long offset;
    private volatile PtpState state = PtpState.LOCKED;
    /** Runs on every state() call, on the caller's thread (a test's way to hold up an engine thread). */
    volatile Runnable onState;

    LockedClock() {
        this.offset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
    }

    void setState(PtpState s) {
        state = s;
    }

    @Override
    public long ptpTimeNanos(long localNanos) {
        return localNanos + offset;
    }

    @Override
    public long localNanos(long ptpNanos) {
        return ptpNanos - offset;
    }

    @Override
    public PtpStatus status() {
        return new PtpStatus(state, "00-11-22-FF-FE-33-44-55", 0, 0, 0);
    }

    @Override
    public PtpState state() {
        Runnable hook = onState;
        if (hook != null) {
            hook.run();
        }
        return state;
    }
}
