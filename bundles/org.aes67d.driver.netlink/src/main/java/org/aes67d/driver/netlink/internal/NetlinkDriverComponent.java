package org.aes67d.driver.netlink.internal;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.aes67d.api.driver.Driver;
import org.aes67d.api.ptp.PtpClock;
import org.aes67d.api.ptp.PtpState;
import org.aes67d.api.ptp.PtpStatus;
import org.aes67d.api.ptp.PtpStatusListener;
import org.aes67d.driver.netlink.internal.sim.SimulatedModule;
import org.aes67d.driver.netlink.internal.transport.AfNetlinkTransport;
import org.aes67d.driver.netlink.internal.wire.Abi;
import org.aes67d.util.http.HttpAnswers;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Picks the driver and, when it is the module, registers the {@link Driver} and {@link PtpClock} backed by it (ranked
 * above the user-space ones) and makes the other Driver and PtpClock components stand down. Serves
 * {@code GET /api/driver}: which driver runs and why.
 * <ul>
 * <li>{@code auto}: the module while it answers. At start (and whenever the setting changes) one Hello is tried;
 * not answered, the user-space driver keeps running, the reason is logged and reported, and every
 * {@code netlink_probe_ms} the module is looked for again ({@code /sys/module/MergingRavennaALSA}, then a Hello).
 * A module that stops answering for {@code netlink_fallback_ms} hands over to the user-space driver again. The
 * session keeps every stream across a switch and hands them all to the driver that takes over.</li>
 * <li>{@code netlink}: the module always; while it is away REST calls get a clear error and the driver says Hello
 * again every {@code netlink_retry_ms}.</li>
 * <li>{@code userspace}: the module is never touched.</li>
 * </ul>
 */
