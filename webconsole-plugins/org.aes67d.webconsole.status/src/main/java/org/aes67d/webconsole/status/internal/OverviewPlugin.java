package org.aes67d.webconsole.status.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;

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
