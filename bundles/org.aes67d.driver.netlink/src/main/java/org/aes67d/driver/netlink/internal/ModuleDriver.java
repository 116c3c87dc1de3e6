package org.aes67d.driver.netlink.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import org.aes67d.api.driver.Driver;
import org.aes67d.api.driver.DriverException;
import org.aes67d.api.driver.StreamDescription;
import org.aes67d.api.driver.StreamRejectedException;
import org.aes67d.api.ptp.PtpState;
import org.aes67d.api.ptp.PtpStatus;
import org.aes67d.api.session.SinkStatus;
import org.aes67d.driver.netlink.internal.transport.NlTransport;
import org.aes67d.driver.netlink.internal.wire.Abi;
import org.aes67d.driver.netlink.internal.wire.ModuleError;
import org.aes67d.driver.netlink.internal.wire.ModulePtpConfig;
import org.aes67d.driver.netlink.internal.wire.ModulePtpStatus;
import org.aes67d.driver.netlink.internal.wire.MsgId;
import org.aes67d.driver.netlink.internal.wire.NlCodec;
import org.aes67d.driver.netlink.internal.wire.NlMessage;
import org.aes67d.driver.netlink.internal.wire.StreamInfo;
import org.aes67d.driver.netlink.internal.wire.StreamStatus;
import org.aes67d.driver.netlink.internal.wire.WireException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Driver on the kernel module, as the C++ daemon drives it: Hello, ABI probe (the size of the GetPTPStatus
 * reply), the start-up configuration, one Add_RTPStream per stream, PTP status polled, events answered. A monitor
 * thread connects, polls, and after a loss (no reply, send failure) says Hello again every
 * {@link Settings#retryMillis()} and re-adds every stream once the module is back. Independent of OSGi.
 */
final class ModuleDriver implements Driver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModuleDriver.class);
    static final String SYSFS = "/sys/module/MergingRavennaALSA";

    /** Opens a transport for one connection attempt (the AF_NETLINK one, or the simulated module's). */
    interface TransportFactory {
        NlTransport create() throws IOException;
    }

    /** Told of connection and PTP changes, on the monitor thread. */
    interface Listener {
        void connected(ModuleDriver d);

        void lost(ModuleDriver d, String reason);

        void ptpChanged(PtpStatus status);
    }

    /**
     * The daemon.conf values the C++ daemon gives the module.
     *
     * @param interfaceName {@code interface_name} (spaces are removed)
     * @param ipAddr preferred own address
     * @param sampleRate {@code sample_rate}
     * @param ticFrameSize {@code tic_frame_size_at_1fs}, clamped to 1..192
     * @param maxTicFrameSize {@code max_tic_frame_size}, clamped to tic..1024
     * @param playoutDelay {@code playout_delay}, at most 4000
     * @param ptpDomain {@code ptp_domain}
     * @param ptpDscp {@code ptp_dscp}
     * @param timeoutMillis reply and Hello timeout (1000 as the C++ daemon)
     * @param pollMillis PTP status poll interval (10 000 as the C++ daemon)
     * @param retryMillis interval of Hello attempts while the module is away
     */
    record Settings(String interfaceName, String ipAddr, int sampleRate, int ticFrameSize, int maxTicFrameSize,
            int playoutDelay, int ptpDomain, int ptpDscp, int timeoutMillis, int pollMillis, int retryMillis) {
        Settings {
            interfaceName = interfaceName.replace(" ", "");
            ticFrameSize = Math.max(1, Math.min(192, ticFrameSize));
            maxTicFrameSize = Math.max(ticFrameSize, Math.min(1024, maxTicFrameSize));
            playoutDelay = Math.max(0, Math.min(4000, playoutDelay));
        }

        /** Whether a change of these needs the full restart (Start, Reset, ...) the C++ daemon does. */
        boolean needsRestart(Settings o) {
            return !interfaceName.equals(o.interfaceName) || ticFrameSize != o.ticFrameSize
                    || maxTicFrameSize != o.maxTicFrameSize || !ipAddr.equals(o.ipAddr);
        }
    }

    /** A stream as asked for and its kernel handle (0 while it is not in the module). */
    private record Stream(StreamDescription desc, StreamInfo info, long handle) {
    }

    private final TransportFactory factory;
    private final Listener listener;
    private final ModuleEvents events = new ModuleEvents();
    private final Map<Integer, Stream> sources = new ConcurrentHashMap<>();
    private final Map<Integer, Stream> sinks = new ConcurrentHashMap<>();
    /** Serialises stream changes and (re)connects; the event thread never takes it. */
    private final Object streamsLock = new Object();
    private final Object wakeup = new Object();
    private volatile Settings settings;
    private volatile NetInfo net;
    private volatile ModuleLink link;
    private volatile Abi abi;
    private volatile boolean ready;
    private volatile boolean running;
    private volatile String problem = "not started";
    private volatile ModulePtpStatus ptp;
    private volatile int currentRate;
    private volatile boolean refusedWhileAway;
    private volatile boolean restartWanted;
    private volatile String transportName = "none yet";
    private Thread monitor;

    ModuleDriver(TransportFactory factory, Settings settings, Listener listener) {
        this.factory = factory;
        this.settings = settings;
        this.listener = listener;
        this.currentRate = settings.sampleRate();
        this.net = NetInfo.of(settings.interfaceName(), settings.ipAddr());
    }

    /** One attempt: Hello, ABI probe, start-up configuration, streams. Returns null, or why it failed. */
    String connectOnce() {
        synchronized (streamsLock) {
            if (ready) {
                return null;
            }
            ModuleLink l = null;
            try {
                NlTransport t = factory.create();
                transportName = t.describe();
                l = new ModuleLink(t, events, settings.timeoutMillis());
                l.open();
                link = l;
                l.command(MsgId.HELLO, new byte[0]);
                NlMessage st = l.command(MsgId.GET_PTP_STATUS, new byte[0]);
                Abi found = Abi.ofPtpStatusSize(st.payload().length);
                if (found == null) {
                    throw new ModuleError(ModuleError.INVALID_DRIVER_RESPONSE, "GetPTPStatus",
                            "reply of " + st.payload().length + " bytes: neither ABI-1 (16) nor ABI-2 (36)");
                }
                abi = found;
                ModulePtpStatus first = decodePtp(st);
                configure(l);
                ptp = first;
                ready = true;
                problem = null;
                readdStreams();
                LOG.info("kernel module connected over {}: ABI {}{}, PTP {} (GM {})", transportName,
                        found.label(), moduleVersion().isEmpty() ? "" : ", module " + moduleVersion(),
                        state(first).wireName(), first.gmidText());
            } catch (IOException | ModuleError e) {
                if (l != null) {
                    l.close();
                }
                link = null;
                problem = e.getMessage();
                return problem;
            }
        }
        listener.connected(this);
        listener.ptpChanged(ptpStatus());
        return null;
    }

    /** The C++ daemon's start-up sequence after Hello (a driver (re)start). */
    private void configure(ModuleLink l) throws ModuleError {
        Settings s = settings;
        l.command(MsgId.START, new byte[0]);
        l.command(MsgId.RESET, new byte[0]);
        String names = s.interfaceName();
        if (abi == Abi.ABI_1 && names.contains(",")) {
            names = names.substring(0, names.indexOf(','));
            LOG.warn("the module is driver 1.x (no ST 2022-7): only interface {} is used", names);
        }
        byte[] name = (names + "\0").getBytes(StandardCharsets.US_ASCII);
        if (name.length > 32) {
            throw new ModuleError(-315, "SetInterfaceName", "\"" + names + "\" is longer than 31 characters");
        }
        l.command(MsgId.SET_INTERFACE_NAME, name);
        l.command(MsgId.SET_PTP_CONFIG, new ModulePtpConfig(s.ptpDomain(), s.ptpDscp()).encode());
        l.command(MsgId.SET_TIC_FRAME_SIZE_AT_1FS, NlCodec.int64(s.ticFrameSize()));
        l.command(MsgId.SET_PLAYOUT_DELAY, NlCodec.int32(s.playoutDelay()));
        l.command(MsgId.SET_MAX_TIC_FRAME_SIZE, NlCodec.int64(s.maxTicFrameSize()));
    }

    /** After a (re)connect: the module has none of our streams any more. */
    private void readdStreams() {
        for (Map<Integer, Stream> m : java.util.List.of(sources, sinks)) {
            for (Stream st : m.values()) {
                try {
                    long h = add(link, st.info());
                    m.put(st.desc().id(), new Stream(st.desc(), st.info(), h));
                } catch (ModuleError e) {
                    LOG.error("module refuses {} {} again: {}", st.info().source() ? "source" : "sink",
                            st.desc().id(), e.getMessage());
                    m.put(st.desc().id(), new Stream(st.desc(), st.info(), 0));
                }
            }
        }
    }

    /** Starts the monitor thread: it connects, polls PTP, answers lock changes, and reconnects after a loss. */
    void start() {
        running = true;
        monitor = new Thread(this::monitorLoop, "netlink-monitor");
        monitor.setDaemon(true);
        monitor.start();
    }

    private void monitorLoop() {
        long nextPoll = System.nanoTime();
        String lastProblem = null;
        while (running) {
            if (restartWanted) {
                restartWanted = false;
                disconnect(true);
            }
            if (!ready) {
                String why = connectOnce();
                if (why != null) {
                    if (!why.equals(lastProblem)) {
                        LOG.warn("kernel module not reachable: {}; trying again every {} ms", why,
                                settings.retryMillis());
                        lastProblem = why;
                    }
                    pause(settings.retryMillis());
                    continue;
                }
                lastProblem = null;
                nextPoll = System.nanoTime() + settings.pollMillis() * 1_000_000L;
            }
            try {
                int asked = events.takeRequestedRate();
                if (asked != 0 && asked != currentRate) {
                    setSampleRate(asked);
                }
                if (System.nanoTime() - nextPoll >= 0) {
                    pollPtp();
                    nextPoll = System.nanoTime() + settings.pollMillis() * 1_000_000L;
                }
            } catch (ModuleError e) {
                moduleLost(e);
            } catch (RuntimeException e) {
                LOG.error("netlink monitor", e); // keep monitoring: one bad reply must not end it
            }
            pause(Math.min(1000, settings.pollMillis()));
        }
    }

    private void pause(int millis) {
        synchronized (wakeup) {
            if (running && !restartWanted) {
                try {
                    wakeup.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }

    /** GetPTPConfig then GetPTPStatus, as the C++ daemon polls; SetSampleRate each time the lock is gained. */
    void pollPtp() throws ModuleError {
        ModuleLink l = requireLink("GetPTPStatus");
        l.command(MsgId.GET_PTP_CONFIG, new byte[0]);
        ModulePtpStatus s = decodePtp(l.command(MsgId.GET_PTP_STATUS, new byte[0]));
        ModulePtpStatus old = ptp;
        ptp = s;
        if (old == null || old.lock() != s.lock() || !old.gmidText().equals(s.gmidText())) {
            LOG.info("module PTP {} (GM {})", state(s).wireName(), s.gmidText());
            if (s.lock() == ModulePtpStatus.LOCKED && (old == null || old.lock() != ModulePtpStatus.LOCKED)) {
                l.command(MsgId.SET_SAMPLE_RATE, NlCodec.int32(currentRate));
            }
            listener.ptpChanged(ptpStatus());
        }
    }

    private ModulePtpStatus decodePtp(NlMessage m) throws ModuleError {
        try {
            return ModulePtpStatus.decode(m.payload());
        } catch (WireException e) {
            throw new ModuleError(ModuleError.INVALID_DRIVER_RESPONSE, "GetPTPStatus", e.getMessage());
        }
    }

    /** Sets the module's rate and the cached one (the C++ fake does the same; the real one forgets the cache). */
    void setSampleRate(int rate) throws ModuleError {
        requireLink("SetSampleRate").command(MsgId.SET_SAMPLE_RATE, NlCodec.int32(rate));
        LOG.info("module sample rate {} -> {} Hz", currentRate, rate);
        currentRate = rate;
    }

    /** Live changes as the C++ daemon applies them; interface and tic sizes restart the module connection. */
    void update(Settings next) {
        Settings old = settings;
        settings = next;
        if (next.needsRestart(old)) {
            net = NetInfo.of(next.interfaceName(), next.ipAddr());
            LOG.info("interface or tic size changed: the module is restarted");
            restartWanted = true;
            synchronized (wakeup) {
                wakeup.notifyAll();
            }
            return;
        }
        if (!ready) {
            return;
        }
        try {
            if (old.playoutDelay() != next.playoutDelay()) {
                requireLink("SetPlayoutDelay").command(MsgId.SET_PLAYOUT_DELAY, NlCodec.int32(next.playoutDelay()));
            }
            if (old.sampleRate() != next.sampleRate()) {
                setSampleRate(next.sampleRate());
            }
            if (old.ptpDomain() != next.ptpDomain() || old.ptpDscp() != next.ptpDscp()) {
                requireLink("SetPTPConfig").command(MsgId.SET_PTP_CONFIG,
                        new ModulePtpConfig(next.ptpDomain(), next.ptpDscp()).encode());
            }
        } catch (ModuleError e) {
            LOG.error("module refuses the new configuration: {}", e.getMessage());
            if (isLoss(e)) {
                moduleLost(e);
            }
        }
    }

    private static boolean isLoss(ModuleError e) {
        return e.code() == ModuleError.RECEIVE_U2K_FAILED || e.code() == ModuleError.SEND_U2K_FAILED;
    }

    private void moduleLost(ModuleError e) {
        if (!isLoss(e)) {
            LOG.warn("module: {}", e.getMessage());
            return;
        }
        synchronized (streamsLock) {
            if (!ready) {
                return;
            }
            ready = false;
            problem = "kernel module lost: " + e.getMessage();
            ModuleLink l = link;
            link = null;
            if (l != null) {
                l.close();
            }
            forgetHandles();
            ptp = null;
        }
        LOG.error("{}; streams are down until it answers Hello again", problem);
        listener.lost(this, problem);
        listener.ptpChanged(ptpStatus());
    }

    private void forgetHandles() {
        sources.replaceAll((id, s) -> new Stream(s.desc(), s.info(), 0));
        sinks.replaceAll((id, s) -> new Stream(s.desc(), s.info(), 0));
    }

    private ModuleLink requireLink(String command) throws ModuleError {
        ModuleLink l = link;
        if (l == null || !ready) {
            throw new ModuleError(ModuleError.SEND_U2K_FAILED, command,
                    "kernel module not reachable" + (problem == null ? "" : ": " + problem));
        }
        return l;
    }

    // ---- Driver

    @Override
    public void startSource(StreamDescription d) throws DriverException {
        put(sources, d, sourceInfo(d), "source");
    }

    @Override
    public void startSink(StreamDescription d) throws DriverException {
        put(sinks, d, sinkInfo(d), "sink");
    }

    private void put(Map<Integer, Stream> m, StreamDescription d, StreamInfo info, String kind)
            throws DriverException {
        synchronized (streamsLock) {
            try {
                ModuleLink l = requireLink("Add_RTPStream");
                Stream old = m.get(d.id());
                if (old != null && old.handle() != 0) {
                    // an update: remove the old one first, as the C++ daemon does
                    m.remove(d.id());
                    l.command(MsgId.REMOVE_RTP_STREAM, NlCodec.int64(old.handle()));
                    try {
                        m.put(d.id(), new Stream(d, info, add(l, info)));
                    } catch (ModuleError e) {
                        // refused: the stream the session still lists goes back into the module
                        m.put(d.id(), new Stream(old.desc(), old.info(), isLoss(e) ? 0 : add(l, old.info())));
                        throw e;
                    }
                    return;
                }
                m.put(d.id(), new Stream(d, info, add(l, info)));
            } catch (ModuleError e) {
                if (!ready) {
                    refusedWhileAway = true;
                }
                if (isLoss(e) && ready) {
                    moduleLostLater(e);
                }
                throw failure(kind, d.id(), e);
            }
        }
    }

    /** Add_RTPStream; returns the module's handle (an opaque kernel pointer). */
    private long add(ModuleLink l, StreamInfo info) throws ModuleError {
        NlMessage r = l.command(MsgId.ADD_RTP_STREAM, info.encode(abi));
        if (r.payload().length != 8) {
            throw new ModuleError(ModuleError.INVALID_DRIVER_RESPONSE, "Add_RTPStream",
                    "handle of " + r.payload().length + " bytes");
        }
        return r.int64();
    }

    /** A loss seen by a REST call is handled on the monitor thread, so the caller gets its answer now. */
    private void moduleLostLater(ModuleError e) {
        Thread t = new Thread(() -> moduleLost(e), "netlink-lost");
        t.setDaemon(true);
        t.start();
    }

    /**
     * The C++ daemon's answer to a failed command: its category and text only (REST then reads, e.g.,
     * {@code failed to add sink 3 : (driver) command failed}); which command failed and why goes to the log.
     */
    private static DriverException failure(String kind, int id, ModuleError e) {
        LOG.warn("module refused {} {}: {}", kind, id, e.getMessage());
        String text = ModuleError.text(e.code());
        return e.clientError() ? new StreamRejectedException(text, e.category())
                : new DriverException(text, e, e.category());
    }

    @Override
    public void stopSource(int id) {
        remove(sources, id, "source");
    }

    @Override
    public void stopSink(int id) {
        remove(sinks, id, "sink");
    }

    private void remove(Map<Integer, Stream> m, int id, String kind) {
        synchronized (streamsLock) {
            Stream s = m.remove(id);
            if (s == null || s.handle() == 0 || !ready) {
                return;
            }
            try {
                requireLink("Remove_RTPStream").command(MsgId.REMOVE_RTP_STREAM, NlCodec.int64(s.handle()));
            } catch (ModuleError e) {
                LOG.error("module cannot remove {} {}: {}", kind, id, e.getMessage());
                if (isLoss(e)) {
                    moduleLostLater(e);
                }
            }
        }
    }

    @Override
    public SinkStatus sinkStatus(int id) {
        Stream s = sinks.get(id);
        if (s == null || s.handle() == 0 || !ready) {
            return SinkStatus.IDLE;
        }
        try {
            return StreamStatus.decode(requireLink("GetRTPStreamStatus")
                    .command(MsgId.GET_RTP_STREAM_STATUS, NlCodec.int64(s.handle())).payload());
        } catch (WireException e) {
            LOG.warn("sink {} status: {}", id, e.getMessage());
            return SinkStatus.IDLE;
        } catch (ModuleError e) {
            LOG.warn("sink {} status: {}", id, e.getMessage());
            if (isLoss(e)) {
                moduleLostLater(e);
            }
            return SinkStatus.IDLE;
        }
    }

    // ---- stream structures, filled as the C++ daemon fills them

    StreamInfo sourceInfo(StreamDescription d) throws StreamRejectedException {
        int dest = address(d);
        int ip = net.ip();
        boolean mcast = NetInfo.isMulticast(dest);
        if (d.sampleRate() != currentRate) {
            LOG.warn("source {} asks for {} Hz; the module runs every stream at {} Hz", d.id(), d.sampleRate(),
                    currentRate);
        }
        return new StreamInfo(0, "aes67d source " + d.id(), 0, 0, d.framesPerPacket(),
                mcast ? NetInfo.multicastMac(dest) : NetInfo.arpMac(dest), d.dscp(), ip, ip, dest,
                mcast ? d.ttl() : 64, d.port(), d.port(), d.payloadType(), ThreadLocalRandom.current().nextInt(65536),
                0, currentRate, d.codec(), wordLength(d), d.map().size(), true, d.id(), routing(d));
    }

    StreamInfo sinkInfo(StreamDescription d) throws StreamRejectedException {
        int group = address(d);
        boolean mcast = NetInfo.isMulticast(group);
        int frame = d.framesPerPacket() > 0 ? d.framesPerPacket() : settings.maxTicFrameSize();
        return new StreamInfo(0, "aes67d sink " + d.id(), d.delay(), frame, d.framesPerPacket(),
                mcast ? NetInfo.multicastMac(group) : net.mac(), 0, net.ip(), 0, group, 64, 0, d.port(),
                d.payloadType(), 0, (int) d.rtpTimestampOffset(), d.sampleRate(), d.codec(), wordLength(d),
                d.map().size(), false, d.id(), routing(d));
    }

    private static int address(StreamDescription d) throws StreamRejectedException {
        Integer a = NetInfo.parseIpv4(d.address());
        if (a == null) {
            throw new StreamRejectedException("the kernel module needs an IPv4 address, not \"" + d.address() + "\"");
        }
        return a;
    }

    private static int wordLength(StreamDescription d) throws StreamRejectedException {
        int w = StreamInfo.wordLength(d.codec());
        if (w == 0) {
            throw new StreamRejectedException("codec \"" + d.codec() + "\" is not one the kernel module knows");
        }
        return w;
    }

    private static int[] routing(StreamDescription d) throws StreamRejectedException {
        if (d.map().isEmpty() || d.map().size() > StreamInfo.MAX_CHANNELS) {
            throw new StreamRejectedException("the kernel module takes 1..64 channels, not " + d.map().size());
        }
        return d.map().stream().mapToInt(Integer::intValue).toArray();
    }

    // ---- status

    boolean ready() {
        return ready;
    }

    /** Why the module is not in use, or null when it is. */
    String problem() {
        return problem;
    }

    Abi abi() {
        return abi;
    }

    int currentRate() {
        return currentRate;
    }

    ModuleEvents events() {
        return events;
    }

    /** Whether a stream was refused while the module was away since the last call (then clears it). */
    boolean takeRefusedWhileAway() {
        boolean r = refusedWhileAway;
        refusedWhileAway = false;
        return r;
    }

    /** The last PTP status of the module; unlocked without a grandmaster while it is away. */
    PtpStatus ptpStatus() {
        ModulePtpStatus s = ptp;
        if (s == null || !ready) {
            return PtpStatus.unlocked();
        }
        return new PtpStatus(state(s), s.gmidText(), s.jitter(), 0, 0);
    }

    PtpState ptpState() {
        ModulePtpStatus s = ptp;
        return s == null || !ready ? PtpState.UNLOCKED : state(s);
    }

    private static PtpState state(ModulePtpStatus s) {
        return switch (s.lock()) {
            case ModulePtpStatus.LOCKED -> PtpState.LOCKED;
            case ModulePtpStatus.LOCKING -> PtpState.LOCKING;
            default -> PtpState.UNLOCKED;
        };
    }

    int streamsInModule() {
        return (int) (sources.values().stream().filter(s -> s.handle() != 0).count()
                + sinks.values().stream().filter(s -> s.handle() != 0).count());
    }

    /** The transport of the current or last connection attempt. */
    String describe() {
        return transportName;
    }

    /** {@code /sys/module/MergingRavennaALSA/version}, or "" when not readable. */
    static String moduleVersion() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(SYSFS, "version")).trim();
        } catch (IOException e) {
            return "";
        }
    }

    // ---- shutdown

    /** The C++ daemon's shutdown: every stream removed, Stop, Bye (its event answered), sockets closed. */
    @Override
    public void close() {
        running = false;
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
        Thread t = monitor;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        disconnect(false);
    }

    /** Removes our streams from the module and says Bye; with {@code keep} they are re-added at the next connect. */
    private void disconnect(boolean keep) {
        synchronized (streamsLock) {
            ModuleLink l = link;
            if (l != null && ready) {
                try {
                    for (Map<Integer, Stream> m : java.util.List.of(sources, sinks)) {
                        for (Stream s : m.values()) {
                            if (s.handle() != 0) {
                                l.command(MsgId.REMOVE_RTP_STREAM, NlCodec.int64(s.handle()));
                            }
                        }
                    }
                    l.command(MsgId.STOP, new byte[0]);
                    long answered = l.eventsAnswered();
                    l.command(MsgId.BYE, new byte[0]);
                    if (!l.awaitAnswer(MsgId.BYE, answered, settings.timeoutMillis())) {
                        LOG.warn("the module's Bye event did not come");
                    }
                } catch (ModuleError e) {
                    LOG.warn("module shutdown incomplete: {}", e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ready = false;
            problem = keep ? "restarting" : "stopped";
            link = null;
            if (l != null) {
                l.close();
            }
            if (keep) {
                forgetHandles();
            } else {
                sources.clear();
                sinks.clear();
            }
        }
    }
}
