package org.aes67d.discovery.sap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;

import org.aes67d.api.discovery.RemoteSource;
import org.junit.jupiter.api.Test;

class SapDirectoryTest {
    private static final String SDP1 = "v=0\no=- 8323329 100 IN IP4 127.0.0.1\ns=Daemon 007f0100 one\nt=0 0\n";
    private static final String SDP1_V2 = SDP1.replace(" 100 ", " 101 ");
    private static final String SDP2 = "v=0\r\no=bob 77 5 IN IP4 10.1.2.3\r\ns=other\r\n";

    private static SapPacket announce(String sdp, String origin) throws Exception {
        return SapPacket.sdp(false, SapHash.messageIdHash(sdp), InetAddress.getByName(origin), sdp);
    }

    private static SapPacket delete(String sdp, String origin) throws Exception {
        return SapPacket.sdp(true, SapHash.messageIdHash(sdp), InetAddress.getByName(origin),
                SdpLines.originLine(sdp));
    }

    @Test
    void entryFields() throws Exception {
        SapDirectory d = new SapDirectory();
        assertEquals(SapDirectory.Change.ADDED, d.accept(announce(SDP1, "127.0.0.1"), 1_000));
        List<RemoteSource> list = d.snapshot(3_500);
        assertEquals(1, list.size());
        RemoteSource r = list.get(0);
        assertEquals("SAP", r.protocol());
        assertEquals("sap:16777343-" + SapHash.crc16(SDP1.getBytes(java.nio.charset.StandardCharsets.UTF_8)), r.id());
        assertEquals("Daemon 007f0100 one", r.name());
        assertEquals("", r.domain());
        assertEquals("127.0.0.1", r.address());
        assertEquals(SDP1, r.sdp());
        assertEquals(2, r.lastSeenSeconds());
        assertEquals(0, r.announcePeriodSeconds(), "unknown after one announcement");
    }

    @Test
    void idIsTheCppDaemonsLittleEndianReading() throws Exception {
        assertEquals("sap:16777471-1280", SapDirectory.idOf(SapPacket.sdp(false, 5,
                InetAddress.getByName("255.0.0.1"), "v=0\n")));
    }

    @Test
    void periodIsMeasuredAndDuplicatesDoNotCount() throws Exception {
        SapDirectory d = new SapDirectory();
        d.accept(announce(SDP1, "127.0.0.1"), 0);
        assertEquals(SapDirectory.Change.REFRESHED, d.accept(announce(SDP1, "127.0.0.1"), 30_000));
        d.accept(announce(SDP1, "127.0.0.1"), 30_200); // the same packet heard on a second group
        RemoteSource r = d.snapshot(30_200).get(0);
        assertEquals(30, r.announcePeriodSeconds());
        assertEquals(0, r.lastSeenSeconds());
    }

    @Test
    void expiresAfterTenMissedPeriods() throws Exception {
        SapDirectory d = new SapDirectory();
        d.accept(announce(SDP1, "127.0.0.1"), 0);
        d.accept(announce(SDP1, "127.0.0.1"), 2_000);
        assertEquals(0, d.expire(2_000 + 20_000), "exactly 10 periods: still there");
        assertEquals(1, d.snapshot(2_000 + 20_000).size());
        assertEquals(0, d.snapshot(2_000 + 20_001).size(), "the snapshot hides it before the sweep");
        assertEquals(1, d.expire(2_000 + 20_001));
        assertEquals(0, d.size());
    }

    @Test
    void unknownPeriodExpiresAfterTenTimesTheRfcMinimum() throws Exception {
        SapDirectory d = new SapDirectory();
        d.accept(announce(SDP1, "127.0.0.1"), 0);
        assertEquals(0, d.expire(3_000_000));
        assertEquals(1, d.expire(3_000_001));
        assertEquals(Long.MAX_VALUE, d.nextExpiry());
    }

    @Test
    void deletionRemovesAtOnce() throws Exception {
        SapDirectory d = new SapDirectory();
        d.accept(announce(SDP1, "127.0.0.1"), 0);
        d.accept(announce(SDP2, "10.1.2.3"), 0);
        assertEquals(SapDirectory.Change.REMOVED, d.accept(delete(SDP1, "127.0.0.1"), 10));
        assertEquals(List.of("other"), d.snapshot(10).stream().map(RemoteSource::name).toList());
        assertEquals(SapDirectory.Change.IGNORED, d.accept(delete(SDP1, "127.0.0.1"), 20), "already gone");
    }

    @Test
    void deletionWithAnotherHashMatchesTheExactOriginLine() throws Exception {
        SapDirectory d = new SapDirectory();
        d.accept(announce(SDP2, "10.1.2.3"), 0);
        SapPacket otherHash = SapPacket.sdp(true, 1, InetAddress.getByName("10.1.2.3"), "o=bob 77 5 IN IP4 10.1.2.3");
        SapPacket otherVersion = SapPacket.sdp(true, 1, InetAddress.getByName("10.1.2.3"),
                "o=bob 77 4 IN IP4 10.1.2.3");
        assertEquals(SapDirectory.Change.IGNORED, d.accept(otherVersion, 1));
        assertEquals(SapDirectory.Change.REMOVED, d.accept(otherHash, 2));
    }

