package org.aes67d.driver.userspace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;

import org.aes67d.api.session.SinkStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ST 2022-7 end to end in one JVM on lo: our two-leg source -> a user-space relay per leg (drops chosen packets,
 * takes a leg down for a while, delays a leg by 20 ms) -> our two-leg sink, recording bit-exact against the
 * reference, and the per-leg counters equal to what each relay dropped. The drops are by RTP sequence number, so
 * the two legs lose disjoint packets (the netns test does the same with nftables and real links).
 */
class RedundantLoopbackTest {
    private static final int RATE = 48000;
    private static final int FPP = 48;
    /** First sequence number seen by either relay: the drop patterns count from it. */
    private final AtomicInteger firstSeq = new AtomicInteger(-1);

    @TempDir
    Path media;

    @Test
    void disjointLossAnOutageAndA20msLagLoseNothing() throws Exception {
        int[] ref;
        Path in = media.resolve("in.wav");
        ref = Harness.writePrbsWav(in, RATE, 2, 24, RATE / 2 + 17, 13);
        try (Harness h = new Harness(media, false)) {
            h.driver.withSecondary(Net.of("lo", ""));
            // 10 % on leg A (every 10th packet, offset 3) and leg A down for packets 1000..1499;
            // 10 % on leg B (offset 7, never where A is down), and B 20 ms late
            Relay a = new Relay("239.69.13.1", 5030, "239.69.13.3", 5032, 0,
                    n -> n % 10 == 3 || (n >= 1000 && n < 1500));
            Relay b = new Relay("239.69.13.2", 5034, "239.69.13.4", 5036, 20_000_000L,
                    n -> n % 10 == 7 && !(n >= 1000 && n < 1500));
            try (a; b) {
                h.driver.startSink(Harness.withLeg(Harness.stream(1, "239.69.13.3", 5032, "L24", RATE, 2, FPP,
                        RATE / 4, "file:" + media.resolve("out.wav")), "239.69.13.4", 5036));
                a.start();
                b.start();
                h.driver.startSource(Harness.withLeg(Harness.stream(1, "239.69.13.1", 5030, "L24", RATE, 2, FPP,
                        0, "file:" + in), "239.69.13.2", 5034));
                SinkStream s = h.driver.engine().sink(1);
                Harness.await(() -> s.buffer().packets() >= 2500, 30, "2.5 s of merged packets");
                h.assumeNoStallBeyond(RATE / 4, RATE, 1);
                h.driver.stopSource(1);
                Harness.await(() -> a.idleFor(300_000_000L) && b.idleFor(300_000_000L), 10, "relays idle");
                SinkStatus st = h.driver.sinkStatus(1);
                List<Map<String, Object>> legs = st.legs();
                assertEquals(2, legs.size(), st.toString());
                assertEquals(a.dropped.get(), number(legs.get(0), "missing"), "leg A: " + legs);
                assertEquals(b.dropped.get(), number(legs.get(1), "missing"), "leg B: " + legs);
                assertEquals(a.forwarded.get(), number(legs.get(0), "received"), "leg A: " + legs);
                assertEquals(b.forwarded.get(), number(legs.get(1), "received"), "leg B: " + legs);
                assertTrue(a.dropped.get() >= 700 && b.dropped.get() >= 200, a.dropped + " " + b.dropped);
                assertEquals(0, s.buffer().concealedFrames(), "lost frames");
                // with leg B 20 ms late, a packet lost on A arrives after its successor: reordered, not lost
                assertEquals(0, s.counters()[VerifierCounters.LOST], "lost after the merge");
                assertEquals(0, s.buffer().lateFrames(), "late frames");
                assertFalse(st.someMuted(), "the source stopped on both legs: " + st);
                h.assumeRecordingComplete(1);
                h.driver.stopSink(1);
            }
        }
        int[] chOut = new int[1];
        int[] rec = Harness.readWav(media.resolve("out.wav"), chOut);
        Harness.Comparison c = Harness.compareLooped(ref, rec, 2, 0xFFFFFF00);
        assertTrue(c.bitExact(), c.toString());
        assertTrue(c.compared() >= 2L * RATE * 2, "at least 2 s compared: " + c);
    }

    private static long number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).longValue();
    }

    /** One leg's network: receives a group on lo, forwards to another group, dropping and delaying by rule. */
    private final class Relay implements AutoCloseable {
        final AtomicLong dropped = new AtomicLong();
        final AtomicLong forwarded = new AtomicLong();
        private final DatagramChannel rx;
        private final DatagramChannel tx;
        private final long delayNanos;
        private final IntPredicate drop;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long lastPacket = System.nanoTime();

        Relay(String inGroup, int inPort, String outGroup, int outPort, long delayNanos, IntPredicate drop)
                throws IOException {
            NetworkInterface lo = NetworkInterface.getByName("lo");
            rx = DatagramChannel.open(StandardProtocolFamily.INET);
            rx.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            rx.bind(new InetSocketAddress(InetAddress.getByName(inGroup), inPort));
            rx.join(InetAddress.getByName(inGroup), lo);
            rx.configureBlocking(false);
            tx = DatagramChannel.open(StandardProtocolFamily.INET);
            tx.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
            tx.bind(new InetSocketAddress("127.0.0.1", 0));
            tx.connect(new InetSocketAddress(InetAddress.getByName(outGroup), outPort));
            this.delayNanos = delayNanos;
            this.drop = drop;
            this.thread = new Thread(this::run, "relay " + inGroup);
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        boolean idleFor(long nanos) {
            return System.nanoTime() - lastPacket > nanos;
        }

        private void run() {
            ArrayDeque<Object[]> held = new ArrayDeque<>();
            ByteBuffer buf = ByteBuffer.allocate(2048);
            try {
                while (running) {
                    buf.clear();
                    if (rx.receive(buf) != null) {
                        buf.flip();
                        byte[] p = new byte[buf.remaining()];
                        buf.get(p);
                        lastPacket = System.nanoTime();
                        int seq = ((p[2] & 0xFF) << 8) | (p[3] & 0xFF);
                        firstSeq.compareAndSet(-1, seq);
                        int n = (seq - firstSeq.get()) & 0xFFFF;
                        if (drop.test(n)) {
                            dropped.incrementAndGet();
                        } else {
                            held.add(new Object[] {System.nanoTime() + delayNanos, p});
                        }
                        continue;
                    }
                    while (!held.isEmpty() && (long) held.peek()[0] <= System.nanoTime()) {
                        tx.write(ByteBuffer.wrap((byte[]) held.poll()[1]));
                        forwarded.incrementAndGet();
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                }
            } catch (IOException e) {
                // closed
            }
        }

        @Override
        public void close() throws Exception {
            running = false;
            thread.join(2000);
            rx.close();
            tx.close();
        }
    }
}
