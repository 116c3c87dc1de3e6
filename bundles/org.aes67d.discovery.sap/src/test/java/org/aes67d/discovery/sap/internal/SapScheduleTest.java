package org.aes67d.discovery.sap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class SapScheduleTest {
    private static final String SDP = "v=0\no=- 8323329 100 IN IP4 127.0.0.1\ns=Daemon 007f0100 one\nt=0 0\n";
    private static final String SDP_V2 = SDP.replace(" 100 ", " 101 ");

    private static SapSchedule schedule(int interval) throws Exception {
        return new SapSchedule(InetAddress.getByName("127.0.0.1"), interval, new Random(1), () -> 0);
    }

    private static SapPacket only(List<byte[]> packets) {
        assertEquals(1, packets.size());
        return SapPacket.decode(packets.get(0));
    }

    @Test
    void announcesAtOnceThenEveryInterval() throws Exception {
        SapSchedule s = schedule(30);
        SapPacket p = only(s.update(1, SDP, 0));
        assertFalse(p.deletion());
        assertEquals(SapHash.messageIdHash(SDP), p.hash());
        assertEquals(SDP, p.payloadText());
        assertEquals(InetAddress.getByName("127.0.0.1"), p.origin());
        assertEquals(30_000, s.nextDue());
        assertTrue(s.due(29_999).isEmpty());
        assertEquals(p, only(s.due(30_000)));
        assertEquals(60_000, s.nextDue());
    }

    @Test
    void removalSendsThreeDeletionsOnePerInterval() throws Exception {
        SapSchedule s = schedule(10);
        s.update(1, SDP, 0);
        SapPacket d = only(s.remove(1, 5_000));
        assertTrue(d.deletion());
        assertEquals(SapHash.messageIdHash(SDP), d.hash());
        assertEquals("o=- 8323329 100 IN IP4 127.0.0.1\n", d.payloadText());
        assertTrue(s.due(14_999).isEmpty());
        assertEquals(d, only(s.due(15_000)));
        assertEquals(d, only(s.due(25_000)));
        assertTrue(s.due(35_000).isEmpty(), "three in all");
        assertEquals(Long.MAX_VALUE, s.nextDue());
        assertEquals(0, s.pendingDeletions());
    }

    @Test
    void changedSdpDeletesThePreviousVersion() throws Exception {
        SapSchedule s = schedule(10);
        s.update(1, SDP, 0);
        List<byte[]> out = s.update(1, SDP_V2, 1_000);
        assertEquals(2, out.size());
        SapPacket deletion = SapPacket.decode(out.get(0));
        SapPacket announcement = SapPacket.decode(out.get(1));
        assertTrue(deletion.deletion());
        assertEquals(SapHash.messageIdHash(SDP), deletion.hash());
        assertFalse(announcement.deletion());
        assertEquals(SDP_V2, announcement.payloadText());
        assertEquals(1, s.announcedCount());
        assertEquals(1, s.pendingDeletions());
    }

    @Test
    void unchangedSdpIsOnlyAnnouncedAgain() throws Exception {
        SapSchedule s = schedule(10);
        s.update(1, SDP, 0);
        assertFalse(only(s.update(1, SDP, 1)).deletion());
        assertEquals(0, s.pendingDeletions());
    }

    @Test
    void reAddingCancelsPendingDeletions() throws Exception {
        SapSchedule s = schedule(10);
        s.update(1, SDP, 0);
        s.remove(1, 1_000);
        s.update(1, SDP, 2_000);
        assertEquals(0, s.pendingDeletions());
        assertFalse(only(s.due(12_000)).deletion());
    }

    @Test
    void removingAnUnknownSourceSendsNothing() throws Exception {
        assertTrue(schedule(10).remove(3, 0).isEmpty());
    }

    @Test
    void shutdownDeletesEverythingOnce() throws Exception {
        SapSchedule s = schedule(10);
        s.update(1, SDP, 0);
        s.update(2, SDP.replace("8323329", "8323330"), 0);
        s.update(3, SDP.replace("8323329", "8323331"), 0);
        s.remove(3, 1);
        List<byte[]> out = s.shutdown();
        assertEquals(3, out.size());
        assertTrue(out.stream().map(SapPacket::decode).allMatch(SapPacket::deletion));
        assertEquals(Long.MAX_VALUE, s.nextDue());
    }

    @Test
    void automaticIntervalFollowsRfc2974() throws Exception {
        SapSchedule s = schedule(0);
        s.update(1, SDP, 0);
        long next = s.nextDue();
        assertTrue(next >= 200_000 && next <= 400_000, "300 s +- a third: " + next);
        s.setInterval(5);
        s.due(next);
        assertEquals(next + 5_000, s.nextDue());
    }
}
