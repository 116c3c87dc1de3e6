package org.aes67d.audio.alsa.internal;

import java.util.Map;

import org.aes67d.util.servlet.JsonStatusServlet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;

/** {@code GET /api/audio/alsa}: {@code {"endpoints":[...]}}, one entry per open ALSA endpoint. */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/audio/alsa")
public final class AlsaStatusServlet extends JsonStatusServlet {
    private static final long serialVersionUID = 1L;
    private final transient AlsaBackend backend;

    @Activate
    public AlsaStatusServlet(@Reference AlsaBackend backend) {
        this.backend = backend;
    }

    @Override
    protected Object status() {
        return Map.of("endpoints", backend.endpoints());
    }
}
