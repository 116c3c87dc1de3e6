package org.aes67d.discovery.mdns.internal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.aes67d.api.discovery.RemoteSource;
import org.aes67d.api.session.Sink;
import org.osgi.util.converter.Converters;

/**
 * Run by {@link AvahiInteropTest} in the namespace of our node (veth {@code -Dif}, address {@code -Daddr}): publishes
 * a session, its node and a sink, answers DESCRIBE (stub server on {@code -Drtsp.port}, also for the session avahi
 * publishes with its host pointing here), prints AVAHI-SEEN once our browser lists avahi's session, then READY, and
 * keeps publishing until a line arrives on stdin.
 */
public final class AvahiInteropProbe {
    static final String SDP = "v=0\no=- 77 1 IN IP4 %s\ns=NodeA tone\nt=0 0\nm=audio 5004 RTP/AVP 97\n";
    static final String PEER_SDP = "v=0\no=- 78 1 IN IP4 %s\ns=Avahi peer tone\nt=0 0\nm=audio 5006 RTP/AVP 97\n";

    public static void main(String[] args) throws Exception {
        String iface = System.getProperty("if");
        String addr = System.getProperty("addr");
        int port = Integer.getInteger("rtsp.port");
        MdnsComponent a = null;
        try (StubRtspServer rtsp = new StubRtspServer(InetAddress.getByName(addr), port)) {
            String sdp = String.format(SDP, addr);
            String peer = String.format(PEER_SDP, addr);
            rtsp.sdpByPath.put("/by-name/NodeA tone", sdp);
            rtsp.sdpByPath.put("/by-name/Avahi peer tone", peer);
            MdnsConfig c = Converters.standardConverter().convert(Map.of("interface.name", iface, "ip.addr", addr,
                    "node.id", "NodeA", "rtsp.port", port)).to(MdnsConfig.class);
            a = new MdnsComponent(c, 8080, JmdnsBackend::open, 200);
            a.sessions = MdnsComponentTest.sessionsWith(List.of(new Sink(0, "monitor", "io", true, "", sdp, 48,
                    false, List.of(0, 1))));
            a.sourceUpdated(MdnsComponentTest.source(1, "tone"), sdp);
            MdnsComponent node = a;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (node.remoteSources().stream().noneMatch(r -> r.name().equals("Avahi peer tone"))) {
                if (System.nanoTime() > deadline) {
                    System.out.println("FAIL our browser did not list avahi's session: " + node.remoteSources()
                            + " " + node.stats());
                    System.exit(1);
                }
                Thread.sleep(50); // polling step; the deadline decides
            }
            RemoteSource r = node.remoteSources().stream().filter(x -> x.name().equals("Avahi peer tone"))
                    .findFirst().orElseThrow();
            System.out.println("AVAHI-SEEN id=" + r.id() + " address=" + r.address() + " sdp-equal="
                    + r.sdp().equals(peer) + " own-listed=" + node.remoteSources().stream()
                    .anyMatch(x -> x.name().equals("NodeA tone")));
            long settle = System.nanoTime() + 30_000_000_000L;
            while (!node.settled() && System.nanoTime() < settle) {
                Thread.sleep(50); // polling step; the deadline decides
            }
            System.out.println("READY");
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } finally {
            if (a != null) {
                a.deactivate();
            }
        }
        System.out.println("DONE");
        System.exit(0);
    }
}
