package org.aes67d.audio.jack.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /api/audio/jack}: the client and one entry per stream. */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/audio/jack")
public final class JackStatusServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient ObjectMapper json = new ObjectMapper();
    private final transient JackBackend backend;

    @Activate
    public JackStatusServlet(@Reference JackBackend backend) {
        this.backend = backend;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Access-Control-Allow-Origin", "*");
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write(json.writerWithDefaultPrettyPrinter()
                .writeValueAsString(backend.status()));
    }
}
