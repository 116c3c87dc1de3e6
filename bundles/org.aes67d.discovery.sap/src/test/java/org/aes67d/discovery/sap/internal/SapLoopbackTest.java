package org.aes67d.discovery.sap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.DatagramSocket;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.aes67d.api.discovery.RemoteSource;
import org.aes67d.api.session.Source;
import org.osgi.util.converter.Converters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real sockets on lo, announcer and browser in one JVM. The interface is named explicitly (IP_MULTICAST_IF and the
 * group join), which is what makes multicast work on lo without a route. A free port other than 9875 keeps the
 * test apart from SAP tools on the host.
 */
class SapLoopbackTest {
    static final String SDP = """
            v=0
            o=- 8323329 1700000000 IN IP4 127.0.0.1
            s=Daemon 007f0100 loop test
            t=0 0
            m=audio 5004 RTP/AVP 97
            c=IN IP4 239.1.0.2/15
            a=rtpmap:97 L24/48000/2
            a=recvonly
            """;

    private int port;
    private SapComponent a;
    private SapComponent b;

    static Source source(int id, String name) {
        return new Source(id, true, name, "io", 48, "L24", "", 15, 97, 34, false, List.of(0, 1));
    }

    static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    static SapComponent component(int port, Map<String, Object> config) {
        Map<String, Object> values = new java.util.HashMap<>(Map.of("interface.name", "lo", "ip.addr", "127.0.0.1"));
        values.putAll(config);
        SapComponent c = new SapComponent(config(values), "", port);
        assertNotNull(c.engine(), "SAP did not start on lo");
        return c;
    }

