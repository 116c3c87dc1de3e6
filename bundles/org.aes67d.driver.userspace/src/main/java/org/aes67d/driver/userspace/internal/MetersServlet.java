package org.aes67d.driver.userspace.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.aes67d.api.driver.Driver;
import org.aes67d.api.driver.StreamLevels;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The engine's meters over HTTP, read by the console:
 * <ul>
 * <li>{@code GET /api/levels}: per-channel peak and RMS (dBFS) of every running source and sink, and how long
 * ago each last carried audio;</li>
 * <li>{@code GET /api/sinks/history[?since=<epoch ms>]}: each sink's arrival margin per second (smallest, mean,
 * largest, in ms) and the glitches of that second, for the last ten minutes, sampled here once a second.</li>
 * </ul>
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({MetersServlet.LEVELS, MetersServlet.HISTORY})
public final class MetersServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String LEVELS = "/api/levels";
    static final String HISTORY = "/api/sinks/history";
    static final int SECONDS_KEPT = 600;

    private final transient SinkHistory history = new SinkHistory(SECONDS_KEPT);
    private transient volatile UserspaceDriver driver;
    private final transient ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aes67d-sink-history");
        t.setDaemon(true);
        return t;
    });

    @Activate
    void activate() {
        sampler.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        sampler.shutdownNow();
    }

    @Reference(service = Driver.class, target = "(aes67d.driver=userspace)", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setDriver(Driver d) {
        driver = (UserspaceDriver) d; // this bundle's component: its engine is ours to read
    }

    void unsetDriver(Driver d) {
        if (driver == d) {
            driver = null;
        }
    }

    /** Sampler thread: one second of every running sink. */
    void sample() {
        UserspaceDriver u = driver;
        EngineDriver d = u == null ? null : u.engineDriver();
        long nowMillis = System.currentTimeMillis();
        long nowNanos = System.nanoTime();
        if (d == null) {
            return; // the driver restarts (a configuration change): the history waits for its streams
        }
        synchronized (history) {
            Set<Integer> ids = d.sinkIds();
            for (int id : ids) {
                SinkStream s = d.engine().sink(id);
                if (s != null) {
                    List<ArrivalStats.Window> w = s.arrivals.windowsAfter(history.lastWindow(id, s));
                    history.sample(id, s, s.rate, w, VerifierCounters.glitches(s.counters()), nowMillis, nowNanos);
                }
            }
            history.retain(ids);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (HISTORY.equals(req.getServletPath())) {
            long since;
            try {
                String p = req.getParameter("since");
                since = p == null ? Long.MIN_VALUE : Long.parseLong(p);
            } catch (NumberFormatException e) {
                send(resp, 400, "text/plain; charset=utf-8",
                        "failed to get sink history : (daemon) since must be a time in ms since 1970");
                return;
            }
            send(resp, 200, "application/json", historyJson(since));
        } else {
            send(resp, 200, "application/json", levelsJson());
        }
    }

    private String historyJson(long since) {
        Map<Integer, List<SinkHistory.Sample>> all;
        synchronized (history) {
            all = history.since(since);
        }
        StringBuilder b = new StringBuilder("{\"interval_ms\":1000,\"sinks\":{");
        boolean first = true;
        for (Map.Entry<Integer, List<SinkHistory.Sample>> e : all.entrySet()) {
            b.append(first ? "" : ",").append('"').append(e.getKey()).append("\":[");
            first = false;
            boolean firstSample = true;
            for (SinkHistory.Sample s : e.getValue()) {
                b.append(firstSample ? "" : ",").append('[').append(s.epochMillis()).append(',');
                firstSample = false;
                number(b, s.minMs()).append(',');
                number(b, s.meanMs()).append(',');
                number(b, s.maxMs()).append(',').append(s.packets()).append(',').append(s.glitches()).append(']');
            }
            b.append(']');
        }
        return b.append("}}").toString();
    }

    private String levelsJson() {
        UserspaceDriver u = driver;
        EngineDriver d = u == null ? null : u.engineDriver();
        StringBuilder b = new StringBuilder("{\"sources\":[");
        if (d != null) {
            levels(b, d.sourceIds(), d::sourceLevels);
        }
        b.append("],\"sinks\":[");
        if (d != null) {
            levels(b, d.sinkIds(), d::sinkLevels);
        }
        return b.append("]}").toString();
    }

    private static void levels(StringBuilder b, Set<Integer> ids, java.util.function.IntFunction<StreamLevels> read) {
        boolean first = true;
        for (int id : ids) {
            StreamLevels l = read.apply(id);
            if (l == null) {
                continue; // stopped since the listing
            }
            b.append(first ? "" : ",").append("{\"id\":").append(id).append(",\"peak_dbfs\":");
            first = false;
            dbfs(b, l.peak()).append(",\"rms_dbfs\":");
            dbfs(b, l.rms()).append(",\"age_ms\":");
            b.append(l.ageNanos() == Long.MAX_VALUE ? "null" : Long.toString(l.ageNanos() / 1_000_000)).append('}');
        }
    }

    private static StringBuilder dbfs(StringBuilder b, float[] levels) {
        b.append('[');
        for (int c = 0; c < levels.length; c++) {
            double db = Math.max(-120, StreamLevels.dbfs(levels[c]));
            b.append(c == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.1f", db));
        }
        return b.append(']');
    }

    private static StringBuilder number(StringBuilder b, Double v) {
        return b.append(v == null ? "null" : String.format(Locale.ROOT, "%.3f", v));
    }

    private static void send(HttpServletResponse resp, int status, String type, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType(type);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
