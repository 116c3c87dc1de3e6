package org.aes67d.discovery.mdns.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
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
import org.aes67d.rtsp.RtspClient;
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
 * browses RAVENNA sessions and lists them with the SDP fetched by RTSP DESCRIBE. With {@code mdns_enabled} false it
 * opens no socket and publishes nothing.
 *
 * <p>Threads: all publishing runs on one "aes67d-mdns" thread (jmDNS registration blocks for its probing), DESCRIBEs
 * on "aes67d-mdns-describe", so a slow remote device never delays our own announcements.
 */
@Component(name = "org.aes67d.discovery.mdns", service = {SourceAnnouncer.class, SourceBrowser.class},
        configurationPid = "org.aes67d.mdns", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = MdnsConfig.class)
public final class MdnsComponent implements SourceAnnouncer, SourceBrowser {
    static final String HTTP_PORT_PROPERTY = "org.osgi.service.http.port";
    static final Duration DESCRIBE_TIMEOUT = Duration.ofSeconds(3);
    /** The session manager has no sink events yet: its sinks are compared this often (see README). */
    static final long SINK_POLL_MILLIS = 5_000;
    /** Found sessions are described again this often, so a changed SDP shows up without a new mDNS event. */
    static final long REFRESH_MILLIS = 30_000;
    private static final Logger LOG = LoggerFactory.getLogger(MdnsComponent.class);

    /** A found session and what DESCRIBE returned. */
    private record Remote(Found found, String url, String sdp, long describedAt) {
    }

