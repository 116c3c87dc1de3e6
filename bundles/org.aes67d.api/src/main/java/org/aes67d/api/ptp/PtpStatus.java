package org.aes67d.api.ptp;

/**
 * A snapshot of the PTP slave.
 *
 * @param state lock state
 * @param grandmasterId clock identity of the grandmaster, {@code XX-XX-XX-XX-XX-XX-XX-XX}; all zeros when none
 * @param jitter measured jitter in ns as reported by the REST API
 * @param offsetNs last offset from master in ns
 * @param pathDelayNs mean path delay in ns
 */
public record PtpStatus(PtpState state, String grandmasterId, long jitter, long offsetNs, long pathDelayNs) {
    public static final String NO_GRANDMASTER = "00-00-00-00-00-00-00-00";

    /** What is reported while no PTP clock service is present. */
    public static PtpStatus unlocked() {
        return new PtpStatus(PtpState.UNLOCKED, NO_GRANDMASTER, 0, 0, 0);
    }
}
