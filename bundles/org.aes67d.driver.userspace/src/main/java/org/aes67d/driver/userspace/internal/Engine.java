package org.aes67d.driver.userspace.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.aes67d.api.ptp.PtpClock;
import org.aes67d.api.ptp.PtpState;

/**
 * The real-time part of the driver: a clock thread that sends every source's packets on their PTP boundaries and
 * plays every sink out on time, and a receiver thread that waits on all sink sockets with one Selector.
 *
 * <p>Control code (start/stop from the Driver service) never shares a lock with these threads: it publishes new
 * copy-on-write arrays of streams through volatile fields, and before closing a removed stream it waits until
 * both threads have started a new cycle, so neither still uses it. The threads allocate nothing, log nothing and
 * look up no services per packet.
 */
final class Engine {
    /** Settings of one engine (from the driver's configuration). */
    record Settings(int deviceRate, int deviceChannels, boolean loopback, int loopbackLatency, long spinNanos,
            long timerSlackNanos, int rtPriority) {
    }

    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int MAX_DATAGRAM = 65536;
    private static final long LATE_NANOS = 500_000;
    private static final long HOLD_NANOS = 2_000_000;
    /**
     * The engine threads become real-time only after this: until the JIT has compiled them they run interpreted,
     * and at SCHED_FIFO they would starve the (normal priority) compiler threads on a small machine, until the
     * kernel's RT throttling stops them for hundreds of milliseconds.
     */
    private static final long REALTIME_AFTER_NANOS = 3_000_000_000L;

    private final Settings settings;
    private final VirtualDevice device;
    private final Selector selector;
    private final Thread clockThread;
    private final Thread receiverThread;
    private final Pacer pacer;

    private volatile PtpClock clock;
    private volatile SourceStream[] sources = new SourceStream[0];
    private volatile SinkStream[] sinks = new SinkStream[0];
    private volatile boolean running = true;
    private volatile long clockCycles;
    private volatile long receiverCycles;
    private volatile boolean timerSlackSet;
    private final java.util.concurrent.atomic.AtomicInteger realtimeThreads =
            new java.util.concurrent.atomic.AtomicInteger();
    /** Engine threads past their one-time start-up steps (the real-time switch allocates, through JNA). */
    private final java.util.concurrent.atomic.AtomicInteger settledThreads =
            new java.util.concurrent.atomic.AtomicInteger();
    private volatile long receiveErrors;

    // receiver thread only
    private final ByteBuffer datagram = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private final byte[] datagramBytes = new byte[MAX_DATAGRAM];
    private final Consumer<SelectionKey> onReady = this::drain;

    Engine(Settings settings, PtpClock clock) throws IOException {
        this.settings = settings;
        this.clock = clock;
        this.device = new VirtualDevice(settings.deviceChannels(), settings.deviceRate(), settings.loopback(),
                settings.loopbackLatency());
        this.pacer = new Pacer(settings.spinNanos());
        this.selector = Selector.open();
        this.clockThread = new Thread(this::clockLoop, "aes67d-clock");
        this.receiverThread = new Thread(this::receiveLoop, "aes67d-rx");
        clockThread.setDaemon(true);
        receiverThread.setDaemon(true);
        clockThread.setPriority(Thread.MAX_PRIORITY);
        receiverThread.setPriority(Thread.MAX_PRIORITY);
    }

    void start() {
        clockThread.start();
        receiverThread.start();
    }

    Settings settings() {
        return settings;
    }

    VirtualDevice device() {
        return device;
    }

    void setClock(PtpClock clock) {
        this.clock = clock;
        LockSupport.unpark(clockThread);
    }

    PtpClock clock() {
        return clock;
    }

    long[] threadIds() {
        return new long[] {clockThread.getId(), receiverThread.getId()};
    }

    boolean timerSlackSet() {
        return timerSlackSet;
    }

    /** Engine threads that run with real-time priority (0, 1 or 2). */
    int realtimeThreads() {
        return realtimeThreads.get();
    }

    /** True once both engine threads have done their start-up steps; from then on they allocate nothing. */
    boolean settled() {
        return settledThreads.get() == 2;
    }

    /** Loop counts of the clock and receiver threads (for the watchdog; allocates, never call it per packet). */
    long[] progress() {
        return new long[] {clockCycles, receiverCycles};
    }

