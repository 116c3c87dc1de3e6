package org.aes67d.health.internal;

import org.aes67d.api.ptp.PtpClock;
import org.aes67d.api.ptp.PtpStatus;
import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** Sources send only while PTP is locked: unlocked is critical, locking a warning. */
@Component(property = { HealthCheck.NAME + "=PTP locked", HealthCheck.TAGS + "=aes67d",
    HealthCheck.TAGS + "=ptp" })
public final class PtpLockedCheck implements HealthCheck {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PtpClock ptpClock;

    @Override
    public Result execute() {
        FormattingResultLog log = new FormattingResultLog();
        PtpClock clock = ptpClock;
        if (clock == null) {
            log.critical("no PTP clock is running (PTP bundle stopped?)");
            return new Result(log);
        }
        PtpStatus s = clock.status();
        switch (s.state()) {
            case LOCKED -> log.info("locked to grandmaster {}, offset {} ns", s.grandmasterId(), s.offsetNs());
            case LOCKING -> log.warn("locking to grandmaster {}", s.grandmasterId());
            default -> log.critical("unlocked: no grandmaster heard; sources do not send");
        }
        return new Result(log);
    }
}
