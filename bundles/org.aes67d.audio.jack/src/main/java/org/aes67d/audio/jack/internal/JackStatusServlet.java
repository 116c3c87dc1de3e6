package org.aes67d.audio.jack.internal;

import org.aes67d.util.servlet.JsonStatusServlet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;

/** {@code GET /api/audio/jack}: the client and one entry per stream. */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/audio/jack")
public final class JackStatusServlet extends JsonStatusServlet {
    private static final long serialVersionUID = 1L;
    private final transient JackBackend backend;

    @Activate
    public JackStatusServlet(@Reference JackBackend backend) {
        this.backend = backend;
    }

    @Override
    protected Object status() {
        return backend.status();
    }
}
