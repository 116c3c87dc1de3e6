package org.aes67d.discovery.mdns.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.aes67d.api.discovery.RemoteSource;
import org.aes67d.api.discovery.SourceAnnouncer;
import org.aes67d.api.discovery.SourceBrowser;
import org.aes67d.api.session.SessionManager;
import org.aes67d.api.session.Sink;
import org.aes67d.api.session.Source;
import org.aes67d.discovery.mdns.internal.MdnsBackend.Found;
import org.aes67d.discovery.mdns.internal.MdnsBackend.ServiceSpec;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mDNS / RAVENNA on jmDNS: publishes every enabled source as a RAVENNA session, the node, and the node's sinks;
 * browses RAVENNA sessions and lists them with the SDP fetched by RTSP DESCRIBE and kept fresh by ANNOUNCE. With
 * {@code mdns_enabled} false it opens no socket and publishes nothing.
 *
 * <p>Threads: "aes67d-mdns" opens, watches and restarts the responder; records converge on {@link Publications}'s
 * pool (jmDNS's goodbye blocks for seconds per record); DESCRIBEs and classification on "aes67d-mdns-describe";
 * every followed session's kept RTSP connection on the one "aes67d-mdns-watch" thread ({@link SessionFollower}).
 * Nobody calling in ever waits.
 */
@Component(name = "org.aes67d.discovery.mdns", service = {SourceAnnouncer.class, SourceBrowser.class},
        configurationPid = "org.aes67d.mdns", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = MdnsConfig.class)
public final class MdnsComponent implements SourceAnnouncer, SourceBrowser {
    static final String HTTP_PORT_PROPERTY = "org.osgi.service.http.port";
    /** The session manager has no sink events yet: its sinks are compared this often (see README). */
    static final long SINK_POLL_MILLIS = 5_000;
    /** How often the responder's health and jmDNS's cache size are checked. */
    static final long WATCH_MILLIS = 1_000;
    /** Records jmDNS may cache (and names its listener may remember) before we trim them. */
    static final int MAX_CACHED_NAMES = 4_096;
    private static final Logger LOG = LoggerFactory.getLogger(MdnsComponent.class);

    private final MdnsBackend.Factory factory;
    private final int httpPort;
    private final long sinkPollMillis;
    private final Map<Integer, String> sourceSdps = new TreeMap<>(); // guarded by this
    private final Publications publications = new Publications();
    private ScheduledExecutorService control; // guarded by this
    private ScheduledExecutorService describing; // guarded by this
    private volatile MdnsBackend backend; // written on the control thread
    private volatile RemoteSessions remotes;
    private volatile boolean responding;
    private final AtomicLong restarts = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong trimmed = new AtomicLong();
    private long malformedLogged; // control thread
    private long malformedLoggedAt = System.nanoTime() - TimeUnit.SECONDS.toNanos(60); // control thread
    private volatile MdnsConfig config;
    private volatile boolean loopback;
    private volatile String ownAddress = "";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile SessionManager sessions;

    @Activate
    public MdnsComponent(MdnsConfig config, BundleContext context) {
        this(config, httpPort(context.getProperty(HTTP_PORT_PROPERTY)), JmdnsBackend::open, SINK_POLL_MILLIS);
    }

    MdnsComponent(MdnsConfig config, int httpPort, MdnsBackend.Factory factory, long sinkPollMillis) {
        this.factory = factory;
        this.httpPort = httpPort;
        this.sinkPollMillis = sinkPollMillis;
        start(config);
    }

    static int httpPort(String property) {
        try {
            return property == null ? 8080 : Integer.parseInt(property.strip());
        } catch (NumberFormatException e) {
            return 8080;
        }
    }

    @Modified
    synchronized void modified(MdnsConfig c) {
        stop();
        start(c); // names, ports or the interface changed: goodbye, then publish again
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
        publications.shutdown();
    }

    /** True while mDNS is enabled and its responder runs (what {@code mdns_enabled} reports). */
    @Override
    public boolean active() {
        return responding;
    }

    /** How long deactivation waits for jmDNS to close (the first goodbye is sent well within it). */
    private static final long STOP_WAIT_MILLIS = 1500;

    private synchronized void start(MdnsConfig c) {
        config = c;
        if (!c.mdns_enabled()) {
            LOG.info("mDNS disabled (mdns_enabled false): nothing published or browsed");
            return;
        }
        InetAddress address;
        try {
            address = address(c);
            NetworkInterface nif = NetworkInterface.getByInetAddress(address);
            loopback = nif == null || nif.isLoopback();
        } catch (SocketException e) {
            LOG.error("mDNS disabled: {}", e.getMessage());
            return;
        }
        ownAddress = address.getHostAddress();
        control = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "aes67d-mdns"));
        describing = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "aes67d-mdns-describe"));
        publications.want("node", MdnsRecords.node(c.node_id(), httpPort), false);
        publications.want("node-rtsp", MdnsRecords.rtspNode(c.node_id(), c.rtsp_port()), false);
        new TreeMap<>(sourceSdps).forEach((id, sdp) -> publishSource(id, sdp, false));
        ScheduledExecutorService ctl = control;
        ScheduledExecutorService desc = describing;
        ctl.execute(() -> open(address, c, desc));
        ctl.scheduleWithFixedDelay(() -> watch(address, c, desc), WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
        ctl.scheduleWithFixedDelay(this::syncSinks, 0, sinkPollMillis, TimeUnit.MILLISECONDS);
    }

    /** Opens the responder, publishes everything wanted on it and starts browsing (control thread). */
    private void open(InetAddress address, MdnsConfig c, ScheduledExecutorService desc) {
        try {
            backend = factory.open(address, hostName(c.node_id(), address));
        } catch (IOException | RuntimeException e) {
            if (restarts.get() == 0) {
                LOG.error("mDNS not running: cannot start the responder on {}: {}", address.getHostAddress(),
                        e.getMessage());
            }
            backend = null;
            return;
        }
        RemoteSessions r = new RemoteSessions(backend, desc, this::isOwn);
        remotes = r;
        publications.attach(backend);
        backend.browse(r);
        responding = true;
    }

    /** Restarts a responder that died (once a second at most), and keeps jmDNS's cache bounded. */
    private void watch(InetAddress address, MdnsConfig c, ScheduledExecutorService desc) {
        MdnsBackend b = backend;
        if (b != null && b.alive()) {
            b.expire();
            summarizeMalformed(b.malformed());
            RemoteSessions r = remotes;
            int dropped = b.bound(MAX_CACHED_NAMES, name -> r != null && r.keep(name));
            if (dropped > 0 && trimmed.getAndAdd(dropped) == 0) {
                LOG.warn("mDNS: more than {} records heard; the oldest unused ones are dropped (counted in the"
                        + " mDNS stats, logged once)", MAX_CACHED_NAMES);
            }
            return;
        }
        if (responding) {
            responding = false;
            LOG.error("mDNS responder failed; restarting it (mdns_enabled reports false until it runs again)");
        }
        restarts.incrementAndGet();
        closeBackend();
        open(address, c, desc);
        if (responding) {
            LOG.info("mDNS responder running again");
        }
    }

    /** Malformed packets are counted, not logged one by one: one line a minute at most while they come. */
    private void summarizeMalformed(long now) {
        long t = System.nanoTime();
        if (now > malformedLogged && t - malformedLoggedAt > TimeUnit.SECONDS.toNanos(60)) {
            LOG.warn("mDNS: {} malformed packets ignored in the last minute ({} since the responder started)",
                    now - malformedLogged, now);
            malformedLogged = now;
            malformedLoggedAt = t;
        }
    }

    private void closeBackend() {
        MdnsBackend b = publications.detach();
        RemoteSessions r = remotes;
        remotes = null;
        if (r != null) {
            r.close();
        }
        if (b == null) {
            b = backend;
        }
        backend = null;
        malformedLogged = 0;
        if (b != null) {
            malformed.addAndGet(b.malformed());
            b.close(); // goodbye packets for everything we published
        }
    }

    private void stop() {
        ScheduledExecutorService p = control;
        ScheduledExecutorService d = describing;
        control = null;
        describing = null;
        responding = false;
        if (p == null) {
            return;
        }
        d.shutdownNow(); // a DESCRIBE in flight ends at its socket timeout at the latest
        p.execute(this::closeBackend);
        p.shutdown();
        try {
            // jmDNS sends the first goodbye at once and then waits for its whole cancel cycle (seconds, longer
            // with many services). The daemon must stop within 5 s, so stop waiting after the first goodbye went
            // out; the rest of the cycle finishes on jmDNS's daemon threads or ends with the process.
            // One deadline for both: the launcher halts the JVM if all bundles take over 4.5 s to stop.
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
            if (!p.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)
                    || !d.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                LOG.info("mDNS goodbyes sent; not waiting for jmDNS to finish closing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (String key : publications.keys()) {
            publications.want(key, null, false); // a new start publishes from the current sources again
        }
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * A record this node published: skipped by the browser on a real interface (the C++ daemon does not list its own
     * sessions there), listed on lo, where its tests and single-host setups need it.
     */
    private boolean isOwn(Found f) {
        return !loopback && f.addresses().contains(ownAddress) && publications.names().contains(f.name());
    }

    // ---- publishing

    private void publishSource(int id, String sdp, boolean changed) {
        MdnsConfig c = config;
        publications.want("source:" + id, MdnsRecords.source(MdnsRecords.sessionName(sdp, c.node_id(), ""),
                c.rtsp_port()), changed);
    }

    /** Publishes the sinks the session manager has now, and withdraws the ones it no longer has. */
    void syncSinks() {
        SessionManager sm = sessions;
        Map<String, ServiceSpec> wanted = new HashMap<>();
        if (sm != null) {
            for (Sink s : sm.sinks()) {
                wanted.put("sink:" + s.id(), MdnsRecords.sink(s, config.node_id(), httpPort));
            }
        }
        for (String key : publications.keys()) {
            if (key.startsWith("sink:") && !wanted.containsKey(key)) {
                publications.want(key, null, false);
            }
        }
        wanted.forEach((key, spec) -> publications.want(key, spec, false));
    }

    @Override
    public synchronized void sourceUpdated(Source source, String sdp) {
        String previous = sourceSdps.put(source.id(), sdp);
        if (control != null) {
            // a changed SDP re-publishes the record (goodbye, register), as the C++ daemon does, so browsers that
            // only watch records describe it again; RTSP ANNOUNCE tells the connected ones at once
            publishSource(source.id(), sdp, previous != null && !previous.equals(sdp));
        }
    }

    @Override
    public synchronized void sourceRemoved(Source source, String sdp) {
        sourceSdps.remove(source.id());
        publications.want("source:" + source.id(), null, false);
    }

    /** Publishing tasks started so far (tests). */
    long publishTasks() {
        return publications.tasks();
    }

    /** True when every record wanted is published on a running responder that announced its host (tests, benchmark). */
    boolean settled() {
        MdnsBackend b = backend;
        return responding && b != null && b.announced() && publications.settled();
    }

    @Override
    public String protocol() {
        return "mDNS";
    }

    @Override
    public List<RemoteSource> remoteSources() {
        RemoteSessions r = remotes;
        return r == null ? List.of() : r.list();
    }

    /** Restarts, trimmed records and browser overflows, for the log and tests. */
    Map<String, Long> stats() {
        RemoteSessions r = remotes;
        Map<String, Long> m = new TreeMap<>(r == null ? Map.of() : r.counters());
        m.put("restarts", restarts.get());
        MdnsBackend b = backend;
        m.put("malformed_packets", malformed.get() + (b == null ? 0 : b.malformed()));
        m.put("trimmed_records", trimmed.get());
        return m;
    }

    // ---- addresses

    static InetAddress address(MdnsConfig c) throws SocketException {
        String name = c.interface_name().split(",", -1)[0].strip();
        NetworkInterface nif = NetworkInterface.getByName(name);
        if (nif == null) {
            throw new SocketException("no network interface named '" + name + "'");
        }
        List<InetAddress> v4 = new ArrayList<>();
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
            if (a instanceof Inet4Address) {
                v4.add(a);
            }
        }
        if (v4.isEmpty()) {
            throw new SocketException("network interface '" + name + "' has no IPv4 address");
        }
        return v4.stream().filter(a -> a.getHostAddress().equals(c.ip_addr().strip())).findFirst()
                .orElse(v4.get(0));
    }

    /** A DNS host label from the node id ("Daemon 007f0100" gives "Daemon-007f0100"). */
    static String hostName(String nodeId, InetAddress address) {
        String h = nodeId.replaceAll("[^A-Za-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        if (h.isEmpty()) {
            h = "aes67d-" + address.getHostAddress().replace('.', '-');
        }
        return h.length() > 63 ? h.substring(0, 63) : h;
    }
}
