package org.aes67d.ptp.internal.bmca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.aes67d.ptp.internal.message.PtpMessage;
import org.aes67d.ptp.internal.message.PtpWriter;
import org.junit.jupiter.api.Test;

class BmcaTest {
    static final long ME = 0x0000000000000099L;

    static Dataset ds(int p1, int cls, int acc, int var, int p2, long gm) {
        Dataset d = new Dataset();
        d.priority1 = p1;
        d.clockClass = cls;
        d.clockAccuracy = acc;
        d.offsetScaledLogVariance = var;
        d.priority2 = p2;
        d.grandmasterIdentity = gm;
        d.senderClockIdentity = gm;
        d.senderPortNumber = 1;
        d.receiverClockIdentity = ME;
        d.receiverPortNumber = 1;
        return d;
    }

    static void assertOrder(Dataset better, Dataset worse) {
        assertEquals(Bmca.A_BETTER, Bmca.compare(better, worse));
        assertEquals(Bmca.B_BETTER, Bmca.compare(worse, better));
    }

    @Test
    void attributesInOrderOfPrecedence() {
        Dataset base = ds(128, 248, 0xFE, 0xFFFF, 128, 5);
        // each attribute decides when all earlier ones are equal, whatever the later ones say
        assertOrder(ds(127, 255, 0xFF, 0xFFFF, 255, 9), base); // priority1
        assertOrder(ds(128, 6, 0xFF, 0xFFFF, 255, 9), base); // clockClass
        assertOrder(ds(128, 248, 0x21, 0xFFFF, 255, 9), base); // clockAccuracy (lower = better)
        assertOrder(ds(128, 248, 0xFE, 0x4E5D, 255, 9), base); // offsetScaledLogVariance
        assertOrder(ds(128, 248, 0xFE, 0xFFFF, 127, 9), base); // priority2
        assertOrder(base, ds(128, 248, 0xFE, 0xFFFF, 128, 9)); // identity: 5 < 9
        // identity compares as unsigned octets: 0x80.. is larger than 0x7F..
        assertOrder(ds(128, 248, 0xFE, 0xFFFF, 128, 0x7F00000000000000L),
                ds(128, 248, 0xFE, 0xFFFF, 128, 0x8000000000000000L));
    }

    @Test
    void sameGrandmasterDecidedByStepsRemovedAndTopology() {
        Dataset a = ds(128, 248, 0xFE, 0xFFFF, 128, 5);
        Dataset b = ds(128, 248, 0xFE, 0xFFFF, 128, 5);
        a.stepsRemoved = 1;
        b.stepsRemoved = 3;
        assertOrder(a, b); // more than one step apart
        b.stepsRemoved = 2;
        b.senderClockIdentity = 0x50;
        // b is one step further and its receiver (ME = 0x99) is above its sender: better by topology
        assertEquals(Bmca.A_BETTER_BY_TOPOLOGY, Bmca.compare(a, b));
        assertEquals(Bmca.B_BETTER_BY_TOPOLOGY, Bmca.compare(b, a));
        b.senderClockIdentity = 0xA0; // receiver below sender
        assertEquals(Bmca.A_BETTER, Bmca.compare(a, b));
        b.senderClockIdentity = ME;
        b.senderPortNumber = 1; // our own Announce came back: error-1
        assertEquals(Bmca.SAME, Bmca.compare(a, b));

        // equal steps: the lower sender port identity wins, then the lower receiver port number
        Dataset c = ds(128, 248, 0xFE, 0xFFFF, 128, 5);
        Dataset d = ds(128, 248, 0xFE, 0xFFFF, 128, 5);
        c.senderClockIdentity = 0x10;
        d.senderClockIdentity = 0x11;
        assertEquals(Bmca.A_BETTER_BY_TOPOLOGY, Bmca.compare(c, d));
        d.senderClockIdentity = 0x10;
        d.senderPortNumber = 2;
        assertEquals(Bmca.A_BETTER_BY_TOPOLOGY, Bmca.compare(c, d));
        d.senderPortNumber = 1;
        d.receiverPortNumber = 2;
        assertEquals(Bmca.A_BETTER_BY_TOPOLOGY, Bmca.compare(c, d));
        d.receiverPortNumber = 1;
        assertEquals(Bmca.SAME, Bmca.compare(c, d)); // error-2
    }

    static PtpMessage announce(long sender, int priority1, int steps, int logInterval) {
        byte[] b = new byte[64];
        PtpWriter.announce(b, 0, 0, sender, 1, 0, logInterval, 0, 0, 37, priority1, 248, 0xFE, 0xFFFF, 128, steps,
                0xA0);
        PtpMessage m = new PtpMessage();
        if (!m.parse(b, 0, 64)) {
            throw new AssertionError(m.error());
        }
        return m;
    }

    @Test
    void qualificationNeedsTwoAnnouncesWithinFourIntervals() {
        long s = 1_000_000_000L;
        ForeignMasters fm = new ForeignMasters(4);
        PtpMessage a = announce(0x11, 100, 0, 1); // every 2 s: window 8 s
        fm.onAnnounce(a, 0, ME, 1);
        assertNull(fm.best(1 * s, 3, 5 * s), "one Announce does not qualify");
        fm.onAnnounce(a, 2 * s, ME, 1);
        assertNotNull(fm.best(2 * s, 3, 5 * s));
        assertNotNull(fm.best(7 * s, 3, 5 * s));
        // announce receipt timeout: 3 x 2 s = 6 s, capped at 5 s
        assertNull(fm.best(7 * s + 1, 3, 5 * s));
        assertNotNull(fm.best(7 * s + 1, 3, 10 * s), "uncapped: 6 s after the last Announce");
        assertNull(fm.best(8 * s + 1, 3, 10 * s));

        // two Announces further apart than the window do not qualify
        ForeignMasters fm2 = new ForeignMasters(4);
        fm2.onAnnounce(a, 0, ME, 1);
        fm2.onAnnounce(a, 9 * s, ME, 1);
        assertNull(fm2.best(9 * s, 3, 5 * s));
        fm2.onAnnounce(a, 11 * s, ME, 1);
        assertNotNull(fm2.best(11 * s, 3, 5 * s));
    }

    @Test
    void bestOfSeveralAndRejections() {
        long s = 1_000_000_000L;
        ForeignMasters fm = new ForeignMasters(2);
        PtpMessage worse = announce(0x11, 120, 0, 0);
        PtpMessage better = announce(0x22, 100, 0, 0);
        PtpMessage far = announce(0x33, 1, 255, 0); // stepsRemoved 255: never qualified
        for (long t = 0; t < 3; t++) {
            fm.onAnnounce(worse, t * s, ME, 1);
            fm.onAnnounce(better, t * s, ME, 1);
            assertNull(fm.onAnnounce(far, t * s, ME, 1));
        }
        ForeignMasters.Entry e = fm.best(2 * s, 3, 5 * s);
        assertEquals(0x22, e.dataset.senderClockIdentity);
        assertEquals(100, e.dataset.priority1);
        // the table is full (2): a third sender is refused until an entry expires
        assertNull(fm.onAnnounce(announce(0x44, 50, 0, 0), 2 * s, ME, 1));
        // 0x22 goes quiet; after its window (4 s) it is dropped and 0x44 gets its slot
        fm.onAnnounce(worse, 5 * s, ME, 1);
        fm.onAnnounce(worse, 6 * s, ME, 1);
        assertNotNull(fm.onAnnounce(announce(0x44, 50, 0, 0), 7 * s, ME, 1));
        assertSame(fm.find(0x11, 1), fm.best(7 * s, 3, 5 * s));
    }
}
