package org.aes67d.api.ptp;

import java.util.Map;

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

    /**
     * PTP time now, in ns since the PTP epoch (no allocation).
     *
     * @since 1.1
     */
    default long now() {
        return ptpTimeNanos(System.nanoTime());
    }

    /**
     * The media clock of AES67 / RFC 7273 {@code a=mediaclk:direct=0} at the given local time: the number
     * of sample periods at {@code sampleRate} since the PTP epoch, rounded down. An RTP timestamp is its
     * low 32 bits. No allocation.
     *
     * @since 1.1
     */
    default long mediaClock(long localNanos, int sampleRate) {
        long ptp = ptpTimeNanos(localNanos);
        long s = Math.floorDiv(ptp, 1_000_000_000L);
        long ns = Math.floorMod(ptp, 1_000_000_000L);
        return s * sampleRate + ns * sampleRate / 1_000_000_000L;
    }

    /**
     * Extra status fields (names in snake_case, values String, Number or Boolean), e.g. {@code port_state},
     * {@code offset_rms_ns}, {@code gm_priority1}; empty if the implementation has none. Control path only.
     *
     * @since 1.1
     */
    default Map<String, Object> details() {
        return Map.of();
    }
}
