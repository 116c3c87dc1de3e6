package org.aes67d.itest.probe.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Answers GET /itest-probe with its configured message: shows a hot-deployed bundle and a live .cfg change. */
@Component(service = Servlet.class, configurationPid = "org.aes67d.itest.probe")
@HttpWhiteboardServletPattern("/itest-probe")
public final class ProbeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @interface Config {
        String message() default "probe";
    }

    private volatile String message;

    @Activate
    @Modified
    void configure(Config config) {
        message = config.message();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        resp.getWriter().write(message);
    }
}
