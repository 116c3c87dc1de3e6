package org.aes67d.ptp.internal.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

import org.aes67d.api.ptp.PtpState;
import org.aes67d.ptp.internal.clock.VirtualClock;
import org.aes67d.ptp.internal.message.PtpMessage;

/**
 * A discrete-event network for {@link PtpPort}s: true time runs in ns, every node has its own local
 * oscillator (offset + frequency error) and a virtual clock; datagrams reach all other nodes after a
 * path delay plus Gaussian timestamp noise. Deterministic for a given seed.
 */
final class SimNetwork {

    final class Node implements PtpPort.Io, PtpPort.Listener {
        final String name;
        final long localOffset;
        final double drift;
        final VirtualClock clock;
        final PtpPort port;
        final List<PtpState> states = new ArrayList<>();
        final List<Long> stateTimes = new ArrayList<>();
        boolean alive = true;
        private final PtpMessage msg = new PtpMessage();

        Node(String name, PtpPort.Settings s, long localOffset, double drift, long initialPtp) {
            this.name = name;
            this.localOffset = localOffset;
            this.drift = drift;
            this.clock = new VirtualClock(local(now), initialPtp);
            this.port = new PtpPort(s, clock, this, this, local(now));
            schedule(now, () -> tick());
        }

        long local(long trueTime) {
            return localOffset + trueTime + (long) (trueTime * drift);
        }

        /** Our virtual clock reading at the current true time. */
        long ptpNow() {
            return clock.ptpTime(local(now));
        }

        private void tick() {
            if (!alive) {
                return;
            }
            long next = port.tick(local(now));
            long wait = Math.max(1_000_000, (long) ((next - local(now)) / (1 + drift)));
            schedule(now + wait, this::tick);
        }

        @Override
        public long sendEvent(byte[] buf, int len) {
            deliver(this, Arrays.copyOf(buf, len));
            return local(now) + (long) (random.nextGaussian() * txNoise);
        }

        @Override
        public void sendGeneral(byte[] buf, int len) {
            deliver(this, Arrays.copyOf(buf, len));
        }

        @Override
        public void stateChanged(PtpState s) {
            states.add(s);
            stateTimes.add(now);
        }

        void receive(byte[] b, long rxTrue) {
            if (!alive) {
                return;
            }
            long rxLocal = local(rxTrue) + (long) Math.abs(random.nextGaussian() * rxNoise);
            if (msg.parse(b, 0, b.length)) {
                port.onMessage(msg, rxLocal);
            } else {
                port.onRejected();
            }
        }
    }

    private record Event(long time, long seq, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
        }
    }

    final Random random;
    final long pathDelay;
    final double rxNoise;
    final double txNoise;
    final List<Node> nodes = new ArrayList<>();
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long seq;
    long now = 1_000_000_000L;

    SimNetwork(long seed, long pathDelay, double rxNoise, double txNoise) {
        this.random = new Random(seed);
        this.pathDelay = pathDelay;
        this.rxNoise = rxNoise;
        this.txNoise = txNoise;
    }

    Node add(String name, PtpPort.Settings s, long localOffset, double drift, long initialPtp) {
        Node n = new Node(name, s, localOffset, drift, initialPtp);
        nodes.add(n);
        return n;
    }

    void schedule(long t, Runnable r) {
        queue.add(new Event(t, seq++, r));
    }

    private void deliver(Node from, byte[] b) {
        long at = now + pathDelay;
        for (Node n : nodes) {
            if (n != from) {
                schedule(at, () -> n.receive(b, at));
            }
        }
    }

    /** Runs until true time {@code until}. */
    void runUntil(long until) {
        while (!queue.isEmpty() && queue.peek().time <= until) {
            Event e = queue.poll();
            now = e.time;
            e.action.run();
        }
        now = until;
    }

    /** Runs in steps of {@code step} until {@code done} holds or {@code until}; returns whether it held. */
    boolean runUntil(long until, long step, java.util.function.BooleanSupplier done) {
        while (now < until) {
            runUntil(Math.min(until, now + step));
            if (done.getAsBoolean()) {
                return true;
            }
        }
        return done.getAsBoolean();
    }
}