    long receiveErrors() {
        return receiveErrors;
    }

    // ---------------------------------------------------------------- control side (any thread but the engine's)

    /** Starts {@code s}, replacing and closing any source with the same id. */
    synchronized void putSource(SourceStream s) {
        SourceStream old = null;
        SourceStream[] cur = sources;
        SourceStream[] next = Arrays.copyOf(cur, cur.length + 1);
        int n = 0;
        for (SourceStream x : cur) {
            if (x.id == s.id) {
                old = x;
            } else {
                next[n++] = x;
            }
        }
        next[n++] = s;
        sources = Arrays.copyOf(next, n);
        LockSupport.unpark(clockThread);
        if (old != null) {
            quiesce();
            old.close();
        }
    }

    synchronized boolean removeSource(int id) {
        SourceStream[] cur = sources;
        SourceStream old = null;
        for (SourceStream x : cur) {
            if (x.id == id) {
                old = x;
            }
        }
        if (old == null) {
            return false;
        }
        final SourceStream gone = old;
        sources = Arrays.stream(cur).filter(x -> x != gone).toArray(SourceStream[]::new);
        quiesce();
        old.close();
        return true;
    }

    SourceStream source(int id) {
        for (SourceStream x : sources) {
            if (x.id == id) {
                return x;
            }
        }
        return null;
    }

    /** Starts {@code s} (its channel bound and joined), replacing and closing any sink with the same id. */
    synchronized void putSink(SinkStream s) throws IOException {
        s.channel.configureBlocking(false);
        LegMerger legs = s.legs();
        // does not wait for a select in progress; a two-leg sink's sockets carry their leg
        s.channel.register(selector, SelectionKey.OP_READ, legs == null ? s : legs.leg(0));
        if (legs != null) {
            legs.leg(1).channel.configureBlocking(false);
            legs.leg(1).channel.register(selector, SelectionKey.OP_READ, legs.leg(1));
        }
        SinkStream old = null;
        SinkStream[] cur = sinks;
        SinkStream[] next = Arrays.copyOf(cur, cur.length + 1);
        int n = 0;
        for (SinkStream x : cur) {
            if (x.id == s.id) {
                old = x;
            } else {
                next[n++] = x;
            }
        }
        next[n++] = s;
        sinks = Arrays.copyOf(next, n);
        selector.wakeup();
        LockSupport.unpark(clockThread);
        if (old != null) {
            retire(old);
        }
    }

    synchronized boolean removeSink(int id) {
        SinkStream old = sink(id);
        if (old == null) {
            return false;
        }
        sinks = Arrays.stream(sinks).filter(x -> x != old).toArray(SinkStream[]::new);
        retire(old);
        return true;
    }

    private void retire(SinkStream old) {
        SelectionKey key = old.channel.keyFor(selector);
        if (key != null) {
            key.cancel();
        }
        SelectionKey second = old.legs() == null ? null : old.legs().leg(1).channel.keyFor(selector);
        if (second != null) {
            second.cancel();
        }
        selector.wakeup();
        quiesce();
        old.close();
    }

    SinkStream sink(int id) {
        for (SinkStream x : sinks) {
            if (x.id == id) {
                return x;
            }
        }
        return null;
    }

    /** Waits until both engine threads began a new cycle after this call, so none holds an old array. */
    private void quiesce() {
        long c = clockCycles;
        long r = receiverCycles;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        selector.wakeup();
        while (running && (clockCycles < c + 2 || receiverCycles < r + 2) && System.nanoTime() < deadline) {
            LockSupport.unpark(clockThread);
            selector.wakeup();
            LockSupport.parkNanos(100_000);
        }
    }

    /** Stops both threads and closes every stream and the selector. */
    void close() {
        running = false;
        LockSupport.unpark(clockThread);
        selector.wakeup();
        try {
            clockThread.join(2000);
            receiverThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            for (SourceStream s : sources) {
                s.close();
            }
            for (SinkStream s : sinks) {
                s.close();
            }
            sources = new SourceStream[0];
            sinks = new SinkStream[0];
        }
        try {
            selector.close();
        } catch (IOException e) {
            // nothing registered any more
        }
    }

    // ---------------------------------------------------------------- engine threads

