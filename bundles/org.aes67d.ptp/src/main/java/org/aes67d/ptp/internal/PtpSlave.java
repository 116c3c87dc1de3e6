package org.aes67d.ptp.internal;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.aes67d.api.health.Liveness;
import org.aes67d.api.ptp.PtpClock;
import org.aes67d.api.ptp.PtpState;
import org.aes67d.api.ptp.PtpStatus;
import org.aes67d.api.ptp.PtpStatusListener;
import org.aes67d.ptp.internal.clock.VirtualClock;
import org.aes67d.ptp.internal.engine.PtpPort;
import org.aes67d.ptp.internal.message.Timestamps;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's PTP clock: runs a {@link PtpNode} on the configured interface and exposes its virtual
 * clock as {@link PtpClock}. Lock state changes go to the {@link PtpStatusListener} whiteboard and to
 * the status script, both on one "ptp-status" thread so the packet path never waits for them.
 * Domain and DSCP change live; other settings restart the node (the virtual clock survives, so
 * readers see no jump beyond what the new master's servo does).
 */
@Component(service = {PtpClock.class, Liveness.class}, configurationPid = PtpSlave.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true, property = Liveness.NAME + "=ptp")
@Designate(ocd = PtpConfig.class)
public class PtpSlave implements PtpClock, Liveness {
    static final String PID = "org.aes67d.ptp";
    private static final Logger LOG = LoggerFactory.getLogger(PtpSlave.class);

    private final List<PtpStatusListener> listeners = new CopyOnWriteArrayList<>();
    // TAI from the system clock until a master is followed: what we announce as grandmaster
    private final VirtualClock clock = VirtualClock.fromSystemClock(PtpPort.UTC_OFFSET);
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ptp-status");
        t.setDaemon(true);
        return t;
    });

    private volatile PtpNode node;
    private volatile PtpConfig config;
    private volatile String problem;
    /** Watches the second network of {@code interface_name: "eth0,eth1"} (ST 2022-7) for a grandmaster. */
    private final ScheduledExecutorService failoverTimer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ptp-failover");
        t.setDaemon(true);
        return t;
    });
    // under this
    private StandbyWatch standby;
    private String activeInterface;
    private long nodeStarted;
    private boolean hadMaster;
    private long noMasterSince = Long.MIN_VALUE;
    private volatile long failovers;

    /** The settings that need a restart of the node when they change. */
    private record NodeKey(String iface, String ip, String mac, String mode, int p1, int p2, int logSync,
            int logAnnounce, int logDelayReq, int timeout, long lockNs, int lockSamples, String timestamping) {
        static NodeKey of(PtpConfig c) {
            return new NodeKey(c.interface_name(), c.ip_addr(), c.mac_addr(), c.ptp_mode(), c.ptp_priority1(),
                    c.ptp_priority2(), c.ptp_log_sync_interval(), c.ptp_log_announce_interval(),
                    c.ptp_log_min_delay_req_interval(), c.ptp_announce_receipt_timeout(), c.ptp_lock_threshold_ns(),
                    c.ptp_lock_samples(), c.ptp_timestamping());
        }
    }

    @Activate
    void activate(PtpConfig c) {
        config = c;
        start(c);
        failoverTimer.scheduleWithFixedDelay(this::checkFailover, 250, 250, TimeUnit.MILLISECONDS);
    }

    @Modified
    void modified(PtpConfig c) {
        PtpConfig old = config;
        config = c;
        PtpNode n = node;
        if (n == null || !NodeKey.of(old).equals(NodeKey.of(c))) {
            stop();
            start(c);
            return;
        }
        if (old.ptp_domain() != c.ptp_domain()) {
            LOG.info("PTP domain {} -> {}", old.ptp_domain(), c.ptp_domain());
            n.setDomain(c.ptp_domain());
        }
        if (old.ptp_dscp() != c.ptp_dscp()) {
            try {
                n.setDscp(c.ptp_dscp());
                LOG.info("PTP DSCP {} -> {}", old.ptp_dscp(), c.ptp_dscp());
            } catch (IOException e) {
                LOG.warn("cannot set PTP DSCP {}: {}", c.ptp_dscp(), e.toString());
            }
        }
    }

    /** The systemd watchdog's view: the PTP timer thread's loop count. */
    @Override
    public long[] progress() {
        PtpNode n = node;
        return n == null ? new long[0] : new long[] {n.timerCycles()};
    }

    @Deactivate
    void deactivate() {
        failoverTimer.shutdownNow();
        stop();
        notifier.shutdown();
        try {
            notifier.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void start(PtpConfig c) {
        activeInterface = firstInterface(c.interface_name());
        startOn(c, activeInterface, secondInterface(c.interface_name()));
    }

    /** The node on {@code iface}; with a second network (and not as grandmaster) the standby watch on {@code other}. */
    private void startOn(PtpConfig c, String iface, String other) {
        // one clock identity whichever network carries PTP: it is one clock
        long identity = clockIdentity(c.mac_addr(), firstInterface(c.interface_name()));
        PtpPort.Settings s = settings(c, identity);
        boolean kernel = !"user".equals(c.ptp_timestamping());
        // the node's ip_addr belongs to the primary interface; on the secondary its own first address is used
        String ip = iface.equals(firstInterface(c.interface_name())) ? c.ip_addr() : "";
        try {
            node = new PtpNode(s, clock, this::stateChanged, iface, ip, c.ptp_dscp(), kernel);
            problem = null;
        } catch (IOException | RuntimeException e) {
            // The clock service stays registered and reports unlocked, so the REST API shows the state.
            problem = e.toString();
            LOG.error("PTP cannot run on interface '{}': {}", iface, e.toString());
        }
        nodeStarted = System.nanoTime();
        hadMaster = false;
        noMasterSince = Long.MIN_VALUE;
        if (other != null && s.mode() != PtpPort.Mode.MASTER) {
            try {
                standby = new StandbyWatch(other, c.ptp_dscp(), kernel, c.ptp_domain(), identity);
            } catch (IOException | RuntimeException e) {
                LOG.warn("PTP cannot watch the second network '{}' for a grandmaster: {}", other, e.toString());
            }
        }
    }

    private synchronized void stop() {
        PtpNode n = node;
        node = null;
        if (n != null) {
            n.close();
        }
        if (standby != null) {
            standby.close();
            standby = null;
        }
    }

    /**
     * Every 250 ms: when the node has had no grandmaster for a while (an announce interval after it lost one, the
     * announce receipt timeout after it started without one) and the other network hears one, PTP moves there.
     * It stays there until that network loses its grandmaster in turn (no switching back while both work: every
     * switch re-locks the servo).
     */
    private synchronized void checkFailover() {
        PtpNode n = node;
        PtpConfig c = config;
        StandbyWatch w = standby;
        if (n == null || c == null || w == null) {
            return;
        }
        long now = System.nanoTime();
        PtpPort.PortState ps = n.port().portState();
        if (ps == PtpPort.PortState.SLAVE || ps == PtpPort.PortState.UNCALIBRATED) {
            hadMaster = true;
            noMasterSince = Long.MIN_VALUE;
            return;
        }
        if (noMasterSince == Long.MIN_VALUE) {
            noMasterSince = now;
        }
        long announceInterval = (long) (1e9 * Math.pow(2, c.ptp_log_announce_interval()));
        long waited = hadMaster ? now - noMasterSince
                : now - nodeStarted - announceInterval * Math.max(1, c.ptp_announce_receipt_timeout());
        if (waited < announceInterval || !w.hears(now, 3 * announceInterval)) {
            return;
        }
        String from = activeInterface;
        String to = w.interfaceName();
        LOG.warn("PTP: no grandmaster on {} ({}); following grandmaster {} heard on {}", from,
                hadMaster ? "lost" : "none since start", Long.toHexString(w.grandmaster()), to);
        stop();
        activeInterface = to;
        startOn(c, to, from);
        failovers++;
    }

    static PtpPort.Settings settings(PtpConfig c, long clockId) {
        PtpPort.Mode mode = PtpPort.Mode.parse(c.ptp_mode());
        return new PtpPort.Settings(mode, c.ptp_domain(), clockId, priority1(c.ptp_priority1(), mode),
                c.ptp_priority2(), c.ptp_log_sync_interval(), c.ptp_log_announce_interval(),
                c.ptp_log_min_delay_req_interval(), c.ptp_announce_receipt_timeout(), 5_000_000_000L,
                c.ptp_lock_threshold_ns(), c.ptp_lock_samples());
    }

    /**
     * Configured priority1, or by mode when negative: 248 in auto (any real grandmaster wins), 128 in
     * master (the default of other clocks, so the clockClass decides: slave-only clocks announce 255
     * and accept us; 248 would lose against a default ptp4l's own dataset).
     */
    static int priority1(int configured, PtpPort.Mode mode) {
        if (configured >= 0) {
            return Math.min(255, configured);
        }
        return mode == PtpPort.Mode.MASTER ? 128 : 248;
    }

    /** The second of {@code interface_name: "eth0,eth1"} (ST 2022-7), or null with one network. */
    static String secondInterface(String names) {
        String[] p = names == null ? new String[0] : names.split(",", -1);
        return p.length > 1 && !p[1].isBlank() ? p[1].trim() : null;
    }

    static String firstInterface(String names) {
        String n = names == null ? "" : names.split(",", -1)[0].trim();
        return n.isEmpty() ? "lo" : n;
    }

    /** EUI-64 from the configured MAC, else the interface's, else random (lo has none). */
    static long clockIdentity(String mac, String iface) {
        long id = Timestamps.identityFromMac(parseMac(mac));
        if (id == 0) {
            try {
                NetworkInterface nif = NetworkInterface.getByName(iface);
                id = nif == null ? 0 : Timestamps.identityFromMac(nif.getHardwareAddress());
            } catch (SocketException e) {
                id = 0;
            }
        }
        while (id == 0 || id == -1) {
            // locally administered, unicast: cannot collide with a vendor's EUI-64
            id = (new SecureRandom().nextLong() | 0x0200_0000_0000_0000L) & ~0x0100_0000_0000_0000L;
        }
        return id;
    }

    static byte[] parseMac(String mac) {
        if (mac == null) {
            return null;
        }
        String[] p = mac.trim().split("[:-]");
        if (p.length != 6) {
            return null;
        }
        byte[] b = new byte[6];
        try {
            for (int i = 0; i < 6; i++) {
                b[i] = (byte) Integer.parseInt(p[i], 16);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return b;
    }

    // ------------------------------------------------------------------ status fan-out

    /** Called by the engine under its lock: hand off at once. */
    private void stateChanged(PtpState state) {
        try {
            notifier.execute(() -> publish(state));
        } catch (RejectedExecutionException e) {
            // deactivating
        }
    }

    private void publish(PtpState state) {
        synchronized (this) {
            // the first change can come from inside start(), before the node is assigned: wait for it
        }
        LOG.info("PTP {}", state.wireName());
        PtpStatus s = status();
        if (s.state() != state) {
            // the state moved on meanwhile; its own notification follows. Keep the sequence intact.
            s = new PtpStatus(state, s.grandmasterId(), s.jitter(), s.offsetNs(), s.pathDelayNs());
        }
        for (PtpStatusListener l : listeners) {
            try {
                l.ptpStatusChanged(s);
            } catch (RuntimeException e) {
                LOG.warn("PTP status listener {} failed", l, e);
            }
        }
        PtpConfig c = config;
        runScript(c == null ? null : c.ptp_status_script(), state);
    }

    static Process runScript(String script, PtpState state) {
        if (script == null || script.isBlank()) {
            return null;
        }
        Path p = Path.of(script);
        if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
            LOG.debug("PTP status script {} is not an executable file", script);
            return null;
        }
        try {
            // not waited for: a slow script must not hold back later notifications
            return new ProcessBuilder(p.toString(), state.wireName()).redirectErrorStream(true)
                    .redirectOutput(Redirect.DISCARD).start();
        } catch (IOException e) {
            LOG.warn("cannot run PTP status script {}: {}", script, e.toString());
            return null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(PtpStatusListener l) {
        listeners.add(l);
        // a newcomer learns the current state at once, on the status thread like every other call
        try {
            notifier.execute(() -> {
                synchronized (this) {
                    // see publish
                }
                if (listeners.contains(l)) {
                    l.ptpStatusChanged(status());
                }
            });
        } catch (RejectedExecutionException e) {
            // deactivating
        }
    }

    void removeListener(PtpStatusListener l) {
        listeners.remove(l);
    }

    // ------------------------------------------------------------------ PtpClock

    @Override
    public long ptpTimeNanos(long localNanos) {
        return clock.ptpTime(localNanos);
    }

    @Override
    public long localNanos(long ptpNanos) {
        return clock.localTime(ptpNanos);
    }

    @Override
    public PtpStatus status() {
        PtpNode n = node;
        return n == null ? PtpStatus.unlocked() : n.port().status();
    }

    @Override
    public PtpState state() {
        PtpNode n = node;
        return n == null ? PtpState.UNLOCKED : n.port().state();
    }

    @Override
    public Map<String, Object> details() {
        PtpNode n = node;
        if (n == null) {
            return Map.of("port_state", "disabled", "error", Objects.toString(problem, "not started"));
        }
        Map<String, Object> d = n.port().details();
        d.put("dscp", n.transport().dscp());
        d.put("interface", n.transport().interfaceName());
        d.put("timestamping", n.transport().timestamping());
        d.put("timestamp_fallbacks", n.transport().timestampFallbacks());
        d.put("system_clock_steps", n.transport().systemClockSteps());
        d.put("failovers", failovers);
        synchronized (this) {
            d.put("standby_interface", standby == null ? "" : standby.interfaceName());
        }
        return d;
    }
}
