package org.aes67d.systemd.internal;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.aes67d.api.health.Liveness;
import org.aes67d.api.ptp.PtpClock;
import org.aes67d.api.session.SessionManager;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd (Type=notify) how the daemon is: READY=1 once every bundle has started and the REST API answers,
 * WATCHDOG=1 only while every {@link Liveness} service reports progress, STATUS= lines (PTP state, stream counts),
 * STOPPING=1 when the launcher begins a stop (it registers a marker service with {@code aes67d.stopping=true}).
 * Does nothing without NOTIFY_SOCKET, i.e. when not started by systemd.
 */
@Component(immediate = true)
public class ServiceNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceNotifier.class);
    private static final long READY_POLL_MILLIS = 100;
    private static final long STATUS_MILLIS = 5000;

    private final Map<String, Liveness> watched = new ConcurrentHashMap<>();
    private final LivenessCheck check = new LivenessCheck();
    private volatile PtpClock clock;
    private volatile SessionManager sessions;
    private volatile SdNotify notify;
    private volatile boolean stopping;
    private ScheduledExecutorService timer;
    private BundleContext context;
    private String lastStatus = "";
    private boolean ready;
    private boolean feeding = true;

    @Activate
    void activate(BundleContext ctx) {
        String socket = System.getenv("NOTIFY_SOCKET");
        if (socket == null || socket.isEmpty()) {
            LOG.debug("no NOTIFY_SOCKET: not started by systemd, nothing to notify");
            return;
        }
        context = ctx;
        try {
            notify = SdNotify.open(socket);
        } catch (IllegalArgumentException | LinkageError | com.sun.jna.LastErrorException e) {
            LOG.warn("systemd notifications off: {}", e.toString());
            return;
        }
        long watchdogMicros = watchdogMicros(System.getenv("WATCHDOG_USEC"), System.getenv("WATCHDOG_PID"),
                ProcessHandle.current().pid());
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aes67d-sd-notify");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::untilReady, 0, READY_POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (watchdogMicros > 0) {
            long period = Math.max(100, watchdogMicros / 1000 / 2); // systemd's advice: ping at half the timeout
            timer.scheduleWithFixedDelay(this::watchdog, period, period, TimeUnit.MILLISECONDS);
            LOG.info("systemd watchdog: {} ms, fed every {} ms while the engine and PTP threads progress",
                    watchdogMicros / 1000, period);
        }
        timer.scheduleWithFixedDelay(this::status, STATUS_MILLIS, STATUS_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The watchdog timeout in microseconds, 0 when there is none for this process. */
    static long watchdogMicros(String usec, String pid, long self) {
        try {
            if (usec == null || (pid != null && !pid.isBlank() && Long.parseLong(pid.strip()) != self)) {
                return 0;
            }
            return Math.max(0, Long.parseLong(usec.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Deactivate
    void deactivate() {
        if (timer != null) {
            timer.shutdownNow();
        }
        SdNotify n = notify;
        notify = null;
        if (n != null) {
            n.close();
        }
    }

    private synchronized void untilReady() {
        if (ready || stopping || !everyBundleStarted() || !restAnswers()) {
            return;
        }
        ready = true;
        send("READY=1\nSTATUS=" + statusLine());
        LOG.info("told systemd: ready");
    }

    private boolean everyBundleStarted() {
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        String beginning = context.getProperty(Constants.FRAMEWORK_BEGINNING_STARTLEVEL);
        int target = beginning == null ? 1 : Integer.parseInt(beginning.strip());
        if (system.getState() != Bundle.ACTIVE
                || system.adapt(FrameworkStartLevel.class).getStartLevel() < target) {
            return false;
        }
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
            if (!fragment && b.getState() != Bundle.ACTIVE && b.getState() != Bundle.STARTING) {
                return false; // STARTING: lazy activation, started on first use
            }
        }
        return true;
    }

    private boolean restAnswers() {
        String host = context.getProperty("org.apache.felix.http.host");
        String port = context.getProperty("org.osgi.service.http.port");
        if (port == null) {
            return true; // no HTTP configured: nothing to wait for
        }
        if (host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        try {
            String h = host.contains(":") ? "[" + host + "]" : host;
            HttpURLConnection c = (HttpURLConnection) URI.create("http://" + h + ":" + port.strip() + "/api/version")
                    .toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(1000);
            try {
                return c.getResponseCode() == 200;
            } finally {
                c.disconnect();
            }
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private synchronized void watchdog() {
        if (!ready || stopping) {
            return;
        }
        Map<String, long[]> now = new TreeMap<>();
        watched.forEach((name, l) -> now.put(name, l.progress()));
        List<String> stalled = check.stalled(now);
        if (stalled.isEmpty()) {
            if (!feeding) {
                LOG.info("watched threads progress again: feeding the systemd watchdog");
                feeding = true;
            }
            send("WATCHDOG=1");
        } else if (feeding) {
            feeding = false;
            LOG.error("threads stalled, not feeding the systemd watchdog: {}", stalled);
            send("STATUS=stalled: " + String.join(", ", stalled));
        }
    }

    private synchronized void status() {
        if (!ready || stopping || !feeding) {
            return;
        }
        String s = statusLine();
        if (!s.equals(lastStatus)) {
            lastStatus = s;
            send("STATUS=" + s);
        }
    }

    private String statusLine() {
        PtpClock c = clock;
        SessionManager m = sessions;
        String ptp = c == null ? "no PTP" : "PTP " + c.state().name().toLowerCase(java.util.Locale.ROOT);
        String streams = m == null ? "no session manager" : m.sources().size() + " sources, " + m.sinks().size()
                + " sinks";
        return ptp + ", " + streams;
    }

    private void send(String message) {
        SdNotify n = notify;
        if (n != null && !n.send(message)) {
            LOG.debug("systemd did not take {}", message);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addLiveness(Liveness l, Map<String, Object> props) {
        watched.put(key(props), l);
    }

    void removeLiveness(Liveness l, Map<String, Object> props) {
        watched.remove(key(props));
    }

    private static String key(Map<String, Object> props) {
        return props.getOrDefault(Liveness.NAME, "unnamed") + "@" + props.get(Constants.SERVICE_ID);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setClock(PtpClock c) {
        clock = c;
    }

    void unsetClock(PtpClock c) {
        if (clock == c) {
            clock = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setSessions(SessionManager m) {
        sessions = m;
    }

    void unsetSessions(SessionManager m) {
        if (sessions == m) {
            sessions = null;
        }
    }

    /** The launcher registers this marker when a stop begins (SIGTERM, SIGINT). */
    @Reference(service = Object.class, target = "(aes67d.stopping=true)", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC)
    void setStopping(Object marker) {
        stopping = true;
        send("STOPPING=1\nSTATUS=stopping");
    }

    void unsetStopping(Object marker) {
        // a stop, once begun, is not taken back
    }
}
