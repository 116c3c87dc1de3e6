package org.aes67d.nmos.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/nmos/status} on the daemon's HTTP port (through the whiteboard, so the security and metrics
 * filters apply): which registry the node uses and how it was found, registered or not, the last heartbeat and the
 * last error. The console's Browser page shows it.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/nmos/status")
public final class NmosStatusServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient NmosComponent nmos;

    @Activate
    public NmosStatusServlet(@Reference NmosComponent nmos) {
        this.nmos = nmos;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write(Resources.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(nmos.status()));
    }
}
