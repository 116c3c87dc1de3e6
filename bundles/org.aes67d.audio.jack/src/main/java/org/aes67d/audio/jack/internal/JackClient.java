package org.aes67d.audio.jack.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongUnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The daemon's one JACK client. A supervisor thread opens it while there are streams (never starting a server),
 * registers every stream's ports, and when the server is missing or goes away (shutdown callback) reports it on
 * every stream and tries again every {@code retryMillis}, so a restarted jackd or PipeWire gets our ports back
 * without a restart of the daemon. JACK's process thread serves the streams of a copy-on-write array; control
 * code never shares a lock with it.
 */
final class JackClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JackClient.class);

    private final String wantedName;
    private final String server;
    private final long retryNanos;
    private final JackLib.Process process = this::process;
    private final JackLib.Shutdown shutdown = arg -> lost();
    private final JackLib.XRun xrun = this::xrun;
    private final Thread supervisor;

    private volatile JackStream[] streams = new JackStream[0];
    private volatile long cycles;
    /** Xruns the server reported to us (any client of its graph late, or the driver itself): one writer thread. */
    private volatile long serverXruns;
    private volatile boolean running = true;
    private volatile boolean serverGone;
    private volatile String name = "";
    private volatile int rate;
    private volatile int bufferSize;
    private volatile String error = "";
    /** Local monotonic nanoseconds to media-clock (PTP) nanoseconds. */
    private final LongUnaryOperator mediaClock;
    /** jack_get_cycle_times' out-parameters (process thread only). */
    private final Memory times = new Memory(32);
    private final long timesAddress = Pointer.nativeValue(times);
    private volatile long clientPeer;

    // supervisor / control, under this
    private Pointer client;

    JackClient(String wantedName, String server, int retryMillis, LongUnaryOperator mediaClock) {
        this.mediaClock = mediaClock;
        this.wantedName = wantedName;
        this.server = server;
        this.retryNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(10, retryMillis));
        this.supervisor = new Thread(this::supervise, "aes67d-jack-supervisor");
        supervisor.setDaemon(true);
        supervisor.start();
    }

    /** Process thread: one cycle. Allocates nothing. */
    private int process(int nframes, long arg) {
        long local = JackLib.jack_get_cycle_times(clientPeer, timesAddress, timesAddress + 8, timesAddress + 16,
                timesAddress + 24) == 0 ? times.getLong(8) * 1000 : System.nanoTime();
        long media = mediaClock.applyAsLong(local);
        for (JackStream s : streams) {
            s.process(nframes, media);
        }
        cycles++;
        return 0;
    }

    /** JACK's xrun notification. */
    private int xrun(long arg) {
        serverXruns++;
        return 0;
    }

    /** JACK's shutdown callback (the server stopped or threw us out). */
    private void lost() {
        serverGone = true;
        LockSupport.unpark(supervisor);
    }

    private void supervise() {
        while (running) {
            synchronized (this) {
                if (client != null && serverGone) {
                    closeClient("JACK server went away");
                }
                if (client == null && streams.length > 0) {
                    open();
                } else if (client != null && streams.length == 0) {
                    closeClient(null);
                }
            }
            LockSupport.parkNanos(retryNanos);
        }
    }

    private void open() {
        JackLib.Control jack;
        try {
            jack = JackLib.control();
        } catch (IllegalStateException e) {
            fail(e.getMessage());
            return;
        }
        IntByReference status = new IntByReference();
        Pointer c = server.isEmpty()
                ? jack.jack_client_open(wantedName, JackLib.JACK_NO_START_SERVER, status)
                : jack.jack_client_open(wantedName, JackLib.JACK_NO_START_SERVER | JackLib.JACK_SERVER_NAME, status,
                        server);
        if (c == null) {
            fail("cannot connect to the JACK server" + (server.isEmpty() ? "" : " \"" + server + "\"")
                    + " (status 0x" + Integer.toHexString(status.getValue()) + "): is jackd or PipeWire running?");
            return;
        }
        long peer = Pointer.nativeValue(c);
        clientPeer = peer;
        Native.setCallbackThreadInitializer(process, new CallbackThreadInitializer(true, false, "aes67d-jack"));
        JackLib.jack_set_process_callback(peer, process, 0);
        JackLib.jack_on_shutdown(peer, shutdown, 0);
        JackLib.jack_set_xrun_callback(peer, xrun, 0);
        serverGone = false;
        client = c;
        name = jack.jack_get_client_name(c);
        rate = jack.jack_get_sample_rate(c);
        bufferSize = jack.jack_get_buffer_size(c);
        for (JackStream s : streams) {
            register(jack, s);
        }
        int err = jack.jack_activate(c);
        if (err != 0) {
            closeClient("jack_activate failed (" + err + ")");
            return;
        }
        error = "";
        LOG.info("JACK client \"{}\" active: {} Hz, {} frames per cycle", name, rate, bufferSize);
        for (JackStream s : streams) {
            autoconnect(jack, s);
        }
    }

    private void fail(String reason) {
        boolean fresh = !reason.equals(error);
        error = reason;
        for (JackStream s : streams) {
            s.status.failed(reason);
        }
        if (fresh && running) {
            LOG.warn("JACK: {}; retrying every {} ms", reason, TimeUnit.NANOSECONDS.toMillis(retryNanos));
        }
    }

    private void closeClient(String reason) {
        for (JackStream s : streams) {
            s.ports = null;
        }
        Pointer c = client;
        client = null;
        name = "";
        if (!serverGone) {
            JackLib.control().jack_deactivate(c);
        }
        JackLib.control().jack_client_close(c);
        if (reason != null) {
            fail(reason);
        }
    }

    /** Registers {@code s}'s ports on the open client; a failure is the stream's error. */
    private void register(JackLib.Control jack, JackStream s) {
        if (s.rate != rate) {
            s.status.failed("JACK runs at " + rate + " Hz, the stream at " + s.rate + " Hz");
            return;
        }
        long[] handles = new long[s.channels];
        List<Pointer> made = new ArrayList<>();
        for (int c = 0; c < s.channels; c++) {
            Pointer p = jack.jack_port_register(client, s.portName(c), JackLib.AUDIO_TYPE,
                    new NativeLong(s.input ? JackLib.PORT_IS_INPUT : JackLib.PORT_IS_OUTPUT), new NativeLong(0));
            if (p == null) {
                for (Pointer m : made) {
                    jack.jack_port_unregister(client, m);
                }
                s.status.failed("cannot register JACK port " + name + ":" + s.portName(c) + " (name in use?)");
                return;
            }
            made.add(p);
            handles[c] = Pointer.nativeValue(p);
        }
        s.bridge.retarget(Math.max(s.marginFrames, 2 * bufferSize));
        s.status.running("F32", bufferSize, bufferSize, s.bridge.target());
        s.ports = handles;
    }

    /** Connects port i of {@code s} to the i-th other port whose name starts with its {@code connect} option. */
    private void autoconnect(JackLib.Control jack, JackStream s) {
        if (s.connect.isEmpty() || s.ports == null) {
            return;
        }
        Pointer list = jack.jack_get_ports(client, null, JackLib.AUDIO_TYPE,
                new NativeLong(s.input ? JackLib.PORT_IS_OUTPUT : JackLib.PORT_IS_INPUT));
        if (list == null) {
            return;
        }
        String[] names;
        try {
            names = list.getStringArray(0);
        } finally {
            jack.jack_free(list);
        }
        String ours = name + ":";
        String[] peers = Arrays.stream(names).filter(n -> n.startsWith(s.connect) && !n.startsWith(ours))
                .toArray(String[]::new);
        for (int c = 0; c < Math.min(peers.length, s.channels); c++) {
            String mine = ours + s.portName(c);
            int err = s.input ? jack.jack_connect(client, peers[c], mine) : jack.jack_connect(client, mine, peers[c]);
            if (err != 0 && err != 17) { // 17: EEXIST, already connected
                LOG.warn("JACK: cannot connect {} and {} ({})", peers[c], mine, err);
            }
        }
    }

    synchronized void add(JackStream s) {
        for (JackStream x : streams) {
            if (x.prefix.equals(s.prefix)) {
                throw new IllegalArgumentException("jack ports \"" + s.prefix + "_*\" are used by " + x.status.io());
            }
        }
        JackStream[] next = Arrays.copyOf(streams, streams.length + 1);
        next[next.length - 1] = s;
        streams = next;
        if (client != null) {
            JackLib.Control jack = JackLib.control();
            register(jack, s);
            autoconnect(jack, s);
        } else {
            if (!error.isEmpty()) {
                s.status.failed(error);
            }
            LockSupport.unpark(supervisor);
        }
    }

    synchronized void remove(JackStream s) {
        JackStream[] cur = streams;
        if (Arrays.stream(cur).noneMatch(x -> x == s)) {
            return;
        }
        streams = Arrays.stream(cur).filter(x -> x != s).toArray(JackStream[]::new);
        long[] handles = s.ports;
        s.ports = null;
        if (client != null && handles != null) {
            quiesce();
            JackLib.Control jack = JackLib.control();
            for (long h : handles) {
                jack.jack_port_unregister(client, new Pointer(h));
            }
        }
        LockSupport.unpark(supervisor);
    }

    /** Waits (bounded) until the process thread began two cycles, so none still uses a removed stream. */
    private void quiesce() {
        long c = cycles;
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        while (cycles < c + 2 && System.nanoTime() < until && !serverGone) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    String name() {
        return name;
    }

    int rate() {
        return rate;
    }

    int bufferSize() {
        return bufferSize;
    }

    String error() {
        return error;
    }

    boolean active() {
        return !name.isEmpty();
    }

    JackStream[] streams() {
        return streams;
    }

    long cycles() {
        return cycles;
    }

    long serverXruns() {
        return serverXruns;
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(supervisor);
        try {
            supervisor.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (client != null) {
                closeClient(null);
            }
        }
    }
}