    @Test
    void newVersionReplacesTheOldAndItsLateDeletionIsHarmless() throws Exception {
        SapDirectory d = new SapDirectory();
        d.accept(announce(SDP1, "127.0.0.1"), 0);
        assertEquals(SapDirectory.Change.REPLACED, d.accept(announce(SDP1_V2, "127.0.0.1"), 5_000));
        List<RemoteSource> list = d.snapshot(5_000);
        assertEquals(1, list.size());
        assertEquals(SDP1_V2, list.get(0).sdp());
        assertEquals(5, list.get(0).announcePeriodSeconds());
        // the announcer then deletes the old version (C++ behaviour): the new one stays
        assertEquals(SapDirectory.Change.IGNORED, d.accept(delete(SDP1, "127.0.0.1"), 5_001));
        assertEquals(1, d.size());
    }

    @Test
    void boundedTableEvictsTheLeastRecentlyHeard() throws Exception {
        SapDirectory d = new SapDirectory(3, 4096);
        for (int i = 0; i < 3; i++) {
            d.accept(announce("v=0\no=- " + i + " 1 IN IP4 10.0.0.1\ns=s" + i + "\n", "10.0.0.1"), i);
        }
        d.accept(announce("v=0\no=- 0 1 IN IP4 10.0.0.1\ns=s0\n", "10.0.0.1"), 10); // s0 heard again
        d.accept(announce("v=0\no=- 3 1 IN IP4 10.0.0.1\ns=s3\n", "10.0.0.1"), 11);
        assertEquals(List.of("s0", "s2", "s3"), d.snapshot(11).stream().map(RemoteSource::name).toList());
        assertEquals(1, d.evicted());
    }

    @Test
    void floodStaysBounded() throws Exception {
        SapDirectory d = new SapDirectory();
        for (int i = 0; i < 5000; i++) {
            d.accept(announce("v=0\no=- " + i + " 1 IN IP4 10.0.0.1\ns=s" + i + "\n", "10.0.0.1"), i);
        }
        assertEquals(1024, d.size());
        assertEquals(5000 - 1024, d.evicted());
    }

    @Test
    void oversizedSdpIsDroppedAndCounted() throws Exception {
        SapDirectory d = new SapDirectory();
        String big = "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=big\na=x:" + "y".repeat(4096) + "\n";
        assertEquals(SapDirectory.Change.DROPPED, d.accept(announce(big, "10.0.0.1"), 0));
        assertEquals(0, d.size());
        assertEquals(1, d.oversized());
        String fits = "v=0\n" + "a=" + "y".repeat(4096 - 7) + "\n";
        assertEquals(4096, fits.length());
        assertEquals(SapDirectory.Change.ADDED, d.accept(announce(fits, "10.0.0.1"), 0));
    }

    @Test
    void otherPayloadTypesAreIgnored() throws Exception {
        SapDirectory d = new SapDirectory();
        SapPacket p = new SapPacket(false, 1, InetAddress.getByName("10.0.0.1"), "text/plain", new byte[] {'x'});
        assertEquals(SapDirectory.Change.IGNORED, d.accept(p, 0));
        assertTrue(d.snapshot(0).isEmpty());
    }

    @Test
    void hashCollisionOfOneOriginKeepsBothSessions() throws Exception {
        String a = "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=a\n";
        String b = null;
        for (int i = 0; b == null; i++) { // a second session whose SDP has the same 16-bit hash
            String candidate = "v=0\no=- 2 1 IN IP4 10.0.0.1\ns=b" + i + "\n";
            if (SapHash.messageIdHash(candidate) == SapHash.messageIdHash(a)) {
                b = candidate;
            }
        }
        SapDirectory d = new SapDirectory();
        d.accept(announce(a, "10.0.0.1"), 0);
        assertEquals(SapDirectory.Change.ADDED, d.accept(announce(b, "10.0.0.1"), 0));
        assertEquals(SapDirectory.Change.REFRESHED, d.accept(announce(b, "10.0.0.1"), 2_000));
        assertEquals(SapDirectory.Change.REFRESHED, d.accept(announce(a, "10.0.0.1"), 2_000));
        String base = "sap:16777226-" + SapHash.crc16(a.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<String> ids = d.snapshot(2_000).stream().map(RemoteSource::id).toList();
        assertEquals(List.of(base, base + "-2"), ids);
        assertEquals(SapDirectory.Change.REMOVED, d.accept(delete(b, "10.0.0.1"), 3_000));
        assertEquals(List.of(base), d.snapshot(3_000).stream().map(RemoteSource::id).toList());
    }
}
