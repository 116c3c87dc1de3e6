package org.aes67d.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.aes67d.api.driver.Driver;
import org.aes67d.api.driver.StreamDescription;
import org.aes67d.api.session.SinkStatus;
import org.aes67d.sdp.SdpParser;
import org.aes67d.sdp.SessionDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ST 2022-7 in the session manager: interface_name "lo,lo" gives every source and DUP sink a second leg. */
class RedundancyTest {
    @TempDir
    Path dir;

    /** Records what the session manager hands over. */
    static final class RecordingDriver implements Driver {
        final Map<Integer, StreamDescription> sources = new ConcurrentHashMap<>();
        final Map<Integer, StreamDescription> sinks = new ConcurrentHashMap<>();

        @Override
        public void startSource(StreamDescription s) {
            sources.put(s.id(), s);
        }

        @Override
        public void stopSource(int id) {
            sources.remove(id);
        }

        @Override
        public void startSink(StreamDescription s) {
            sinks.put(s.id(), s);
        }

        @Override
        public void stopSink(int id) {
            sinks.remove(id);
        }

        @Override
        public SinkStatus sinkStatus(int id) {
            return SinkStatus.IDLE;
        }
    }

    private SessionManagerImpl manager(TestConfig c, RecordingDriver d) {
        SessionManagerImpl m = new SessionManagerImpl();
        m.activate(c);
        m.bindDriver(d);
        return m;
    }

    @Test
    void twoInterfacesGiveEverySourceTwoLegsAndADupSdp() throws Exception {
        RecordingDriver d = new RecordingDriver();
        TestConfig c = TestConfig.withStatusFile(dir.resolve("s.json").toString()).withInterfaces("lo,lo",
                "239.2.0.1", 5006);
        SessionManagerImpl m = manager(c, d);
        java.util.concurrent.BlockingQueue<String> announced = new java.util.concurrent.LinkedBlockingQueue<>();
        m.bindAnnouncer(new org.aes67d.api.discovery.SourceAnnouncer() { // SAP, RTSP, mDNS announce this text
            @Override
            public void sourceUpdated(org.aes67d.api.session.Source source, String text) {
                announced.add(text);
            }

            @Override
            public void sourceRemoved(org.aes67d.api.session.Source source, String text) {
            }
        });
        m.putSource(SessionManagerImplTest.source(3, "red"));
        StreamDescription s = d.sources.get(3);
        assertEquals("239.1.0.4", s.address());
        assertEquals(5004, s.port());
        assertEquals(new StreamDescription.Leg("239.2.0.4", 5006), s.secondary(), "rtp_mcast_base_sec + id");

        String sdp = m.sourceSdp(3);
        assertTrue(sdp.contains("t=0 0\na=group:DUP 1 2\nm=audio 5004 RTP/AVP 98\nc=IN IP4 239.1.0.4/15\n"), sdp);
        assertTrue(sdp.contains("a=recvonly\na=mid:1\nm=audio 5006 RTP/AVP 98\nc=IN IP4 239.2.0.4/15\n"
                + "a=source-filter: incl IN IP4 239.2.0.4 127.0.0.1\n"), sdp);
        assertTrue(sdp.endsWith("a=ts-refclk:ptp=IEEE1588-2008:00-00-00-00-00-00-00-00:0\na=mid:2\n"), sdp);
        assertEquals(sdp, announced.poll(5, java.util.concurrent.TimeUnit.SECONDS), "announcers get the DUP SDP");

        // a sink made from that SDP receives both legs
        m.putSink(SessionManagerImplTest.sink(1, "both", sdp));
        assertEquals(new StreamDescription.Leg("239.2.0.4", 5006), d.sinks.get(1).secondary());
        assertEquals("239.1.0.4", d.sinks.get(1).address());

        // a source with its own address sends the same group on the secondary network (as the C++ daemon)
        m.putSource(new org.aes67d.api.session.Source(4, true, "own", "Audio Device", 48, "L24", "239.9.9.9", 15,
                98, 34, false, java.util.List.of(0, 1)));
        assertEquals(new StreamDescription.Leg("239.9.9.9", 5006), d.sources.get(4).secondary());
    }

    @Test
    void oneInterfaceReceivesTheFirstLegOfADupSdpOnly() throws Exception {
        RecordingDriver d = new RecordingDriver();
        SessionManagerImpl m = manager(TestConfig.withStatusFile(dir.resolve("s.json").toString()), d);
        String lawo = String.join("\r\n", "v=0", "o=- 17 0 IN IP4 192.168.4.8", "s=MADI-1", "t=0 0",
                "a=group:DUP primary secondary", "a=ts-refclk:ptp=IEEE1588-2008:00-0B-72-FF-FE-07-DC-FC:0",
                "m=audio 5004 RTP/AVP 98", "c=IN IP4 239.4.8.1/31", "a=rtpmap:98 L24/48000/2", "a=ptime:1",
                "a=mid:secondary", "m=audio 5008 RTP/AVP 98", "c=IN IP4 239.3.8.1/31", "a=rtpmap:98 L24/48000/2",
                "a=ptime:1", "a=mid:primary", "");
        m.putSink(SessionManagerImplTest.sink(2, "single", lawo));
        StreamDescription s = d.sinks.get(2);
        assertEquals("239.3.8.1", s.address(), "the group's first leg, not the first block");
        assertEquals(5008, s.port());
        assertNull(s.secondary());
        m.putSource(SessionManagerImplTest.source(0, "one"));
        assertNull(d.sources.get(0).secondary());
        SessionDescription own = SdpParser.parse(m.sourceSdp(0));
        assertEquals(1, own.media().size());
    }

    @Test
    void turningTheSecondInterfaceOnRestartsStreamsWithTwoLegs() throws Exception {
        RecordingDriver d = new RecordingDriver();
        TestConfig c = TestConfig.withStatusFile(dir.resolve("s.json").toString());
        SessionManagerImpl m = manager(c, d);
        m.putSource(SessionManagerImplTest.source(0, "one"));
        assertNull(d.sources.get(0).secondary());
        m.modified(c.withInterfaces("lo,lo", "239.2.0.1", 5004));
        assertEquals(new StreamDescription.Leg("239.2.0.1", 5004), d.sources.get(0).secondary());
        assertEquals(2, SdpParser.parse(m.sourceSdp(0)).duplicateLegs().size());
    }
}
