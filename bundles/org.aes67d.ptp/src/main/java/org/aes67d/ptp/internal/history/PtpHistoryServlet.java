package org.aes67d.ptp.internal.history;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.aes67d.api.ptp.PtpClock;
import org.aes67d.api.ptp.PtpStatus;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/ptp/history[?since=<epoch ms>]}: the PTP clock's offset and path delay, one sample a second
 * for the last ten minutes, kept by the PTP bundle whether or not anybody looks (the console's PTP page plots it).
 * JSON: {@code {"interval_ms": 1000, "samples": [[epoch_ms, offset_ns, path_delay_ns, "locked"], ...]}}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/ptp/history")
public final class PtpHistoryServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final int SECONDS_KEPT = 600;

    private final transient PtpClock clock;
    private final transient OffsetHistory history = new OffsetHistory(SECONDS_KEPT);
    private final transient ObjectMapper json = new ObjectMapper();
    private final transient ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ptp-history");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public PtpHistoryServlet(@Reference PtpClock clock) {
        this.clock = clock;
        sampler.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        sampler.shutdownNow();
    }

    private void sample() {
        PtpStatus s = clock.status();
        history.add(System.currentTimeMillis(), s.state().wireName(), s.offsetNs(), s.pathDelayNs());
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long since;
        try {
            String p = req.getParameter("since");
            since = p == null ? Long.MIN_VALUE : Long.parseLong(p);
        } catch (NumberFormatException e) {
            byte[] body = "failed to get PTP history : (daemon) since must be a time in ms since 1970"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            resp.setStatus(400);
            resp.setContentType("text/plain; charset=utf-8");
            resp.setContentLength(body.length);
            resp.getOutputStream().write(body);
            return;
        }
        List<Object[]> samples = new ArrayList<>();
        for (OffsetHistory.Sample s : history.since(since)) {
            samples.add(new Object[] { s.epochMillis(), s.offsetNs(), s.pathDelayNs(), s.state() });
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("interval_ms", 1000);
        out.put("samples", samples);
        byte[] body = json.writeValueAsBytes(out);
        resp.setStatus(200);
        resp.setContentType("application/json");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
