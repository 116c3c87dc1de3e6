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
        await("source published", () -> backend.find("Daemon 007f0100 mic") != null);
        MdnsBackend.ServiceSpec s = backend.find("Daemon 007f0100 mic");
        assertEquals("_ravenna_session", s.subtype());
        assertEquals(8854, s.port());
        MdnsBackend.ServiceSpec node = backend.find("Daemon 007f0100");
        assertNotNull(node);
        assertEquals("_ravenna", node.subtype());
        assertEquals(8080, node.port());
        assertTrue(component.active());
        assertEquals("mDNS", component.protocol());
    }

    @Test
    void changedSdpWithTheSameNameIsNotRepublishedButARenameIs() throws Exception {
        start(true);
        component.sourceUpdated(source(1, "mic"), SDP);
        component.sourceUpdated(source(1, "mic"), SDP.replace(" 1 IN", " 2 IN"));
        component.sourceUpdated(source(1, "voice"), SDP.replace("mic", "voice"));
        await("renamed", () -> backend.find("Daemon 007f0100 voice") != null);
        assertEquals(List.of("+Daemon 007f0100", "+Daemon 007f0100 mic", "-Daemon 007f0100 mic",
                "+Daemon 007f0100 voice"), backend.log.stream().filter(l -> !l.contains("monitor")).toList());
    }

    @Test
    void removedSourceIsWithdrawnAndDeactivateSaysGoodbye() throws Exception {
        start(true);
        component.sourceUpdated(source(1, "mic"), SDP);
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
        assertEquals("_aes67d_sink", backend.find("Daemon 007f0100 monitor").subtype());
        assertEquals("- 8323330 127.0.0.1", backend.find("Daemon 007f0100 monitor").txt().get("origin"));
        sinks.set(0, new Sink(0, "monitor", "io", true, "", SDP.replace("8323330", "8323331"), 48, false,
                List.of(0, 1)));
        await("sink republished with its new origin", () -> backend.find("Daemon 007f0100 monitor") != null
                && "- 8323331 127.0.0.1".equals(backend.find("Daemon 007f0100 monitor").txt().get("origin")));
        sinks.clear();
        await("sink withdrawn", () -> backend.find("Daemon 007f0100 monitor") == null);
    }

    @Test
    void browsedSessionsAreDescribedAndListed() throws Exception {
        start(true);
        try (StubRtspServer rtsp = new StubRtspServer(InetAddress.getLoopbackAddress())) {
            String remoteSdp = "v=0\r\no=- 42 1 IN IP4 127.0.0.1\r\ns=peer stream\r\nm=audio 5004 RTP/AVP 97\r\n";
            rtsp.sdpByPath.put("/by-name/peer stream", remoteSdp);
            rtsp.sdpByPath.put("/by-name/camera", "v=0\r\no=- 43 1 IN IP4 127.0.0.1\r\ns=camera\r\nm=video 5006 RTP/AVP 96\r\n");
            await("browsing started", () -> !backend.resolvedListeners.isEmpty());
            Found f = new Found("_rtsp._tcp.local.", "peer stream", "local", List.of("127.0.0.1"), rtsp.port(),
                    Map.of());
            backend.resolve(f);
            await("listed", () -> !component.remoteSources().isEmpty());
            RemoteSource r = component.remoteSources().get(0);
            assertEquals("mDNS", r.protocol());
            assertEquals("mdns:peer stream.local", r.id());
            assertEquals("peer stream", r.name());
            assertEquals("local", r.domain());
            assertEquals("127.0.0.1", r.address());
            assertEquals(remoteSdp, r.sdp());
            assertEquals(0, r.announcePeriodSeconds());

            Found unknown = new Found("_rtsp._tcp.local.", "gone", "local", List.of("127.0.0.1"), rtsp.port(),
                    Map.of());
            backend.resolve(unknown); // DESCRIBE answers 404: not listed
            backend.resolve(new Found("_rtsp._tcp.local.", "camera", "local", List.of("127.0.0.1"), rtsp.port(),
                    Map.of())); // an RTSP camera: video only, not listed
            backend.resolve(f); // once more after them: when it is described again, the others have been tried
            await("described again", () -> component.remoteSources().size() == 1
                    && component.remoteSources().get(0).lastSeenSeconds() == 0);
            assertEquals(List.of("peer stream"), component.remoteSources().stream().map(RemoteSource::name).toList());
            backend.remove(f);
            await("removed", () -> component.remoteSources().isEmpty());
        }
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
