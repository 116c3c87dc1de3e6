package org.aes67d.discovery.mdns.internal;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

import org.aes67d.api.discovery.RemoteSource;

/**
 * Run by {@link MdnsFloodTest} (and the benchmark) inside a private network namespace: a browsing node gets
 * {@code flood} well-formed service responses with distinct names (half with the session subtype) and
 * {@code mutated} corrupted packets; afterwards its responder must still run, a real session published after the
 * flood must be found, the tables must be within their bounds, and the retained heap must stay flat. Prints the
 * figures; exit 0 when all holds.
 */
public final class MdnsFloodProbe {
    public static void main(String[] args) throws Exception {
        int flood = Integer.getInteger("flood", 20_000);
        int mutated = Integer.getInteger("mutated", 5_000);
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        MdnsComponent a = null;
        MdnsComponent b = null;
        try (StubRtspServer rtsp = new StubRtspServer(lo);
                MulticastSocket out = new MulticastSocket(0)) {
            out.setInterface(lo);
            b = MdnsNetnsProbe.node("NodeB", rtsp.port());
            MdnsComponent browser = b;
            check("B running", browser::active, 20);
            long before = retainedBytes();
            long t0 = System.nanoTime();
            Random random = new Random(11);
            InetSocketAddress group = new InetSocketAddress("224.0.0.251", 5353);
            for (int i = 0; i < flood; i++) {
                byte[] p = response(i, i % 2 == 0);
                out.send(new DatagramPacket(p, p.length, group));
                if (i < mutated) {
                    byte[] m = response(flood + i, true);
                    for (int k = 0; k < 1 + random.nextInt(6); k++) {
                        m[random.nextInt(m.length)] = (byte) random.nextInt(256);
                    }
                    out.send(new DatagramPacket(m, m.length, group));
                }
                if (i % 200 == 0) {
                    Thread.sleep(1); // pace: a socket buffer overrun would only test the kernel
                }
            }
            long sendMillis = (System.nanoTime() - t0) / 1_000_000;
            // and some that certainly do not parse (answers announced, none there), paced so none is dropped
            for (int i = 0; i < 20; i++) {
                byte[] bad = truncated();
                out.send(new DatagramPacket(bad, bad.length, group));
                Thread.sleep(5); // pacing, not synchronisation
            }
            // counted when they reach jmDNS; after a flood the socket buffer may have dropped them, so this is a
            // figure here (MdnsNetnsProbe asserts the counting on a quiet network)
            awaitQuietly(() -> browser.stats().get("malformed_packets") > 0, 10);
            // the flood records expire or are trimmed; then a real session must still be found
            String sdp = MdnsNetnsProbe.SDP.replace("NodeA mic", "NodeA after");
            rtsp.sdpByPath.put("/by-name/NodeA after", sdp);
            a = MdnsNetnsProbe.node("NodeA", rtsp.port());
            a.sourceUpdated(MdnsComponentTest.source(1, "after"), sdp);
            long t1 = System.nanoTime();
            check("a session published after the flood is found", () -> browser.remoteSources().stream()
                    .anyMatch(r -> r.name().equals("NodeA after") && r.sdp().equals(sdp)), 120);
            long foundMillis = (System.nanoTime() - t1) / 1_000_000;
            List<RemoteSource> listed = b.remoteSources();
            long after = retainedBytes();
            Map<String, Long> stats = b.stats();
            System.out.println("FLOOD sent=" + flood + " mutated=" + Math.min(flood, mutated) + " in " + sendMillis
                    + "ms; found-after=" + foundMillis + "ms; listed=" + listed.size() + " retained-before="
                    + before / 1024 + "KiB retained-after=" + after / 1024 + "KiB delta=" + (after - before) / 1024
                    + "KiB stats=" + stats + " active=" + b.active());
            if (!b.active() || stats.get("restarts") != 0) {
                throw new AssertionError("responder not running untouched: " + stats);
            }
            if (listed.size() > RemoteSessions.MAX_SESSIONS) {
                throw new AssertionError("table over its bound: " + listed.size());
            }
            System.out.println("DONE");
        } catch (AssertionError e) {
            System.out.println("FAIL " + e.getMessage() + (b == null ? "" : " stats=" + b.stats()));
            System.exit(1);
        } finally {
            if (a != null) {
                a.deactivate();
            }
            if (b != null) {
                b.deactivate();
            }
        }
        System.exit(0);
    }

    /** Heap in use after full collections (what is retained). */
    static long retainedBytes() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100); // let the collector finish; the minimum of three is taken
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }

    /** An mDNS response announcing {@code flood-<i>._rtsp._tcp.local.}: PTR (+ subtype PTR), SRV, TXT and A. */
    /** A response whose one answer's name is a compression pointer to itself: no parser can read it. */
    static byte[] truncated() {
        return new byte[] {0, 0, (byte) 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, (byte) 0xC0, 12, 0, 12, 0, 1, 0, 0, 0, 120,
            0, 2, (byte) 0xC0, 12};
    }

    static byte[] response(int i, boolean subtype) {
        String instance = "flood-" + i + "._rtsp._tcp.local";
        String host = "fh-" + i + ".local";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int answers = subtype ? 5 : 4;
        b.writeBytes(new byte[] {0, 0, (byte) 0x84, 0, 0, 0, 0, (byte) answers, 0, 0, 0, 0});
        record(b, "_rtsp._tcp.local", 12, 1, 4500, name(instance));
        if (subtype) {
            record(b, "_ravenna_session._sub._rtsp._tcp.local", 12, 1, 4500, name(instance));
        }
        ByteArrayOutputStream srv = new ByteArrayOutputStream();
        srv.writeBytes(new byte[] {0, 0, 0, 0, 0, 9});
        srv.writeBytes(name(host));
        record(b, instance, 33, 0x8001, 120, srv.toByteArray());
        record(b, instance, 16, 0x8001, 4500, new byte[] {6, 'p', 'a', 't', 'h', '=', '/'});
        record(b, host, 1, 0x8001, 120, new byte[] {10, 11, (byte) (i >> 8), (byte) i});
        return b.toByteArray();
    }

    private static void record(ByteArrayOutputStream b, String name, int type, int cls, int ttl, byte[] rdata) {
        b.writeBytes(name(name));
        b.writeBytes(new byte[] {(byte) (type >> 8), (byte) type, (byte) (cls >> 8), (byte) cls, (byte) (ttl >> 24),
                (byte) (ttl >> 16), (byte) (ttl >> 8), (byte) ttl, (byte) (rdata.length >> 8), (byte) rdata.length});
        b.writeBytes(rdata);
    }

    private static byte[] name(String dotted) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String label : dotted.split("\\.")) {
            byte[] l = label.getBytes(StandardCharsets.UTF_8);
            b.write(l.length);
            b.writeBytes(l);
        }
        b.write(0);
        return b.toByteArray();
    }

    private static void awaitQuietly(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling step; the deadline decides
        }
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
