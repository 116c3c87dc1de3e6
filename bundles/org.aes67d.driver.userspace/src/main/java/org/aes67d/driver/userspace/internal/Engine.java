package org.aes67d.driver.userspace.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.aes67d.api.ptp.PtpClock;
import org.aes67d.api.ptp.PtpState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real-time part of the driver: a clock thread that sends every source's packets on their PTP boundaries and
 * plays every sink out on time, and a receiver thread that waits on all sink sockets with one Selector.
 *
 * <p>Control code (start/stop from the Driver service) never shares a lock with these threads: it publishes new
 * copy-on-write arrays of streams through volatile fields, and before closing a removed stream it waits until
 * both threads have started a new cycle, so neither still uses it. The sinks' sockets reach the receiver the
 * same way: control builds a new Selector with them and hands it over, and wakes the receiver through a pipe of
 * its own. The JDK's selector takes, in {@code wakeup()}, registration and cancellation, monitors that its
 * selecting thread takes too (a control thread preempted while holding one held up every sink), and registering
 * from the receiver thread would allocate there (a ZGC allocation stall held it up for 58 ms under REST load).
 * The threads allocate nothing, log nothing and look up no services per packet.
 */
final class Engine {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    /** Settings of one engine (from the driver's configuration). */
    record Settings(int deviceRate, int deviceChannels, boolean loopback, int loopbackLatency, long spinNanos,
            long timerSlackNanos, int rtPriority) {
    }

    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int MAX_DATAGRAM = 65536;
    private static final long LATE_NANOS = 500_000;
    private static final long HOLD_NANOS = 2_000_000;
    /** How long adding a sink waits for its first packet (a few packet times; see {@link #primeSender}). */
    private static final long PRIME_MILLIS = 20;
    /**
     * The engine threads become real-time only after this: until the JIT has compiled them they run interpreted,
     * and at SCHED_FIFO they would starve the (normal priority) compiler threads on a small machine, until the
     * kernel's RT throttling stops them for hundreds of milliseconds.
     */
    private static final long REALTIME_AFTER_NANOS = 3_000_000_000L;

    private final Settings settings;
    private final VirtualDevice device;
    /** Control writes a byte to wake the receiver thread; the receiver drains it. Registered in every selector. */
    private final Pipe wakePipe;
    /** The selector with the current sinks' sockets, made by control; the receiver moves to it. */
    private volatile Selector nextSelector;
    /** The selector the receiver thread selects on; it writes this after leaving the previous one for good. */
    private volatile Selector receiverSelector;
    /** Selectors handed over before {@link #nextSelector}, to close once the receiver has moved on (control). */
    private final List<Selector> retiredSelectors = new ArrayList<>();
    private final Thread clockThread;
    private final Thread receiverThread;
    /** Raises the engine's and the JVM's threads once, off the audio path: a procfs scan there cost packets. */
    private final Thread schedulingThread;
    private final Pacer pacer;

    private volatile PtpClock clock;
    private volatile SourceStream[] sources = new SourceStream[0];
    private volatile SinkStream[] sinks = new SinkStream[0];
    private volatile boolean running = true;
    private volatile long clockCycles;
    private volatile long receiverCycles;
    private volatile boolean timerSlackSet;
    /** Linux ids of the engine threads, which each publishes as it starts (-1 until then). */
    private volatile int clockTid = -1;
    private volatile int receiverTid = -1;
    private volatile int realtimeThreads;
    /** The scheduling thread has done its one-time work (JNA, procfs: it allocates, and not on an engine thread). */
    private volatile boolean settled;
    private volatile long receiveErrors;
    private volatile long primedSinkSockets;
    private volatile long unprimedSinkSockets;
    /**
     * Receiver thread: the arrival time of the packet it is handling, 0 between selects. An old one tells the
     * clock thread that the receiver stalled amid its work (preempted, or held by the JVM) while it ran on.
     */
    private volatile long receiverBusySince;
    /**
     * Whether the JVM's VM thread runs real-time too (below every audio thread). It does the work of each
     * safepoint, the GC's pauses among it, while every engine thread waits; at normal priority the host's other
     * work stretched a 0.1 ms pause to 20-29 ms (REST hammer, 512 MB heap).
     */
    private volatile boolean vmThreadRealtime;

