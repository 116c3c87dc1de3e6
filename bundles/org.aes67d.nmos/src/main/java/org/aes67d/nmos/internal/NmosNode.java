package org.aes67d.nmos.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.aes67d.api.ptp.PtpClock;
import org.aes67d.api.ptp.PtpState;
import org.aes67d.api.ptp.PtpStatus;
import org.aes67d.api.session.SessionException;
import org.aes67d.api.session.SessionManager;
import org.aes67d.api.session.Sink;
import org.aes67d.api.session.Source;
import org.aes67d.nmos.internal.HttpEndpoint.Reply;
import org.aes67d.nmos.internal.HttpEndpoint.Request;
import org.aes67d.nmos.internal.Resources.Identity;
import org.aes67d.nmos.internal.Resources.LocalSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One running NMOS node: the HTTP endpoint with the Node and Connection APIs, the resource snapshot, and the
 * registration. The snapshot is rebuilt on one thread ("aes67d-nmos") whenever a source changes, and every
 * {@code pollPeriod} to pick up sink and PTP changes (the session manager has no sink events).
 */
final class NmosNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NmosNode.class);
    /** TAI - UTC, for versions while PTP is not locked (PTP time is TAI). */
    static final long TAI_OFFSET_NANOS = 37_000_000_000L;

    /** What the node reads from the daemon; either may be absent (null) while its bundle restarts. */
    interface Host {
        SessionManager sessions();

        PtpClock ptp();

        /** The HTTP policy of the node's port; without one given, the rule for when no policy service runs. */
        default HttpGate gate() {
            return new HttpGate(() -> null);
        }
    }

    private final Host host;
    private final Resources resources;
    private final ConnectionApi connection;
    private final ChannelMappingApi channelMapping;
    private final NodeApi nodeApi;
    private final RegistryFinder finder;
    private final Registration registration;
    private final Duration heartbeat;
    private final HttpEndpoint http;
    private final ScheduledExecutorService executor;
    private final ScheduledExecutorService browsing;
    private final QueryBrowser browser;
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private volatile Snapshot snapshot = Snapshot.EMPTY;

    /** Starts serving on {@code bind} (the identity's port) and registering with what {@code finder} offers. */
    NmosNode(Identity identity, InetSocketAddress bind, Host host, RegistryFinder finder, Duration heartbeat,
            Duration pollPeriod) throws IOException {
        this.host = host;
        this.finder = finder;
        this.resources = new Resources(identity);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aes67d-nmos");
            t.setDaemon(true);
            return t;
        });
        this.connection = new ConnectionApi(resources, host, this::snapshot, this::changed, executor, this::remoteSdp);
        this.channelMapping = new ChannelMappingApi(resources, host, this::changed, executor);
        this.nodeApi = new NodeApi(this::snapshot);
        refresh(); // the APIs answer with the full node from the first request on
        this.heartbeat = heartbeat;
        this.registration = new Registration(this::snapshot, finder, heartbeat);
        this.http = new HttpEndpoint(bind, "aes67d-nmos-http", host.gate(), this::route);
        executor.scheduleWithFixedDelay(this::refresh, pollPeriod.toMillis(), pollPeriod.toMillis(),
                TimeUnit.MILLISECONDS);
        registration.start();
        browser = new QueryBrowser(() -> {
            Registration.Status st = registration.status();
            return st.registered() ? st.registry() : null;
        }, resources::deviceId);
        // its own thread: a slow registry or sender must not delay a scheduled activation
        browsing = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aes67d-nmos-query");
            t.setDaemon(true);
            return t;
        });
        browsing.scheduleWithFixedDelay(browser::refresh, 1, BROWSE_SECONDS, TimeUnit.SECONDS);
    }

    /** How often the registry's senders are listed for the Browser page. */
    static final long BROWSE_SECONDS = 3;

    /** Senders of other nodes, from the registry's Query API. */
    List<org.aes67d.api.discovery.RemoteSource> remoteSources() {
        return browser.sources();
    }

    /** The SDP of another node's sender as the registry's last listing had it, or null. */
    private String remoteSdp(String senderId) {
        QueryBrowser b = browser;
        if (b == null) {
            return null;
        }
        return b.sources().stream().filter(r -> r.id().equals(senderId)).map(r -> r.sdp()).findFirst().orElse(null);
    }

    Snapshot snapshot() {
        return snapshot;
    }

    Resources resources() {
        return resources;
    }

    RegistryFinder finder() {
        return finder;
    }

    Registration.Status registrationStatus() {
        return registration.status();
    }

    /**
     * The registration as {@code GET /api/nmos/status} shows it: the node's APIs, the registry in use and how it
     * was found, whether the node is registered and since when, the last heartbeat, the current and the last error,
     * and every candidate registry in the order they are tried.
     */
    ObjectNode statusJson() {
        Registration.Status st = registration.status();
        Registration.History h = registration.history();
        ObjectNode o = Resources.JSON.createObjectNode();
        o.put("enabled", true);
        o.put("node_id", resources.nodeId());
        o.put("device_id", resources.deviceId());
        o.put("node_api", resources.apiBase() + NodeApi.PREFIX + Resources.API_VERSION + "/");
        o.put("connection_api", resources.apiBase() + ConnectionApi.PREFIX + ConnectionApi.VERSION + "/");
        o.put("channelmapping_api", resources.apiBase() + ChannelMappingApi.PREFIX + ChannelMappingApi.VERSION + "/");
        o.put("registered", st.registered());
        o.set("registry", st.registry() == null ? null : registryJson(URI.create(st.registry())));
        putTime(o, "registered_since", h.registeredSince());
        putTime(o, "last_heartbeat", h.lastHeartbeat());
        o.put("heartbeats", h.heartbeats());
        o.put("heartbeat_period_s", heartbeat.toSeconds());
        o.put("error", st.lastError());
        o.put("last_error", h.lastError());
        putTime(o, "last_error_at", h.lastErrorAt());
        ArrayNode candidates = o.putArray("candidates");
        finder.candidates().forEach(u -> candidates.add(registryJson(u)));
        return o;
    }

    private ObjectNode registryJson(URI uri) {
        ObjectNode r = Resources.JSON.createObjectNode();
        r.put("url", uri.toString());
        RegistryFinder.Found f = finder.announcement(uri);
        r.put("found_by", f == null ? "configured" : "dns-sd");
        if (f != null) {
            r.put("name", f.name());
            r.put("priority", f.priority());
        }
        r.put("failed_recently", finder.holding(uri));
        return r;
    }

    private static void putTime(ObjectNode o, String key, Instant t) {
        if (t == null) {
            o.putNull(key);
        } else {
            o.put(key, t.toString());
        }
    }

    int port() {
        return http.port();
    }

    /** Something changed (a source, a sink, an activation): rebuild soon, once however many calls come in. */
    void changed() {
        if (refreshQueued.compareAndSet(false, true)) {
            try {
                executor.execute(this::refresh);
            } catch (RejectedExecutionException e) {
                refreshQueued.set(false); // closing
            }
        }
    }

    private void refresh() {
        refreshQueued.set(false);
        try {
            SessionManager sm = host.sessions();
            List<LocalSource> sources = new ArrayList<>();
            List<Sink> sinks = List.of();
            if (sm != null) {
                for (Source s : sm.sources()) {
                    sources.add(new LocalSource(s, sdp(sm, s.id())));
                }
                sinks = sm.sinks();
            }
            PtpClock ptp = host.ptp();
            PtpStatus status = ptp == null ? PtpStatus.unlocked() : ptp.status();
            Snapshot next = snapshot.next(resources.build(sources, sinks, status, connection.activeSenders()),
                    () -> tai(ptp));
            if (!next.ordered().equals(snapshot.ordered())) {
                snapshot = next;
                if (registration != null) {
                    registration.wake();
                }
            }
        } catch (RuntimeException e) {
            LOG.error("NMOS: cannot rebuild the node's resources", e);
        }
    }

    private static String sdp(SessionManager sm, int id) {
        try {
            return sm.sourceSdp(id);
        } catch (SessionException | RuntimeException e) {
            return null;
        }
    }

    /** TAI now: PTP time when locked, else the system clock plus the TAI-UTC offset. */
    static long tai(PtpClock ptp) {
        if (ptp != null && ptp.state() == PtpState.LOCKED) {
            return ptp.now();
        }
        return System.currentTimeMillis() * 1_000_000L + TAI_OFFSET_NANOS;
    }

    /**
     * Waits out the last stretch before TAI {@code target} in short parks (the executor wakes a scheduled
     * activation early, timer slack would make it late otherwise); false when interrupted (closing).
     */
    static boolean parkUntilTai(Host host, long target) {
        for (long left = target - tai(host.ptp()); left > 0; left = target - tai(host.ptp())) {
            LockSupport.parkNanos(Math.min(left, 100_000L));
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
        }
        return true;
    }

    private Reply route(Request req) {
        String path = req.path();
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.equals("") || path.equals("/")) {
            return Reply.json(200, NodeApi.array("x-nmos/"));
        }
        if (path.equals("/x-nmos")) {
            return Reply.json(200, NodeApi.array("node/", "connection/", "channelmapping/"));
        }
        if (path.equals("/x-nmos/node")) {
            return nodeApi.handle(req, "");
        }
        if (path.startsWith(NodeApi.PREFIX)) {
            return nodeApi.handle(req, path.substring(NodeApi.PREFIX.length()));
        }
        if (path.equals("/x-nmos/connection")) {
            return connection.handle(req, "");
        }
        if (path.startsWith(ConnectionApi.PREFIX)) {
            return connection.handle(req, path.substring(ConnectionApi.PREFIX.length()));
        }
        if (path.equals("/x-nmos/channelmapping")) {
            return channelMapping.handle(req, "");
        }
        if (path.startsWith(ChannelMappingApi.PREFIX)) {
            return channelMapping.handle(req, path.substring(ChannelMappingApi.PREFIX.length()));
        }
        return Errors.reply(404, "no such resource");
    }

    @Override
    public void close() {
        browsing.shutdownNow();
        registration.close();
        http.close();
        executor.shutdownNow();
    }
}
