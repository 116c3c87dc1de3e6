package org.aes67d.metrics.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.aes67d.api.discovery.SourceBrowser;
import org.aes67d.api.driver.Driver;
import org.aes67d.api.limits.Refusals;
import org.aes67d.api.ptp.PtpClock;
import org.aes67d.api.session.SessionManager;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /metrics}: the daemon's metrics and the JVM's (memory, GC, threads) in the Prometheus text format,
 * or OpenMetrics when the scraper asks for it in {@code Accept}. The registry is this component's own, so a
 * restart of the bundle starts clean.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/metrics")
public final class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient PrometheusRegistry registry = new PrometheusRegistry();
    private final transient ExpositionFormats formats = ExpositionFormats.init();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PtpClock ptpClock;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SessionManager sessions;

    /** The driver in use (the highest ranked, as the session manager's): per-stream counters and levels. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Driver driver;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private final transient List<SourceBrowser> browsers = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private final transient List<Refusals> refusals = new CopyOnWriteArrayList<>();

    @Activate
    public MetricsServlet(@Reference PtpChanges ptpChanges, @Reference RequestCounter requests) {
        registry.register(new DaemonCollector(() -> ptpClock, () -> sessions, () -> browsers, ptpChanges, requests));
        registry.register(new RefusalCollector(refusals));
        registry.register(new StreamCollector(() -> sessions, () -> driver));
        JvmMetrics.builder().register(registry);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ExpositionFormatWriter writer = formats.findWriter(req.getHeader("Accept"));
        ByteArrayOutputStream body = new ByteArrayOutputStream(32 * 1024);
        writer.write(body, registry.scrape());
        resp.setStatus(200);
        resp.setContentType(writer.getContentType());
        resp.setContentLength(body.size());
        body.writeTo(resp.getOutputStream());
    }
}