    private void clockLoop() {
        timerSlackSet = settings.timerSlackNanos() > 0 && Pacer.setTimerSlack(settings.timerSlackNanos());
        long rtAt = System.nanoTime() + REALTIME_AFTER_NANOS;
        long lastDeadline = System.nanoTime();
        long holdUntil = lastDeadline;
        while (running) {
            PtpClock clk = clock;
            boolean locked = clk != null && clk.state() == PtpState.LOCKED;
            long now = System.nanoTime();
            if (rtAt != 0 && now >= rtAt) {
                realtime(settings.rtPriority());
                rtAt = 0;
            }
            SinkStream[] snk = sinks;
            SourceStream[] src = sources;
            long deadline = now + (snk.length + src.length == 0 ? 50 * IDLE_NANOS : IDLE_NANOS);
            // Sinks first: in loopback a device source then sends what a sink has just played. After an
            // oversleep (GC, preemption) the sources that send from backends go first, so the sinks' catch-up
            // finds their packets already sent; device sources still follow the sinks.
            boolean late = now - lastDeadline > LATE_NANOS;
            if (late) {
                holdUntil = now + HOLD_NANOS;
                deadline = serviceSources(src, now, clk, locked, deadline, BACKEND_SOURCES);
            }
            for (SinkStream s : snk) {
                long pos = s.service(MediaTime.now(clk, now, s.rate), now < holdUntil);
                deadline = Math.min(deadline, MediaTime.localNanos(clk, pos, s.rate));
            }
            deadline = serviceSources(src, now, clk, locked, deadline, late ? DEVICE_SOURCES : ALL_SOURCES);
            lastDeadline = deadline;
            clockCycles++;
            pacer.waitUntil(deadline);
        }
    }

    private static final int ALL_SOURCES = 0;
    private static final int BACKEND_SOURCES = 1;
    private static final int DEVICE_SOURCES = 2;

    private static long serviceSources(SourceStream[] src, long now, PtpClock clk, boolean locked, long deadline,
            int which) {
        long d = deadline;
        for (SourceStream s : src) {
            if (which == ALL_SOURCES || (which == DEVICE_SOURCES) == s.fromDevice) {
                d = Math.min(d, s.service(now, clk, locked));
            }
        }
        return d;
    }

    private void realtime(int priority) {
        if (settings.rtPriority() > 0 && Pacer.setRealtime(Math.max(1, Math.min(99, priority)))) {
            realtimeThreads.incrementAndGet();
        }
        settledThreads.incrementAndGet();
    }

    private void receiveLoop() {
        long rtAt = System.nanoTime() + REALTIME_AFTER_NANOS;
        while (running) {
            if (rtAt != 0 && System.nanoTime() >= rtAt) {
                realtime(settings.rtPriority() - 1); // pacing preempts receiving on a shared CPU
                rtAt = 0;
            }
            try {
                selector.select(onReady, 100);
            } catch (IOException | RuntimeException e) {
                receiveErrors++;
                LockSupport.parkNanos(IDLE_NANOS); // a broken selector must not spin
            }
            receiverCycles++;
        }
    }

    private void drain(SelectionKey key) {
        LegMerger.Leg leg = key.attachment() instanceof LegMerger.Leg l ? l : null;
        SinkStream s = leg != null ? leg.merger.sink() : (SinkStream) key.attachment();
        DatagramChannel ch = (DatagramChannel) key.channel();
        try {
            for (int i = 0; i < 64; i++) { // bounded: one flooded socket must not starve the others
                datagram.clear();
                if (ch.receive(datagram) == null) {
                    return;
                }
                long arrival = System.nanoTime();
                int len = datagram.position();
                datagram.flip();
                datagram.get(datagramBytes, 0, len);
                PtpClock clk = clock;
                boolean locked = clk != null && clk.state() == PtpState.LOCKED;
                long engineNow = MediaTime.now(clk, arrival, s.rate);
                if (leg == null) {
                    s.onPacket(datagramBytes, len, arrival, engineNow, locked);
                } else {
                    s.onLegPacket(leg.index, datagramBytes, len, arrival, engineNow, locked);
                }
            }
        } catch (IOException e) {
            receiveErrors++; // closed while stopping, or ICMP errors: counted
        }
    }
}
