package org.aes67d.discovery.mdns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.aes67d.api.discovery.RemoteSource;
import org.aes67d.api.session.SessionManager;
import org.aes67d.api.session.Sink;
import org.aes67d.api.session.SinkStatus;
import org.aes67d.api.session.Source;
import org.aes67d.discovery.mdns.internal.MdnsBackend.Found;
import org.osgi.util.converter.Converters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The component's logic against a fake backend: no multicast, so it runs anywhere. */
class MdnsComponentTest {
    static final String SDP = "v=0\no=- 8323330 1 IN IP4 127.0.0.1\ns=Daemon 007f0100 mic\nt=0 0\nm=audio 5004 RTP/AVP 97\n";
    private final FakeBackend backend = new FakeBackend();
    private final AtomicInteger opened = new AtomicInteger();
    private MdnsComponent component;

    static Source source(int id, String name) {
        return new Source(id, true, name, "io", 48, "L24", "", 15, 97, 34, false, List.of(0, 1));
    }

    private MdnsComponent start(boolean enabled) {
        MdnsConfig c = config(Map.of("mdns.enabled", enabled, "interface.name", "lo",
                "ip.addr", "127.0.0.1", "node.id", "Daemon 007f0100", "rtsp.port", 8854));
        component = new MdnsComponent(c, 8080, (address, host) -> {
            opened.incrementAndGet();
            assertEquals(InetAddress.getLoopbackAddress(), address);
            assertEquals("Daemon-007f0100", host);
            return backend;
        }, 50);
        return component;
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(10); // polling step; the deadline decides
        }
    }

    @AfterEach
    void tearDown() {
        if (component != null) {
            component.deactivate();
        }
    }

    @Test
    void publishesTheNodeAndEachSource() throws Exception {
        start(true);
        component.sourceUpdated(source(1, "mic"), SDP);
        // each record is published on a worker of its own: the source may be there before the node
        await("source and node published", component::settled);
        MdnsBackend.ServiceSpec s = backend.find("Daemon 007f0100 mic");
        assertNotNull(s);
        assertEquals("_ravenna_session", s.subtype());
        assertEquals(8854, s.port());
        MdnsBackend.ServiceSpec node = backend.find(MdnsRecords.HTTP_TYPE, "Daemon 007f0100");
        assertNotNull(node);
        assertEquals("_ravenna", node.subtype());
        assertEquals(8080, node.port());
        MdnsBackend.ServiceSpec rtspNode = backend.find(MdnsRecords.RTSP_TYPE, "Daemon 007f0100");
        assertNotNull(rtspNode);
        assertEquals("_ravenna", rtspNode.subtype());
        assertEquals(8854, rtspNode.port());
        assertTrue(component.active());
        assertEquals("mDNS", component.protocol());
    }

    @Test
    void changedSdpIsRepublishedAndARenameReplacesTheRecord() throws Exception {
        start(true);
        component.sourceUpdated(source(1, "mic"), SDP);
        await("published", component::settled);
        component.sourceUpdated(source(1, "mic"), SDP); // the same SDP again: nothing to do
        await("settled", component::settled);
        component.sourceUpdated(source(1, "mic"), SDP.replace(" 1 IN", " 2 IN"));
        await("re-published", () -> mic().size() == 3 && component.settled());
        assertEquals(List.of("+Daemon 007f0100 mic", "-Daemon 007f0100 mic", "+Daemon 007f0100 mic"), mic());
        component.sourceUpdated(source(1, "voice"), SDP.replace("mic", "voice"));
        await("renamed", () -> backend.find("Daemon 007f0100 voice") != null && component.settled());
        assertEquals(List.of("+Daemon 007f0100 mic", "-Daemon 007f0100 mic", "+Daemon 007f0100 mic",
                "-Daemon 007f0100 mic", "+Daemon 007f0100 voice"), mic());
    }

    @Test
    void manySourcesArePublishedWithoutWaitingForEachOther() throws Exception {
        start(true);
        long t0 = System.nanoTime();
        long slowest = 0;
        for (int i = 0; i < 64; i++) {
            long t = System.nanoTime();
            component.sourceUpdated(source(i, "s" + i), SDP.replace("mic", "s" + i));
            slowest = Math.max(slowest, System.nanoTime() - t);
        }
        long callMillis = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("slowest call " + slowest / 1000 + " us");
        await("64 published", () -> backend.published.size() == 64 + 2 && component.settled());
        System.out.println("64 sourceUpdated calls returned in " + callMillis + " ms");
        for (int i = 0; i < 64; i++) {
            component.sourceRemoved(source(i, "s" + i), SDP);
        }
        await("64 withdrawn", () -> backend.published.size() == 2 && component.settled());
    }

    private List<String> mic() {
        return backend.log.stream().filter(l -> l.contains("mic") || l.contains("voice")).toList();
    }

    @Test
    void removedSourceIsWithdrawnAndDeactivateSaysGoodbye() throws Exception {
        start(true);
        component.sourceUpdated(source(1, "mic"), SDP);
        await("published", () -> backend.find("Daemon 007f0100 mic") != null);
        component.sourceRemoved(source(1, "mic"), SDP);
        await("withdrawn", () -> backend.log.contains("-Daemon 007f0100 mic"));
        assertEquals(null, backend.find("Daemon 007f0100 mic"));
        component.deactivate();
        assertTrue(backend.closed);
        assertFalse(component.active());
        component = null;
    }

    @Test
    void disabledPublishesNothingAndOpensNothing() throws Exception {
        start(false);
        component.sourceUpdated(source(1, "mic"), SDP);
        assertFalse(component.active());
        assertEquals(0, opened.get());
        assertEquals(List.of(), component.remoteSources());
        // enabling it later publishes what is there
        component.modified(config(Map.of("mdns.enabled", true, "interface.name", "lo",
                "ip.addr", "127.0.0.1", "node.id", "Daemon 007f0100")));
        await("published after enabling", () -> backend.find("Daemon 007f0100 mic") != null);
        assertEquals(1, opened.get());
    }

    @Test
    void sinksArePublishedAndWithdrawnAsTheyChange() throws Exception {
        List<Sink> sinks = new CopyOnWriteArrayList<>();
        sinks.add(new Sink(0, "monitor", "io", true, "", SDP, 48, false, List.of(0, 1)));
        start(true);
        component.sessions = sessionsWith(sinks);
        await("sink published", () -> backend.find("Daemon 007f0100 monitor") != null);
        assertEquals(MdnsRecords.SINK_TYPE, backend.find("Daemon 007f0100 monitor").type());
        assertEquals("- 8323330 127.0.0.1", backend.find("Daemon 007f0100 monitor").txt().get("origin"));
        sinks.set(0, new Sink(0, "monitor", "io", true, "", SDP.replace("8323330", "8323331"), 48, false,
                List.of(0, 1)));
        await("sink republished with its new origin", () -> backend.find("Daemon 007f0100 monitor") != null
                && "- 8323331 127.0.0.1".equals(backend.find("Daemon 007f0100 monitor").txt().get("origin")));
        sinks.clear();
        await("sink withdrawn", () -> backend.find("Daemon 007f0100 monitor") == null);
    }

    @Test
    void recordsOfferedAgainUnchangedStartNoWork() throws Exception {
        // the sinks are re-offered on every poll (50 ms here): with 64 of them each poll used to start 64 pool tasks,
        // which kept 64 publish threads alive for good
        List<Sink> sinks = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 64; i++) {
            sinks.add(new Sink(i, "rx" + i, "io", true, "", SDP.replace("8323330", Integer.toString(8323330 + i)),
                    48, false, List.of(0, 1)));
        }
        start(true);
        component.sourceUpdated(source(1, "mic"), SDP);
        component.sessions = sessionsWith(sinks);
        await("64 sinks and a source published", () -> backend.published.size() == 64 + 1 + 2 && component.settled());
        long before = component.publishTasks();
        for (int round = 0; round < 20; round++) {
            component.syncSinks();
            component.sourceUpdated(source(1, "mic"), SDP);
        }
        assertEquals(before, component.publishTasks(), "tasks for records that did not change");
        sinks.remove(0);
        await("the removed sink withdrawn", () -> backend.find("Daemon 007f0100 rx0") == null && component.settled());
        assertTrue(component.publishTasks() > before, "a change is still worked on");
    }

    @Test
    void browsedSessionsAreDescribedFollowedAndListed() throws Exception {
        start(true);
        try (StubRtspServer rtsp = new StubRtspServer(InetAddress.getLoopbackAddress())) {
            String remoteSdp = "v=0\r\no=- 42 1 IN IP4 127.0.0.1\r\ns=peer stream\r\nm=audio 5004 RTP/AVP 97\r\n";
            rtsp.sdpByPath.put("/by-name/peer stream", remoteSdp);
            rtsp.sdpByPath.put("/by-name/camera", "v=0\r\no=- 43 1 IN IP4 127.0.0.1\r\ns=camera\r\nm=video 5006 RTP/AVP 96\r\n");
            await("browsing started", () -> backend.listener != null);
            Found f = found("peer stream", rtsp.port());
            backend.resolve(f, "ravenna_session");
            await("listed", () -> !component.remoteSources().isEmpty());
            RemoteSource r = component.remoteSources().get(0);
            assertEquals("mDNS", r.protocol());
            assertEquals(RemoteSessions.id(remoteSdp), r.id());
            assertTrue(r.id().matches("rtsp:[0-9a-f]{1,4}"), r.id());
            assertEquals("peer stream", r.name());
            assertEquals("local", r.domain());
            assertEquals("127.0.0.1", r.address());
            assertEquals(remoteSdp, r.sdp());
            assertEquals(0, r.announcePeriodSeconds());
            assertEquals(List.of("peer stream"), backend.resolveRequests);

            backend.resolve(found("gone", rtsp.port()), ""); // DESCRIBE answers 404: not listed
            backend.resolve(found("camera", rtsp.port()), ""); // an RTSP camera: video only, not listed
            backend.resolve(found("Daemon 0a000001", rtsp.port()), "ravenna"); // a node record: never described
            await("404 and camera tried", () -> rtsp.described.contains("/by-name/gone")
                    && rtsp.described.contains("/by-name/camera"));

            // the kept connection carries the change at once
            String v2 = remoteSdp.replace(" 1 IN", " 2 IN");
            rtsp.announce("/by-name/peer stream", v2);
            await("announced SDP listed", () -> component.remoteSources().size() == 1
                    && component.remoteSources().get(0).sdp().equals(v2));
            assertEquals(List.of("peer stream"), component.remoteSources().stream().map(RemoteSource::name).toList());
            assertEquals(1, rtsp.described.stream().filter(p -> p.equals("/by-name/peer stream")).count(),
                    "described once, then followed by ANNOUNCE");
            assertFalse(rtsp.described.contains("/by-name/Daemon 0a000001"), "a node is not described");
            backend.remove(f);
            await("removed", () -> component.remoteSources().isEmpty());
            await("its connection closed", () -> rtsp.connectionCount() == 0);
        }
    }

    @Test
    void manyFollowedSessionsShareOneThreadAndAreFollowedAgainAfterADrop() throws Exception {
        start(true);
        try (StubRtspServer rtsp = new StubRtspServer(InetAddress.getLoopbackAddress())) {
            await("browsing started", () -> backend.listener != null);
            for (int i = 0; i < 64; i++) {
                rtsp.sdpByPath.put("/by-name/s" + i, "v=0\r\no=- " + i + " 1 IN IP4 127.0.0.1\r\ns=s" + i
                        + "\r\nm=audio 5004 RTP/AVP 97\r\n");
                backend.resolve(found("s" + i, rtsp.port()), "ravenna_session");
            }
            await("64 listed", () -> component.remoteSources().size() == 64 && rtsp.connectionCount() == 64);
            long watchThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("aes67d-mdns-watch")).count();
            assertEquals(1, watchThreads, "threads following 64 sessions");

            rtsp.dropConnections(); // the device rebooted: every session is described again on a new connection
            await("64 described again", () -> rtsp.described.size() == 128 && rtsp.connectionCount() == 64);
            String v2 = rtsp.sdpByPath.get("/by-name/s7").replace(" 1 IN", " 2 IN");
            rtsp.announce("/by-name/s7", v2);
            await("the announce on the new connection listed", () -> component.remoteSources().stream()
                    .anyMatch(r -> r.sdp().equals(v2)));
        }
    }

    @Test
    void aDeadResponderIsRestartedAndReportedMeanwhile() throws Exception {
        FakeBackend second = new FakeBackend();
        List<FakeBackend> backends = new CopyOnWriteArrayList<>(List.of(backend, second));
        MdnsConfig c = config(Map.of("interface.name", "lo", "ip.addr", "127.0.0.1", "node.id", "Daemon 007f0100",
                "rtsp.port", 8854));
        component = new MdnsComponent(c, 8080, (address, host) -> backends.remove(0), 50);
        component.sourceUpdated(source(1, "mic"), SDP);
        await("running", () -> component.active() && backend.find("Daemon 007f0100 mic") != null);
        backend.alive = false; // e.g. jmDNS closed its socket after "message full"
        await("restarted on a new responder", () -> component.active()
                && second.find("Daemon 007f0100 mic") != null);
        assertEquals(1L, component.stats().get("restarts"));
        assertTrue(backend.closed);
    }

    private static Found found(String name, int port) {
        return new Found("_rtsp._tcp.local.", name, "local", List.of("127.0.0.1"), port, Map.of());
    }

    static SessionManager sessionsWith(List<Sink> sinks) {
        return new SessionManager() {
            @Override
            public void putSource(Source source) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void removeSource(int id) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<Source> sources() {
                return List.of();
            }

            @Override
            public String sourceSdp(int id) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void putSink(Sink sink) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void removeSink(int id) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<Sink> sinks() {
                return List.copyOf(sinks);
            }

            @Override
            public SinkStatus sinkStatus(int id) {
                throw new UnsupportedOperationException();
            }
        };
    }

    /** The component's typed config from ConfigAdmin-style properties ("rtsp.port" for rtsp_port()), defaults else. */
    private static MdnsConfig config(Map<String, ?> properties) {
        return Converters.standardConverter().convert(properties).to(MdnsConfig.class);
    }
}
