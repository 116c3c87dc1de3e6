package org.aes67d.webconsole.status.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URL;
import java.util.regex.Pattern;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A console page whose content is built in the browser from the REST API, so the page and {@code /api} can never
 * disagree. The server side only writes the mount point and the script tags, and serves the page's static files
 * from {@code /res/aes67/} of this bundle.
 */
abstract class AdminPage extends AbstractServlet {
    private static final long serialVersionUID = 1L;
    /** Only our own flat files: no other resource of the bundle's class space is reachable through the console. */
    private static final Pattern RESOURCE = Pattern.compile("/[^/]+(/res/aes67/[a-z0-9-]+\\.(?:js|css|json))");
    /** Where the pages call the daemon: the REST API is served at the root of the same HTTP server. */
    static final String API = "/api";

    private final String label;
    private final String script;
    private final String cacheKey;
    private final String[] helpers;

    /**
     * @param label the console label "aes67-NAME"; the page's script is {@code /res/aes67/NAME.js}
     * @param cacheKey changes with every install of the bundle, so a browser never runs a stale script after an
     *        update
     */
    AdminPage(String label, String cacheKey) {
        this(label, cacheKey, new String[0]);
    }

    /** @param helpers scripts of {@code /res/aes67/} the page's script uses, loaded before it (names without .js) */
    AdminPage(String label, String cacheKey, String... helpers) {
        this.helpers = helpers.clone();
        this.label = label;
        this.script = label.substring(label.indexOf('-') + 1);
        this.cacheKey = cacheKey;
    }

    String label() {
        return label;
    }

    @Override
    protected URL getResource(String path) {
        var m = path == null ? null : RESOURCE.matcher(path);
        return m != null && m.matches() ? getClass().getResource(m.group(1)) : null;
    }

    @Override
    public void renderContent(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        render(resp.getWriter(), String.valueOf(req.getAttribute(ServletConstants.ATTR_APP_ROOT)),
                String.valueOf(req.getAttribute(ServletConstants.ATTR_PLUGIN_ROOT)));
    }

    void render(PrintWriter out, String appRoot, String pluginRoot) {
        String res = Html.escape(pluginRoot) + "/res/aes67/";
        String v = "?v=" + Html.escape(cacheKey);
        out.println("<link rel='stylesheet' type='text/css' href='" + res + "aes67.css" + v + "'/>");
        out.println("<div id='aes67' class='aes67' data-page='" + Html.escape(script) + "' data-api='" + API
                + "' data-app-root='" + Html.escape(appRoot) + "' data-res='" + res + "' data-v='"
                + Html.escape(cacheKey) + "'>");
        out.println("<noscript><p class='statline ui-state-error'>This page needs JavaScript: it reads and changes"
                + " the daemon through its REST API at " + API + ".</p></noscript>");
        out.println("</div>");
        out.println("<script type='text/javascript' src='" + res + "aes67.js" + v + "'></script>");
        for (String helper : helpers) {
            out.println("<script type='text/javascript' src='" + res + Html.escape(helper) + ".js" + v + "'></script>");
        }
        out.println("<script type='text/javascript' src='" + res + Html.escape(script) + ".js" + v + "'></script>");
    }

    /** The bundle's last-modified time: new on every install or update of the bundle. */
    static String cacheKey(org.osgi.framework.BundleContext context) {
        return Long.toString(context.getBundle().getLastModified(), 36);
    }
}
