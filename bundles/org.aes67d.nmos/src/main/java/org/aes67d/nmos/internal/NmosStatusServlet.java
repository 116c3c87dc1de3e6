package org.aes67d.nmos.internal;

import org.aes67d.util.servlet.JsonStatusServlet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;

/**
 * {@code GET /api/nmos/status} on the daemon's HTTP port (through the whiteboard, so the security and metrics
 * filters apply): which registry the node uses and how it was found, registered or not, the last heartbeat and the
 * last error. The console's Browser page shows it.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/nmos/status")
public final class NmosStatusServlet extends JsonStatusServlet {
    private static final long serialVersionUID = 1L;
    private final transient NmosComponent nmos;

    @Activate
    public NmosStatusServlet(@Reference NmosComponent nmos) {
        this.nmos = nmos;
    }

    @Override
    protected Object status() {
        return nmos.status();
    }
}
