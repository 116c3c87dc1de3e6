package org.aes67d.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.aes67d.api.ptp.PtpState;
import org.aes67d.api.ptp.PtpStatus;
import org.junit.jupiter.api.Test;

class PtpChangesTest {
    private static PtpStatus status(PtpState state, String gm) {
        return new PtpStatus(state, gm, 0, 0, 0);
    }

    @Test
    void aNewGrandmasterCountsOnceWhetherToldOrScraped() {
        PtpChanges c = new PtpChanges();
        c.ptpStatusChanged(status(PtpState.LOCKING, "00-1D-C1-FF-FE-00-00-01"));
        c.ptpStatusChanged(status(PtpState.LOCKED, "00-1D-C1-FF-FE-00-00-01"));
        assertEquals(0, c.grandmasterChanges(), "the first grandmaster is no change");
        c.observeGrandmaster("00-1D-C1-FF-FE-00-00-02"); // seen at a scrape, no state change
        c.observeGrandmaster("00-1D-C1-FF-FE-00-00-02");
        assertEquals(1, c.grandmasterChanges());
        assertEquals(2, c.stateChanges());
    }

    @Test
    void losingTheGrandmasterIsAStateChangeNotANewGrandmaster() {
        PtpChanges c = new PtpChanges();
        c.observeGrandmaster("00-1D-C1-FF-FE-00-00-01");
        c.ptpStatusChanged(status(PtpState.UNLOCKED, PtpStatus.NO_GRANDMASTER));
        c.ptpStatusChanged(status(PtpState.LOCKED, "00-1D-C1-FF-FE-00-00-01"));
        assertEquals(0, c.grandmasterChanges());
        assertEquals(2, c.stateChanges());
    }
}