    private final MdnsBackend.Factory factory;
    private final int httpPort;
    private final long sinkPollMillis;
    private final Map<Integer, String> sourceSdps = new TreeMap<>(); // guarded by this
    private final Map<String, Remote> remotes = new ConcurrentHashMap<>();
    private ScheduledExecutorService publishing; // guarded by this
    private ScheduledExecutorService describing; // guarded by this
    private MdnsBackend backend; // confined to the publishing thread
    private final Map<Integer, ServiceSpec> sourceSpecs = new HashMap<>(); // publishing thread
    private final Map<Integer, ServiceSpec> sinkSpecs = new HashMap<>(); // publishing thread
    private volatile MdnsConfig config;

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
    }

    /** True while mDNS is enabled and its responder runs (what {@code mdns_enabled} reports). */
    @Override
    public synchronized boolean active() {
        return publishing != null;
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
        } catch (SocketException e) {
            LOG.error("mDNS disabled: {}", e.getMessage());
            return;
        }
        publishing = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "aes67d-mdns"));
        describing = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "aes67d-mdns-describe"));
        Map<Integer, String> sdps = new TreeMap<>(sourceSdps);
        ScheduledExecutorService desc = describing;
        publishing.execute(() -> {
            try {
                backend = factory.open(address, hostName(c.node_id(), address));
            } catch (IOException | RuntimeException e) {
                LOG.error("mDNS disabled: cannot start the responder on {}: {}", address.getHostAddress(),
                        e.getMessage());
                return;
            }
            register(MdnsRecords.node(c.node_id(), httpPort));
            sdps.forEach(this::publishSource);
            backend.browse(MdnsRecords.BROWSE_TYPE, f -> {
                try {
                    desc.execute(() -> describe(f));
                } catch (RejectedExecutionException e) {
                    // stopping: jmDNS may still report a service between our shutdown and its close
                }
            }, f -> remotes.remove(MdnsRecords.id(f)));
        });
        publishing.scheduleWithFixedDelay(this::syncSinks, 0, sinkPollMillis, TimeUnit.MILLISECONDS);
        describing.scheduleWithFixedDelay(this::refresh, REFRESH_MILLIS, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void stop() {
        ScheduledExecutorService p = publishing;
        ScheduledExecutorService d = describing;
        publishing = null;
        describing = null;
        if (p == null) {
            return;
        }
        d.shutdownNow(); // a DESCRIBE in flight ends at its socket timeout at the latest
        p.execute(() -> {
            if (backend != null) {
                backend.close(); // goodbye packets for everything we published
                backend = null;
            }
            sourceSpecs.clear();
            sinkSpecs.clear();
        });
        p.shutdown();
        try {
            // jmDNS sends the first goodbye at once and then waits for its whole cancel cycle (seconds, longer
            // with many services). The daemon must stop within 5 s, so stop waiting after the first goodbye went
            // out; the rest of the cycle finishes on jmDNS's daemon threads or ends with the process.
            if (!p.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)
                    || !d.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.info("mDNS goodbyes sent; not waiting for jmDNS to finish closing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        remotes.clear();
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    // ---- publishing (on the publishing thread)

    private void register(ServiceSpec s) {
        try {
            backend.register(s);
        } catch (IOException | RuntimeException e) {
            LOG.error("mDNS cannot publish {} ({}): {}", s.name(), s.type(), e.getMessage());
        }
    }

    private void publishSource(int id, String sdp) {
        if (backend == null) {
            return;
        }
        MdnsConfig c = config;
        ServiceSpec next = MdnsRecords.source(MdnsRecords.sessionName(sdp, c.node_id(), ""), c.rtsp_port());
        ServiceSpec previous = sourceSpecs.get(id);
        if (next.equals(previous)) {
            return; // the SDP changed, the record did not: RTSP serves the new SDP
        }
        if (previous != null) {
            backend.unregister(previous);
        }
        register(next);
        sourceSpecs.put(id, next);
    }

    private void unpublishSource(int id) {
        ServiceSpec previous = sourceSpecs.remove(id);
        if (previous != null && backend != null) {
            backend.unregister(previous);
        }
    }

    /** Publishes the sinks the session manager has now, and withdraws the ones it no longer has. */
    void syncSinks() {
        if (backend == null) {
            return;
        }
        SessionManager sm = sessions;
        Map<Integer, ServiceSpec> wanted = new HashMap<>();
        if (sm != null) {
            for (Sink s : sm.sinks()) {
                wanted.put(s.id(), MdnsRecords.sink(s, config.node_id(), httpPort));
            }
        }
        for (Integer id : new ArrayList<>(sinkSpecs.keySet())) {
            if (!Objects.equals(wanted.get(id), sinkSpecs.get(id))) {
                backend.unregister(sinkSpecs.remove(id));
            }
        }
        wanted.forEach((id, spec) -> {
            if (!sinkSpecs.containsKey(id)) {
                register(spec);
                sinkSpecs.put(id, spec);
            }
        });
    }

    @Override
    public synchronized void sourceUpdated(Source source, String sdp) {
        sourceSdps.put(source.id(), sdp);
        if (publishing != null) {
            publishing.execute(() -> publishSource(source.id(), sdp));
        }
    }

    @Override
    public synchronized void sourceRemoved(Source source, String sdp) {
        sourceSdps.remove(source.id());
        if (publishing != null) {
            publishing.execute(() -> unpublishSource(source.id()));
        }
    }

    // ---- browsing (on the describing thread)

    private void describe(Found f) {
        String url = MdnsRecords.describeUrl(f);
        if (url == null) {
            return;
        }
        try {
            String sdp = RtspClient.describe(URI.create(url), DESCRIBE_TIMEOUT);
            if (MdnsRecords.isAudioSession(sdp)) {
                remotes.put(MdnsRecords.id(f), new Remote(f, url, sdp, System.nanoTime()));
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("DESCRIBE {} failed: {}", url, e.getMessage());
        }
    }

    private void refresh() {
        for (Remote r : remotes.values()) {
            describe(r.found());
        }
    }

    @Override
    public String protocol() {
        return "mDNS";
    }

    @Override
    public List<RemoteSource> remoteSources() {
        long now = System.nanoTime();
        List<RemoteSource> out = new ArrayList<>();
        for (Map.Entry<String, Remote> e : remotes.entrySet()) {
            Remote r = e.getValue();
            out.add(new RemoteSource("mDNS", e.getKey(), r.found().name(), r.found().domain(),
                    r.found().addresses().get(0), r.sdp(), TimeUnit.NANOSECONDS.toSeconds(now - r.describedAt()), 0));
        }
        out.sort(Comparator.comparing(RemoteSource::name).thenComparing(RemoteSource::id));
        return out;
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