    // receiver thread only
    private final ByteBuffer datagram = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private final byte[] datagramBytes = new byte[MAX_DATAGRAM];
    private final ByteBuffer wakeBytes = ByteBuffer.allocateDirect(64);
    private final Consumer<SelectionKey> onReady = this::drain;

    Engine(Settings settings, PtpClock clock) throws IOException {
        this.settings = settings;
        this.clock = clock;
        this.device = new VirtualDevice(settings.deviceChannels(), settings.deviceRate(), settings.loopback(),
                settings.loopbackLatency());
        this.pacer = new Pacer(settings.spinNanos());
        this.wakePipe = Pipe.open();
        wakePipe.source().configureBlocking(false);
        wakePipe.sink().configureBlocking(false);
        this.nextSelector = selectorFor(sinks);
        this.receiverSelector = nextSelector;
        this.clockThread = new Thread(this::clockLoop, "aes67d-clock");
        this.receiverThread = new Thread(this::receiveLoop, "aes67d-rx");
        clockThread.setDaemon(true);
        receiverThread.setDaemon(true);
        clockThread.setPriority(Thread.MAX_PRIORITY);
        receiverThread.setPriority(Thread.MAX_PRIORITY);
        this.schedulingThread = new Thread(this::raiseThreads, "aes67d-sched");
        schedulingThread.setDaemon(true);
    }

