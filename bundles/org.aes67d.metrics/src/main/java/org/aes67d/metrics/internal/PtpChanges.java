package org.aes67d.metrics.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.aes67d.api.ptp.PtpStatus;
import org.aes67d.api.ptp.PtpStatusListener;
import org.osgi.service.component.annotations.Component;

/**
 * Counts PTP lock state changes (told by the PTP bundle) and grandmaster changes (seen at those changes and at
 * every scrape, so a change between two scrapes without a state change is counted once, not lost).
 */
@Component(service = { PtpStatusListener.class, PtpChanges.class })
public final class PtpChanges implements PtpStatusListener {
    private final AtomicLong stateChanges = new AtomicLong();
    private final AtomicLong grandmasterChanges = new AtomicLong();
    private final AtomicReference<String> lastGrandmaster = new AtomicReference<>(PtpStatus.NO_GRANDMASTER);

    @Override
    public void ptpStatusChanged(PtpStatus status) {
        stateChanges.incrementAndGet();
        observeGrandmaster(status.grandmasterId());
    }

    /** Counts a change to another real grandmaster (losing one, all zeros, is a state change, not a new GM). */
    void observeGrandmaster(String grandmasterId) {
        if (PtpStatus.NO_GRANDMASTER.equals(grandmasterId)) {
            return;
        }
        String previous = lastGrandmaster.getAndSet(grandmasterId);
        if (!previous.equals(grandmasterId) && !PtpStatus.NO_GRANDMASTER.equals(previous)) {
            grandmasterChanges.incrementAndGet();
        }
    }

    long stateChanges() {
        return stateChanges.get();
    }

    long grandmasterChanges() {
        return grandmasterChanges.get();
    }
}
