package org.aes67d.health.internal;

import org.aes67d.api.session.SessionException;
import org.aes67d.api.session.SessionManager;
import org.aes67d.api.session.Sink;
import org.aes67d.api.session.SinkStatus;
import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Every sink receives RTP packets. A sink that receives nothing is a warning (its source may be off on purpose);
 * no sinks at all is fine.
 */
@Component(property = { HealthCheck.NAME + "=Sinks receiving", HealthCheck.TAGS + "=aes67d",
    HealthCheck.TAGS + "=sinks" })
public final class SinksReceivingCheck implements HealthCheck {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SessionManager sessions;

    @Override
    public Result execute() {
        FormattingResultLog log = new FormattingResultLog();
        SessionManager sm = sessions;
        if (sm == null) {
            log.critical("the session manager is not running");
            return new Result(log);
        }
        int receiving = 0;
        int sinks = 0;
        for (Sink sink : sm.sinks()) {
            SinkStatus status;
            try {
                status = sm.peekSinkStatus(sink.id());
            } catch (SessionException e) {
                continue; // removed since the listing
            }
            sinks++;
            if (status.receivingRtpPacket()) {
                receiving++;
                log.debug("sink {} '{}' receives", sink.id(), sink.name());
            } else {
                log.warn("sink {} '{}' receives no RTP packets", sink.id(), sink.name());
            }
        }
        log.info("{} of {} sinks receive", receiving, sinks);
        return new Result(log);
    }
}