    /** Polls until the supplier gives a present value, failing after the deadline. */
    static <T> T await(String what, long millis, Supplier<Optional<T>> s) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            Optional<T> v = s.get();
            if (v.isPresent()) {
                return v.get();
            }
            Thread.sleep(20); // polling step, not synchronisation: the deadline decides
        }
        return fail("timed out waiting for " + what);
    }

    static Optional<RemoteSource> find(SapComponent c, String sdp) {
        return c.remoteSources().stream().filter(r -> r.sdp().equals(sdp)).findFirst();
    }

    @BeforeEach
    void setUp() throws Exception {
        port = freeUdpPort();
    }

    @AfterEach
    void tearDown() {
        if (a != null) {
            a.deactivate();
        }
        if (b != null) {
            b.deactivate();
        }
    }

    @Test
    void announcerAndBrowserSeeEachOtherAndADeletionRemovesTheEntry() throws Exception {
        a = component(port, Map.of("sap.interval", 1));
        b = component(port, Map.of("sap.interval", 1));
        a.sourceUpdated(source(1, "loop test"), SDP);

        RemoteSource seen = await("B hears A", 5_000, () -> find(b, SDP));
        assertEquals("SAP", seen.protocol());
        assertEquals("sap:16777343-" + SapHash.crc16(SDP.getBytes(java.nio.charset.StandardCharsets.UTF_8)), seen.id());
        assertEquals("Daemon 007f0100 loop test", seen.name());
        assertEquals("127.0.0.1", seen.address());
        await("A hears itself", 5_000, () -> find(a, SDP));
        await("a measured 1 s period", 5_000, () -> find(b, SDP).filter(r -> r.announcePeriodSeconds() == 1));

        a.sourceRemoved(source(1, "loop test"), SDP);
        // well before the 10 s expiry of a 1 s period: it is the deletion that removes it
        await("B drops the entry on the deletion", 3_000, () -> find(b, SDP).isEmpty() ? Optional.of(true)
                : Optional.empty());
        await("A drops its own entry", 3_000, () -> find(a, SDP).isEmpty() ? Optional.of(true) : Optional.empty());
    }

    @Test
    void anAnnouncementWhoseHeaderNamesAnotherHostIsNotListed() throws Exception {
        b = component(port, Map.of());
        String spoofedSdp = SDP.replace("loop test", "spoofed");
        String honestSdp = SDP.replace("loop test", "honest");
        try (java.net.MulticastSocket out = new java.net.MulticastSocket(new java.net.InetSocketAddress(
                java.net.InetAddress.getByName("127.0.0.1"), 0))) {
            out.setNetworkInterface(java.net.NetworkInterface.getByName("lo"));
            java.net.InetSocketAddress group = new java.net.InetSocketAddress("239.255.255.255", port);
            // sent from 127.0.0.1, claiming to come from another host (and its o= address) ...
            byte[] spoofed = SapPacket.sdp(false, 0x1234, java.net.InetAddress.getByName("10.18.0.7"),
                    spoofedSdp.replace("127.0.0.1", "10.18.0.7")).encode();
            // ... and an honest one after it, from the address it names: once it is listed, the first is decided
            byte[] honest = SapPacket.sdp(false, 0x1235, java.net.InetAddress.getByName("127.0.0.1"), honestSdp)
                    .encode();
            out.send(new java.net.DatagramPacket(spoofed, spoofed.length, group));
            out.send(new java.net.DatagramPacket(honest, honest.length, group));
            await("B lists the honest announcement", 5_000, () -> find(b, honestSdp));
        }
        assertTrue(b.remoteSources().stream().noneMatch(r -> r.name().contains("spoofed")),
                b.remoteSources().toString());
        assertTrue(SapEngine.sentByItsOrigin(SapPacket.sdp(false, 1, java.net.InetAddress.getByName("127.0.0.1"),
                SDP), new java.net.InetSocketAddress("127.0.0.1", 9875)));
        assertFalse(SapEngine.sentByItsOrigin(SapPacket.sdp(false, 1, java.net.InetAddress.getByName("127.0.0.1"),
                SDP), new java.net.InetSocketAddress("127.0.0.2", 9875)));
    }

    @Test
    void stoppingTheAnnouncerDeletesItsSessions() throws Exception {
        a = component(port, Map.of("sap.interval", 30));
        b = component(port, Map.of("sap.interval", 30));
        a.sourceUpdated(source(1, "loop test"), SDP);
        await("B hears A", 5_000, () -> find(b, SDP));
        a.deactivate();
        a = null;
        await("B drops the entry", 3_000, () -> find(b, SDP).isEmpty() ? Optional.of(true) : Optional.empty());
    }

    @Test
    void intervalChangesLiveWithoutRestart() throws Exception {
        a = component(port, Map.of("sap.interval", 30));
        b = component(port, Map.of("sap.interval", 30));
        a.sourceUpdated(source(1, "loop test"), SDP);
        await("B hears A", 5_000, () -> find(b, SDP));
        // same network, new interval: the engine stays, the next announcements come every second
        SapEngine before = a.engine();
        a.modified(config(Map.of("interface.name", "lo", "ip.addr", "127.0.0.1",
                "sap.interval", 1)));
        assertEquals(before, a.engine());
        // after the current 30 s wait the 1 s interval applies; a changed SDP restarts the clock at once
        String v2 = SDP.replace("1700000000", "1700000001");
        a.sourceUpdated(source(1, "loop test"), v2);
        await("B sees version 2 replacing version 1", 5_000,
                () -> find(b, v2).filter(r -> find(b, SDP).isEmpty()));
        await("1 s period of version 2", 5_000, () -> find(b, v2).filter(r -> r.announcePeriodSeconds() == 1));
    }

    @Test
    void groupChangeDeletesOnTheOldGroupAndAnnouncesOnTheNew() throws Exception {
        a = component(port, Map.of("sap.interval", 30));
        b = component(port, Map.of());
        SapComponent c = component(port, Map.of("sap.mcast.addr", "224.2.127.254"));
        try {
            a.sourceUpdated(source(1, "loop test"), SDP);
            await("B hears A", 5_000, () -> find(b, SDP));
            a.modified(config(Map.of("interface.name", "lo", "ip.addr", "127.0.0.1",
                    "sap.mcast.addr", "224.2.127.254")));
            await("B gets the deletion on the old group", 3_000,
                    () -> find(b, SDP).isEmpty() ? Optional.of(true) : Optional.empty());
            await("C hears the restarted engine on the new group", 3_000, () -> find(c, SDP));
            // the same datagram reached every socket that would get it: B, not joined to that group, must not
            assertEquals(Optional.empty(), find(b, SDP), "B hears only the groups it joined");
        } finally {
            c.deactivate();
        }
    }

    @Test
    void listensOnAnExtraGroup() throws Exception {
        // b announces on the default group and also listens on the RFC's 224.2.127.254; a announces there
        b = component(port, Map.of("sap.extra.groups", "224.2.127.254"));
        a = component(port, Map.of("sap.mcast.addr", "224.2.127.254"));
        a.sourceUpdated(source(1, "loop test"), SDP);
        await("B hears A on the extra group", 5_000, () -> find(b, SDP));
        assertEquals(List.of("224.2.127.254"), b.engine().settings().extraGroups());
    }

    @Test
    void extraGroupsFallBackToTheFrameworkProperty() {
        SapComponent c = new SapComponent(config(Map.of("interface.name", "nonexistent0")),
                "224.2.127.254, 239.255.255.254", port);
        try {
            assertEquals(null, c.engine(), "an unknown interface leaves SAP off instead of failing the component");
            SapSettings s = c.settings(config(Map.of("interface.name", "lo,eth1")));
            assertEquals(List.of("224.2.127.254", "239.255.255.254"), s.extraGroups());
            assertEquals("lo", s.interfaceName());
            assertEquals(List.of(), c.remoteSources());
            c.sourceUpdated(source(1, "x"), SDP); // no engine: remembered, nothing sent, no exception
        } finally {
            c.deactivate();
        }
    }

    /** The component's typed config from ConfigAdmin-style properties ("rtsp.port" for rtsp_port()), defaults else. */
    private static SapConfig config(Map<String, ?> properties) {
        return Converters.standardConverter().convert(properties).to(SapConfig.class);
    }
}
