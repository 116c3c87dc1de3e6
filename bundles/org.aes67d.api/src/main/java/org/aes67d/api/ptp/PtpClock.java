package org.aes67d.api.ptp;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A virtual PTP clock: a mapping from the local monotonic clock ({@link System#nanoTime()}) to PTP time.
 * Reading it is lock-free and allocation-free, so the audio path may call it per packet.
 */
@ProviderType
public interface PtpClock {

    /** PTP time in ns since the PTP epoch for the given local {@code System.nanoTime()} reading. */
    long ptpTimeNanos(long localNanos);

    /** Local {@code System.nanoTime()} at which the clock reads {@code ptpNanos}. */
    long localNanos(long ptpNanos);

    /** The current status (allocates; control path only). */
    PtpStatus status();

    /** Current lock state (no allocation). */
    PtpState state();
}
