package org.aes67d.driver.netlink.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.aes67d.api.ptp.PtpClock;
import org.aes67d.api.ptp.PtpState;
import org.aes67d.api.ptp.PtpStatus;

/**
 * The module's PTP as the daemon's {@link PtpClock}: lock state, grandmaster and jitter come from the module (polled
 * as the C++ daemon polls). The module's clock itself cannot be read from user space, so PTP time here is the
 * system clock taken as TAI (UTC + 37 s): good for SDP and logs, not for pacing audio (the module paces it).
 */
final class ModulePtpClock implements PtpClock {
    private static final long TAI_MINUS_UTC_NS = 37_000_000_000L;

    private final ModuleDriver driver;
    /** PTP ns minus {@code System.nanoTime()}, fixed at creation so readings never jump. */
    private final long offset;

    ModulePtpClock(ModuleDriver driver) {
        this.driver = driver;
        long wall = System.currentTimeMillis() * 1_000_000L;
        this.offset = wall + TAI_MINUS_UTC_NS - System.nanoTime();
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
        return driver.ptpStatus();
    }

    @Override
    public PtpState state() {
        return driver.ptpState();
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("clock", "kernel module");
        d.put("module_connected", driver.ready());
        if (driver.abi() != null) {
            d.put("module_abi", driver.abi().label());
        }
        return d;
    }
}