    void start() {
        clockThread.start();
        receiverThread.start();
        schedulingThread.start();
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

    /** True once the JVM's VM thread runs real-time (see {@link #vmThreadRealtime}). */
    boolean vmThreadRealtime() {
        return vmThreadRealtime;
    }

    /** Engine threads that run with real-time priority (0, 1 or 2). */
    int realtimeThreads() {
        return realtimeThreads;
    }

    /** True once the engine's threads have their scheduling; from then on nothing in the engine allocates. */
    boolean settled() {
        return settled;
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

    /**
     * Starts {@code s} (its channel bound and joined), replacing and closing any sink with the same id; returns
     * once the receiver thread listens on its sockets.
     */
    synchronized void putSink(SinkStream s) throws IOException {
        s.channel.configureBlocking(false);
        LegMerger legs = s.legs();
        if (legs != null) {
            legs.leg(1).channel.configureBlocking(false);
        }
        primeSender(s.channel);
        if (legs != null) {
            primeSender(legs.leg(1).channel);
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
        SinkStream[] current = Arrays.copyOf(next, n);
        Selector selector = selectorFor(current); // may throw: then nothing has changed
        sinks = current;
        handOver(selector);
        LockSupport.unpark(clockThread);
        if (old != null) {
            quiesce();
            old.close();
        }
    }

    synchronized boolean removeSink(int id) {
        SinkStream old = sink(id);
        if (old == null) {
            return false;
        }
        SinkStream[] current = Arrays.stream(sinks).filter(x -> x != old).toArray(SinkStream[]::new);
        sinks = current;
        try {
            handOver(selectorFor(current));
        } catch (IOException e) {
            // no descriptor left for a selector: cancel the keys instead (a lock shared with the receiver)
            cancelKeys(receiverSelector, old.channel);
            if (old.legs() != null) {
                cancelKeys(receiverSelector, old.legs().leg(1).channel);
            }
        }
        quiesce();
        old.close();
        return true;
    }

    /**
     * Takes a new socket's first packet here, where allocating is harmless. On a channel's first receive (and
     * whenever the sender changes) the JDK decodes the sender's address into new objects (151 bytes); on the
     * receiver, with the heap full under REST load, that stalled it for 27-29 ms, and every sink with it. Dropping
     * the packet costs nothing: the sink has not started to play. No packet within {@link #PRIME_MILLIS} (the
     * source is not sending yet): the receiver decodes it, once.
     */
    private void primeSender(DatagramChannel ch) {
        try (Selector probe = Selector.open()) {
            ch.register(probe, SelectionKey.OP_READ);
            if (probe.select(PRIME_MILLIS) > 0 && ch.receive(ByteBuffer.allocate(MAX_DATAGRAM)) != null) {
                primedSinkSockets++;
                return;
            }
        } catch (IOException e) {
            // the receiver decodes it
        }
        unprimedSinkSockets++;
    }

    /** Sink sockets whose sender control decoded / whose first packet came after {@link #PRIME_MILLIS}. */
    long[] senderPriming() {
        return new long[] {primedSinkSockets, unprimedSinkSockets};
    }

    /**
     * A new selector with the wake pipe and every socket of {@code current}, ready for the receiver thread.
     */
    private Selector selectorFor(SinkStream[] current) throws IOException {
        Selector selector = Selector.open();
        try {
            wakePipe.source().register(selector, SelectionKey.OP_READ, wakePipe);
            for (SinkStream s : current) {
                LegMerger legs = s.legs();
                // a two-leg sink's sockets carry their leg
                s.channel.register(selector, SelectionKey.OP_READ, legs == null ? s : legs.leg(0));
                if (legs != null) {
                    legs.leg(1).channel.register(selector, SelectionKey.OP_READ, legs.leg(1));
                }
            }
            // a first blocking select applies the registrations and makes the selector's interrupt handler: both
            // allocate, so this thread does it, not the receiver
            selector.select(key -> { }, 1);
            return selector;
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
    }

    /**
     * Gives {@code selector} to the receiver thread, waits until it selects on it, and closes the previous one.
     * If the receiver does not come round within 2 s (stalled), the previous one is closed after a later hand-over.
     */
    private void handOver(Selector selector) {
        retiredSelectors.add(nextSelector);
        nextSelector = selector;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        long nextWake = 0;
        while (running && receiverThread.isAlive() && receiverSelector != selector
                && System.nanoTime() < deadline) {
            if (System.nanoTime() >= nextWake) {
                wakeReceiver();
                nextWake = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
            }
            LockSupport.parkNanos(100_000);
        }
        if (receiverSelector == selector || !receiverThread.isAlive()) {
            retiredSelectors.forEach(Engine::closeQuietly); // the receiver only moves on: all are left
            retiredSelectors.clear();
        }
    }

    private static void cancelKeys(Selector selector, DatagramChannel ch) {
        SelectionKey key = ch.keyFor(selector);
        if (key != null) {
            key.cancel();
        }
    }

    private static void closeQuietly(Selector selector) {
        try {
            selector.close(); // deregisters its keys; the sockets stay open
        } catch (IOException e) {
            // nothing to release
        }
    }

    /** Wakes the receiver thread from its select without touching the selector. */
    private void wakeReceiver() {
        try {
            wakePipe.sink().write(ByteBuffer.wrap(new byte[1])); // a full pipe: it is awake already
        } catch (IOException e) {
            // closed: the engine is stopping
        }
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
        long nextWake = 0;
        while (running && (clockCycles < c + 2 || receiverCycles < r + 2) && System.nanoTime() < deadline) {
            LockSupport.unpark(clockThread);
            if (receiverCycles < r + 2 && System.nanoTime() >= nextWake) {
                wakeReceiver();
                nextWake = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
            }
            LockSupport.parkNanos(100_000);
        }
    }

    /** Stops both threads and closes every stream and the selectors. */
    void close() {
        running = false;
        LockSupport.unpark(clockThread);
        LockSupport.unpark(schedulingThread);
        wakeReceiver();
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
            retiredSelectors.forEach(Engine::closeQuietly);
            retiredSelectors.clear();
            closeQuietly(nextSelector);
        }
        try {
            wakePipe.sink().close();
            wakePipe.source().close();
        } catch (IOException e) {
            // nothing registered any more
        }
    }

    // ---------------------------------------------------------------- engine threads

    private void clockLoop() {
        timerSlackSet = settings.timerSlackNanos() > 0 && Pacer.setTimerSlack(settings.timerSlackNanos());
        clockTid = Pacer.ownThreadId();
        long lastDeadline = System.nanoTime();
        long holdUntil = lastDeadline;
        while (running) {
            PtpClock clk = clock;
            boolean locked = clk != null && clk.state() == PtpState.LOCKED;
            long now = System.nanoTime();
            SinkStream[] snk = sinks;
            SourceStream[] src = sources;
            long deadline = now + (snk.length + src.length == 0 ? 50 * IDLE_NANOS : IDLE_NANOS);
            // Sinks first: in loopback a device source then sends what a sink has just played. After an
            // oversleep (GC, preemption) the sources that send from backends go first, so the sinks' catch-up
            // finds their packets already sent; device sources still follow the sinks.
            boolean late = now - lastDeadline > LATE_NANOS;
            long receiverBusy = receiverBusySince;
            if (late || receiverBusy != 0 && now - receiverBusy > LATE_NANOS) {
                // this thread overslept, or the receiver is held up with packets in hand: play what has arrived
                holdUntil = now + HOLD_NANOS;
            }
            if (late) {
                deadline = serviceSources(src, now, clk, locked, deadline, BACKEND_SOURCES);
            }
            long retry = Long.MAX_VALUE; // a sink waiting for packets looks again then (a sleep, no spin)
            for (SinkStream s : snk) {
                long pos = s.service(MediaTime.now(clk, now, s.rate), now < holdUntil);
                long at = MediaTime.localNanos(clk, pos, s.rate);
                if (s.waitingForPackets()) {
                    retry = Math.min(retry, at);
                } else {
                    deadline = Math.min(deadline, at);
                }
            }
            deadline = serviceSources(src, now, clk, locked, deadline, late ? DEVICE_SOURCES : ALL_SOURCES);
            lastDeadline = Math.min(deadline, retry);
            clockCycles++;
            if (retry < deadline - pacer.spinNanos()) {
                pacer.sleepUntil(retry);
            } else {
                pacer.waitUntil(deadline);
            }
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

    /**
     * The scheduling thread: once the engine threads have run {@link #REALTIME_AFTER_NANOS}, puts the clock thread
     * in SCHED_FIFO at {@code rt_priority}, the receiver one below (pacing preempts receiving on a shared CPU), the
     * VM thread three below; then it ends.
     */
    private void raiseThreads() {
        long at = System.nanoTime() + REALTIME_AFTER_NANOS;
        for (long wait = at - System.nanoTime(); running && wait > 0; wait = at - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
        int rt = Math.min(99, settings.rtPriority());
        if (running && rt > 0) {
            long started = System.nanoTime();
            int raised = (Pacer.setRealtime(clockTid, rt) ? 1 : 0)
                    + (Pacer.setRealtime(receiverTid, Math.max(1, rt - 1)) ? 1 : 0);
            vmThreadRealtime = Pacer.setRealtime(Pacer.threadId("VM Thread"), Math.max(1, rt - 3));
            realtimeThreads = raised;
            LOG.info("engine threads real-time: {} of 2 (SCHED_FIFO {}), VM thread {} ({} us)", raised, rt,
                    vmThreadRealtime ? "too" : "not", (System.nanoTime() - started) / 1000);
            if (raised < 2) {
                LOG.warn("engine threads not real-time (rt_priority {} needs root, CAP_SYS_NICE or an rtprio "
                        + "limit): other work on this host can delay packets", rt);
            }
        }
        settled = true;
    }

    private void receiveLoop() {
        receiverTid = Pacer.ownThreadId();
        while (running) {
            Selector selector = nextSelector;
            if (selector != receiverSelector) {
                receiverSelector = selector; // the previous one is left for good: control may close it
            }
            try {
                selector.select(onReady, 100);
            } catch (IOException | RuntimeException e) {
                receiveErrors++;
                LockSupport.parkNanos(IDLE_NANOS); // a broken selector must not spin
            }
            receiverBusySince = 0;
            receiverCycles++;
        }
    }

    private void drain(SelectionKey key) {
        if (key.attachment() == wakePipe) {
            drainWakes();
            return;
        }
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
                receiverBusySince = arrival;
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

    private void drainWakes() {
        try {
            do {
                wakeBytes.clear();
            } while (wakePipe.source().read(wakeBytes) > 0);
        } catch (IOException e) {
            receiveErrors++;
        }
    }
}