@Component(service = Servlet.class, immediate = true,
        configurationPid = {"org.aes67d.driver", "org.aes67d.ptp", "org.aes67d.session", NetlinkDriverComponent.PID,
            NetlinkDriverComponent.PID_TRANSPORT},
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = "aes67d.driver.status=true")
@HttpWhiteboardServletPattern("/api/driver")
public final class NetlinkDriverComponent extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String PID = "org.aes67d.netlink";
    static final String PID_TRANSPORT = "org.aes67d.netlink.transport";
    /** Ranked above the user-space driver and our PTP clock, so greedy references switch to these. */
    static final int RANKING = 100;
    private static final Logger LOG = LoggerFactory.getLogger(NetlinkDriverComponent.class);

    private final transient ObjectMapper json = new ObjectMapper();
    private final transient List<PtpStatusListener> listeners = new CopyOnWriteArrayList<>();
    private final transient ExecutorService notifier = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "netlink-notify");
        t.setDaemon(true);
        return t;
    });
    /** Looks for the module while "auto" runs the user-space driver, and hands over when the module went away. */
    private final transient ScheduledExecutorService follower = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "netlink-auto");
        t.setDaemon(true);
        return t;
    });
    @Reference
    private transient ServiceComponentRuntime scr;
    private transient BundleContext context;
    private transient StandDown standDown;
    private transient volatile NetlinkConfig config;
    private transient volatile ModuleDriver driver;
    private transient SimulatedModule simulated;
    private transient ModuleDriver.TransportFactory factory;
    private transient ScheduledFuture<?> probing;
    private transient ServiceRegistration<?> driverRegistration;
    private transient ServiceRegistration<?> clockRegistration;
    private transient volatile String reason = "starting";
    private transient volatile PtpState lastState;
    private transient volatile boolean frameworkStopping;

    @Activate
    void activate(BundleContext ctx, NetlinkConfig c) {
        context = ctx;
        standDown = new StandDown(scr, ctx.getBundle().getBundleId());
        config = c;
        select(c);
    }

    @Modified
    void modified(NetlinkConfig c) {
        NetlinkConfig old = config;
        config = c;
        ModuleDriver d = driver;
        if (!mode(old).equals(mode(c)) || !old.transport().equals(c.transport())) {
            stop();
            select(c);
            return;
        }
        SimulatedModule sim = simulated;
        if (sim != null && old.simulated_loaded() != c.simulated_loaded()) {
            sim.setLoaded(c.simulated_loaded());
        }
        if (d != null) {
            d.update(settings(c));
        }
    }

    @Deactivate
    void deactivate() {
        // on framework shutdown the others stay disabled: waking them only to stop them would open PTP sockets
        frameworkStopping = context.getBundle(0).getState() == org.osgi.framework.Bundle.STOPPING;
        stop();
        follower.shutdownNow();
        notifier.shutdown();
        try {
            follower.awaitTermination(2, TimeUnit.SECONDS);
            notifier.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String mode(NetlinkConfig c) {
        String m = c.driver().trim().toLowerCase(Locale.ROOT);
        return m.equals("netlink") || m.equals("userspace") ? m : "auto";
    }

    static ModuleDriver.Settings settings(NetlinkConfig c) {
        return new ModuleDriver.Settings(c.interface_name(), c.ip_addr(), c.sample_rate(), c.tic_frame_size_at_1fs(),
                c.max_tic_frame_size(), c.playout_delay(), c.ptp_domain(), c.ptp_dscp(),
                Math.max(1, c.netlink_timeout_ms()), Math.max(10, c.netlink_poll_ms()),
                Math.max(10, c.netlink_retry_ms()));
    }

    private synchronized void select(NetlinkConfig c) {
        String mode = mode(c);
        if (mode.equals("userspace")) {
            reason = "driver is \"userspace\" in the configuration";
            LOG.info("netlink driver not used: {}", reason);
            return;
        }
        try {
            factory = transport(c.transport());
        } catch (IOException e) {
            reason = "the simulated module cannot start: " + e.getMessage();
            LOG.error(reason);
            return;
        }
        if (simulated != null) {
            simulated.setLoaded(c.simulated_loaded());
        }
        ModuleDriver d = new ModuleDriver(factory, settings(c), new Events());
        if (mode.equals("auto")) {
            String why = d.connectOnce();
            if (why != null) {
                reason = notUsed(why);
                LOG.info("{}; the user-space driver runs", reason);
                d.close();
                followModule(c);
                return;
            }
        }
        use(d, mode.equals("auto") ? "driver \"auto\": the kernel module answered" : "driver is \"netlink\"");
    }

    private static String notUsed(String why) {
        return "driver \"auto\": kernel module not used (" + why + ")";
    }

    /** The module drives: the others stand down, then its Driver and PtpClock take over the greedy references. */
    private synchronized void use(ModuleDriver d, String why) {
        reason = why; // before the driver: GET /api/driver reads both without the lock
        driver = d;
        standDown.apply();
        register(d);
        d.start();
        LOG.info("netlink driver in use ({}, {})", reason, d.describe());
    }

    // ---- "auto" at runtime: the module appearing or going

    /** While "auto" runs the user-space driver: look for the module every {@code netlink_probe_ms}. */
    private synchronized void followModule(NetlinkConfig c) {
        cancelFollowing();
        long period = Math.max(100, c.netlink_probe_ms());
        try {
            probing = follower.scheduleWithFixedDelay(this::probe, period, period, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // deactivating
        }
    }

    private synchronized void cancelFollowing() {
        if (probing != null) {
            probing.cancel(false);
            probing = null;
        }
    }

    /** One look for the module; takes it over when it answers Hello. */
    private synchronized void probe() {
        NetlinkConfig c = config;
        if (driver != null || factory == null || !mode(c).equals("auto")) {
            return;
        }
        if (simulated == null && !Files.isDirectory(Path.of(ModuleDriver.SYSFS))) {
            return; // not loaded: no need to open a socket every few seconds to learn it again
        }
        ModuleDriver d = new ModuleDriver(factory, settings(c), new Events());
        String why = d.connectOnce();
        if (why != null) {
            d.close();
            String r = notUsed(why);
            if (!r.equals(reason)) {
                reason = r;
                LOG.info("{}; the user-space driver runs", reason);
            }
            return;
        }
        cancelFollowing();
        LOG.info("driver \"auto\": the kernel module appeared; the streams move to it");
        use(d, "driver \"auto\": the kernel module appeared");
    }

    /** "auto" and the module stopped answering: the user-space driver takes over unless it is back in time. */
    private void moduleWentQuiet(ModuleDriver d) {
        NetlinkConfig c = config;
        if (!mode(c).equals("auto")) {
            return; // "netlink": stay, with clear errors, until it is back
        }
        try {
            follower.schedule(() -> fallBack(d), Math.max(0, c.netlink_fallback_ms()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // deactivating
        }
    }

    private synchronized void fallBack(ModuleDriver d) {
        if (driver != d || d.ready() || !mode(config).equals("auto")) {
            return; // back in time, or another choice was made meanwhile
        }
        reason = "driver \"auto\": the kernel module went away (" + d.problem() + "); the user-space driver runs";
        driver = null;
        unregister(); // the session lets go of the module's Driver; it keeps its streams
        d.close();
        standDown.release(); // the user-space driver comes back and the session hands it every stream
        LOG.warn(reason);
        followModule(config);
    }

    private ModuleDriver.TransportFactory transport(String name) throws IOException {
        String t = name.trim();
        if (t.startsWith("simulated")) {
            simulated = new SimulatedModule(t.equals("simulated-abi1") ? Abi.ABI_1 : Abi.ABI_2);
            SimulatedModule sim = simulated;
            int pid = (int) ProcessHandle.current().pid();
            return () -> sim.transport(pid);
        }
        if (!t.equals("netlink")) {
            LOG.warn("netlink transport \"{}\" unknown (netlink, simulated, simulated-abi1): using netlink", t);
        }
        return () -> {
            try {
                return new AfNetlinkTransport();
            } catch (LinkageError e) {
                throw new IOException("JNA not available: " + e.getMessage(), e);
            }
        };
    }

    private synchronized void register(ModuleDriver d) {
        unregister();
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(Constants.SERVICE_RANKING, RANKING);
        p.put("aes67d.driver", "netlink");
        driverRegistration = context.registerService(Driver.class, d, p);
        clockRegistration = context.registerService(PtpClock.class, new ModulePtpClock(d), p);
    }

    private synchronized void reRegister(ModuleDriver d) {
        if (driver == d) {
            register(d);
        }
    }

    private synchronized void unregister() {
        for (ServiceRegistration<?> r : new ServiceRegistration<?>[] {driverRegistration, clockRegistration}) {
            if (r != null) {
                try {
                    r.unregister();
                } catch (IllegalStateException e) {
                    // already gone with the bundle
                }
            }
        }
        driverRegistration = null;
        clockRegistration = null;
    }

    /** Unregisters first (the session lets go), then says Bye to the module, then lets the others run again. */
    private synchronized void stop() {
        cancelFollowing();
        factory = null;
        ModuleDriver d = driver;
        driver = null;
        unregister();
        if (d != null) {
            d.close();
        }
        closeSimulated();
        if (!frameworkStopping) {
            standDown.release();
        }
    }

    private void closeSimulated() {
        if (simulated != null) {
            simulated.close();
            simulated = null;
        }
    }

    /** The module's connection and PTP changes, from the driver's monitor thread. */
    private final class Events implements ModuleDriver.Listener {
        @Override
        public void connected(ModuleDriver d) {
            if (driver == d && d.takeRefusedWhileAway()) {
                // streams the session could not hand over while the module was away: a new registration makes
                // the session hand every stream over again (on the notifier: stop() may hold the lock and wait
                // for this monitor thread)
                try {
                    notifier.execute(() -> reRegister(d));
                } catch (RejectedExecutionException e) {
                    // stopping
                }
            }
        }

        @Override
        public void lost(ModuleDriver d, String why) {
            // the driver logs it; sink status reads idle and stream changes fail until the module is back
            if (driver == d) {
                moduleWentQuiet(d);
            }
        }

        @Override
        public void ptpChanged(PtpStatus status) {
            if (status.state() == lastState) {
                return;
            }
            lastState = status.state();
            NetlinkConfig c = config;
            try {
                notifier.execute(() -> {
                    for (PtpStatusListener l : listeners) {
                        try {
                            l.ptpStatusChanged(status);
                        } catch (RuntimeException e) {
                            LOG.warn("PTP status listener failed", e);
                        }
                    }
                    runScript(c.ptp_status_script(), status.state());
                });
            } catch (RejectedExecutionException e) {
                // stopping
            }
        }
    }

    /** The C++ daemon's {@code ptp_status_script}, run with the new state when it is an executable file. */
    static void runScript(String script, PtpState state) {
        if (script == null || script.isBlank()) {
            return;
        }
        Path p = Path.of(script);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
            try {
                new ProcessBuilder(p.toString(), state.wireName()).redirectErrorStream(true)
                        .redirectOutput(Redirect.DISCARD).start();
            } catch (IOException e) {
                LOG.warn("cannot run PTP status script {}: {}", script, e.toString());
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(PtpStatusListener l) {
        listeners.add(l);
    }

    void removeListener(PtpStatusListener l) {
        listeners.remove(l);
    }

    /** Another Driver or PtpClock came (its bundle was restarted) while the module drives: it stands down too. */
    @Reference(service = Driver.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(!(aes67d.driver=netlink))")
    void addOtherDriver(Map<String, Object> props) {
        standDownLater();
    }

    void removeOtherDriver(Map<String, Object> props) {
        // nothing to do
    }

    @Reference(service = PtpClock.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, target = "(!(aes67d.driver=netlink))")
    void addOtherClock(Map<String, Object> props) {
        standDownLater();
    }

    void removeOtherClock(Map<String, Object> props) {
        // nothing to do
    }

    private void standDownLater() {
        if (driver != null) {
            try {
                notifier.execute(() -> {
                    if (driver != null) {
                        standDown.apply();
                    }
                });
            } catch (RejectedExecutionException e) {
                // stopping
            }
        }
    }

    // ---- GET /api/driver

    /** Which driver runs and why, and the module's state when it is used. */
    Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        ModuleDriver d = driver;
        NetlinkConfig c = config;
        s.put("driver", d == null ? "userspace" : "netlink");
        s.put("mode", c == null ? "auto" : mode(c));
        s.put("reason", reason);
        if (d != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("connected", d.ready());
            m.put("problem", d.problem() == null ? "" : d.problem());
            m.put("transport", d.describe());
            m.put("abi", d.abi() == null ? 0 : d.abi() == Abi.ABI_1 ? 1 : 2);
            m.put("version", ModuleDriver.moduleVersion());
            m.put("sample_rate", d.currentRate());
            m.put("streams", d.streamsInModule());
            m.put("master_volume", d.events().volume());
            m.put("master_switch", d.events().outputSwitch());
            s.put("module", m);
        }
        return s;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HttpAnswers.cppCors(resp); // filtered by the security bundle's origin policy
        if (req.getMethod().equals("OPTIONS")) {
            HttpAnswers.empty(resp, 200);
            return;
        }
        if (!req.getMethod().equals("GET")) {
            HttpAnswers.empty(resp, 404);
            return;
        }
        HttpAnswers.json(resp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(status()));
    }
}
