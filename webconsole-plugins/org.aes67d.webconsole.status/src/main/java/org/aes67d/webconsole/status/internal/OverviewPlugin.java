package org.aes67d.webconsole.status.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.aes67d.api.audio.AudioStatus;
import org.aes67d.api.config.DaemonConfigService;
import org.aes67d.api.ptp.PtpClock;
import org.aes67d.api.ptp.PtpStatus;
import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Web Console page "AES67 > Daemon": identity, network, PTP state, and where the configuration lives. */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=aes67-daemon",
        ServletConstants.PLUGIN_TITLE + "=Daemon",
        ServletConstants.PLUGIN_CATEGORY + "=AES67" })
public final class OverviewPlugin extends AbstractServlet {
    private static final long serialVersionUID = 1L;

    private final transient DaemonConfigService config;
    private final String version;
    private final String configFile;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PtpClock ptpClock;

    /** ALSA and JACK bindings (the Audio Device's and per stream): state, latency, drift. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private final List<AudioStatus> audio = new CopyOnWriteArrayList<>();

    @Activate
    public OverviewPlugin(BundleContext context, @Reference DaemonConfigService config) {
        this.config = config;
        String v = context.getProperty("aes67d.version");
        this.version = v != null ? v : context.getBundle().getVersion().toString();
        String f = context.getProperty("aes67d.config");
        this.configFile = f != null ? f : "(none: defaults, not saved)";
    }

    @Override
    public void renderContent(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        PtpClock clock = ptpClock;
        render(resp.getWriter(), version, configFile, config.snapshot(),
                clock == null ? PtpStatus.unlocked() : clock.status(), clock != null);
        List<Map<String, Object>> endpoints = new ArrayList<>();
        for (AudioStatus a : audio) {
            endpoints.addAll(a.endpoints());
        }
        renderAudio(resp.getWriter(), endpoints);
    }

    /** One row per device endpoint: where it is, whether it runs, what it costs in latency, how its clock drifts. */
    static void renderAudio(PrintWriter out, List<Map<String, Object>> endpoints) {
        // not class nicetable: the page's first table is found by that class (e2e), this one comes second
        out.println("<table class='ui-widget aes67-audio'><thead>"
                + "<tr><th colspan='8'>Audio bindings (ALSA, JACK)</th></tr>"
                + "<tr><th>io</th><th>direction</th><th>state</th><th>format / period / buffer</th>"
                + "<th>added latency</th><th>drift</th><th>resampler</th><th>xruns / underrun / overrun frames</th>"
                + "</tr></thead><tbody>");
        if (endpoints.isEmpty()) {
            out.println("<tr><td colspan='8'>none: no stream or Audio Device binding uses alsa: or jack:</td></tr>");
        }
        for (Map<String, Object> e : endpoints) {
            String state = String.valueOf(e.get("state"));
            Object error = e.get("error");
            out.println("<tr><td>" + Html.escape(e.get("io")) + "</td><td>" + Html.escape(e.get("direction"))
                    + "</td><td>" + Html.escape(error == null || "".equals(error) ? state : state + ": " + error)
                    + "</td><td>" + Html.escape(e.get("format") + " / " + e.get("period_frames") + " / "
                    + e.get("buffer_frames")) + "</td><td>" + Html.escape(e.get("latency_ms") + " ms")
                    + "</td><td>" + Html.escape(e.get("drift_ppm") + " ppm") + "</td><td>"
                    + Html.escape(e.get("resampler") + " (ratio " + e.get("resampler_ratio") + ")") + "</td><td>"
                    + Html.escape(e.get("xruns") + " / " + e.get("underrun_frames") + " / " + e.get("overrun_frames"))
                    + "</td></tr>");
        }
        out.println("</tbody></table>");
        out.println("<p>As JSON: <a href='/api/audio/alsa'>/api/audio/alsa</a>, "
                + "<a href='/api/audio/jack'>/api/audio/jack</a>.</p>");
    }

    static void render(PrintWriter out, String version, String configFile, Map<String, Object> cfg, PtpStatus ptp,
            boolean ptpPresent) {
        out.println("<table class='nicetable'><thead><tr><th colspan='2'>AES67 daemon</th></tr></thead><tbody>");
        row(out, "Version", version);
        row(out, "Node id", cfg.get("node_id"));
        row(out, "Interface", cfg.get("interface_name") + " (" + cfg.get("ip_addr") + ", " + cfg.get("mac_addr") + ")");
        row(out, "Config file", configFile);
        row(out, "Default sample rate", cfg.get("sample_rate") + " Hz");
        row(out, "PTP", ptp.state().wireName() + (ptpPresent ? "" : " (no PTP bundle running)")
                + ", domain " + cfg.get("ptp_domain") + ", DSCP " + cfg.get("ptp_dscp"));
        row(out, "Grandmaster", ptp.grandmasterId());
        row(out, "Jitter", ptp.jitter());
        out.println("</tbody></table>");
        out.println("<p>REST API: <a href='/api/config'>/api/config</a>, <a href='/api/ptp/status'>/api/ptp/status</a>."
                + " Configuration keys are edited on AES67 &gt; Config (which uses the REST API), or in the daemon's"
                + " records under OSGi &gt; Configuration (PIDs org.aes67d.*); all are saved to the config file.</p>");
    }

    private static void row(PrintWriter out, String name, Object value) {
        out.println("<tr><td>" + Html.escape(name) + "</td><td>" + Html.escape(value) + "</td></tr>");
    }
}
