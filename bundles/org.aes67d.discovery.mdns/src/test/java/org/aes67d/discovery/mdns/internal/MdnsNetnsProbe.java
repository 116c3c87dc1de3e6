package org.aes67d.discovery.mdns.internal;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;

import org.aes67d.api.discovery.RemoteSource;
import org.aes67d.api.session.Sink;
import org.osgi.util.converter.Converters;

/**
 * Run by {@link MdnsNetnsTest} inside a private network namespace (lo with a 224/4 route, nothing else), so real
 * jmDNS traffic never leaves it. Two nodes in one JVM, each with its own jmDNS responder on lo: A publishes a
 * session (answered by a stub RTSP server), a sink and its node; B must find and DESCRIBE A's session; a third
 * plain jmDNS looks at the records as a controller would. Prints one line per finding; exit 0 = all seen.
 */
public final class MdnsNetnsProbe {
    static final String SDP = "v=0\no=- 42 1 IN IP4 127.0.0.1\ns=NodeA mic\nt=0 0\nm=audio 5004 RTP/AVP 97\n";

    public static void main(String[] args) throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        MdnsComponent a = null;
        MdnsComponent b = null;
        try (StubRtspServer rtsp = new StubRtspServer(lo)) {
            rtsp.sdpByPath.put("/by-name/NodeA mic", SDP);
            a = node("NodeA", rtsp.port());
            a.sessions = MdnsComponentTest.sessionsWith(List.of(new Sink(0, "monitor", "io", true, "", SDP, 48,
                    false, List.of(0, 1))));
            a.sourceUpdated(MdnsComponentTest.source(1, "mic"), SDP);
            b = node("NodeB", rtsp.port());
            MdnsComponent browser = b;
            check("B lists A's session", () -> browser.remoteSources().stream()
                    .anyMatch(r -> r.name().equals("NodeA mic") && r.sdp().equals(SDP)));
            RemoteSource r = b.remoteSources().stream().filter(x -> x.name().equals("NodeA mic")).findFirst()
                    .orElseThrow();
            System.out.println("FOUND id=" + r.id() + " domain=" + r.domain() + " address=" + r.address());
            MdnsComponent self = a;
            check("A lists its own session", () -> self.remoteSources().stream()
                    .anyMatch(x -> x.name().equals("NodeA mic")));
            System.out.println("FOUND-SELF");

            JmDNS controller = JmDNS.create(lo, "controller");
            try {
                // as a controller on jmDNS sees it: subtype browsing is not delivered by jmDNS 3.6, but the
                // subtype PTRs it hears are, per base type
                for (String type : List.of("_rtsp._tcp.local.", "_http._tcp.local.", MdnsRecords.SINK_TYPE)) {
                    for (Map.Entry<String, ServiceInfo[]> e : controller.listBySubtype(type, 6000).entrySet()) {
                        for (ServiceInfo i : e.getValue()) {
                            System.out.println("CONTROLLER " + type + " sub=" + e.getKey() + " name=" + i.getName()
                                    + " port=" + i.getPort() + " txt=" + txt(i));
                        }
                    }
                }
            } finally {
                controller.close();
            }

            a.sourceRemoved(MdnsComponentTest.source(1, "mic"), SDP);
            check("B drops A's session after its goodbye", () -> browser.remoteSources().stream()
                    .noneMatch(x -> x.name().equals("NodeA mic")));
            System.out.println("REMOVED");
            try (java.net.MulticastSocket bad = new java.net.MulticastSocket(0)) {
                bad.setInterface(lo);
                byte[] p = MdnsFloodProbe.truncated();
                for (int i = 0; i < 5; i++) {
                    bad.send(new java.net.DatagramPacket(p, p.length, new java.net.InetSocketAddress("224.0.0.251",
                            5353)));
                }
            }
            // jmDNS drops most unparsable packets itself; those that reach its recover() are counted. Either way
            // the responder must keep running untouched
            long until = System.nanoTime() + 3_000_000_000L;
            while (browser.stats().get("malformed_packets") == 0 && System.nanoTime() < until) {
                Thread.sleep(20); // polling step; the deadline decides
            }
            check("responder kept after corrupted packets", () -> browser.stats().get("restarts") == 0
                    && browser.active());
            System.out.println("MALFORMED counted=" + browser.stats().get("malformed_packets"));
            scale(a, browser, rtsp, Integer.getInteger("sources", 64));
        } catch (AssertionError e) {
            System.out.println("FAIL " + e.getMessage());
            System.exit(1);
        } finally {
            if (a != null) {
                a.deactivate();
            }
            if (b != null) {
                b.deactivate();
            }
        }
        System.out.println("DONE");
        System.exit(0);
    }

    /**
     * N sources published by A at once, browsed by B: all visible, one updated (ANNOUNCE on the kept connection and a
     * re-published record), all deleted. Prints the timings; fails only past generous deadlines.
     */
    static void scale(MdnsComponent a, MdnsComponent b, StubRtspServer rtsp, int n) throws Exception {
        // as in a running daemon: both responders up and their host names announced before sources come
        check("both nodes running", () -> a.settled() && b.settled(), 60);
        List<String> names = new java.util.ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String name = "NodeA s" + i;
            names.add(name);
            String sdp = SDP.replace("NodeA mic", name).replace(" 42 ", " " + (100 + i) + " ");
            rtsp.sdpByPath.put("/by-name/" + name, sdp);
            a.sourceUpdated(MdnsComponentTest.source(i, "s" + i), sdp);
        }
        long calls = millisSince(t0);
        check(n + " sources visible in B", () -> b.remoteSources().stream().filter(r -> names.contains(r.name()))
                .count() == n, 60);
        long visible = millisSince(t0);
        check("A settled", a::settled, 60);
        long settled = millisSince(t0);
        System.out.println("SCALE n=" + n + " publish-calls=" + calls + "ms all-visible=" + visible
                + "ms all-announced=" + settled + "ms");

        String changed = rtsp.sdpByPath.get("/by-name/NodeA s0").replace(" 1 IN", " 2 IN");
        long t1 = System.nanoTime();
        rtsp.announce("/by-name/NodeA s0", changed);
        a.sourceUpdated(MdnsComponentTest.source(0, "s0"), changed);
        check("update visible in B", () -> b.remoteSources().stream()
                .anyMatch(r -> r.name().equals("NodeA s0") && r.sdp().equals(changed)), 30);
        System.out.println("SCALE update-visible=" + millisSince(t1) + "ms");
        check("A settled after the re-publish", a::settled, 60);

        long t2 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            a.sourceRemoved(MdnsComponentTest.source(i, "s" + i), "");
        }
        check("all gone from B", () -> b.remoteSources().stream().noneMatch(r -> names.contains(r.name())), 60);
        System.out.println("SCALE all-gone=" + millisSince(t2) + "ms stats-a=" + a.stats() + " stats-b=" + b.stats());
    }

    private static long millisSince(long t) {
        return (System.nanoTime() - t) / 1_000_000;
    }

    static MdnsComponent node(String nodeId, int rtspPort) {
        MdnsConfig c = Converters.standardConverter().convert(Map.of("interface.name", "lo", "ip.addr", "127.0.0.1",
                "node.id", nodeId, "rtsp.port", rtspPort)).to(MdnsConfig.class);
        return new MdnsComponent(c, 8080, JmdnsBackend::open, 200);
    }

    private static String txt(ServiceInfo i) {
        StringBuilder sb = new StringBuilder();
        for (String k : java.util.Collections.list(i.getPropertyNames())) {
            sb.append(k).append('=').append(i.getPropertyString(k)).append(';');
        }
        return sb.toString();
    }

    private static void check(String what, BooleanSupplier condition) throws InterruptedException {
        check(what, condition, 20);
    }

    private static void check(String what, BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(20); // polling step; the deadline decides
        }
    }

}
