package org.aes67d.rest.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Serves the C++ daemon's web UI from {@code http_base_dir}, so its users keep it; {@code GET /} answers 200
 * with an empty page when there is none. Only files inside the folder are served.
 */
@Component(service = Servlet.class, configurationPid = "org.aes67d.rest", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@HttpWhiteboardServletPattern("/")
@Designate(ocd = RootConfig.class)
public final class RootServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private volatile Path base;

    @Activate
    @Modified
    void configure(RootConfig config) {
        base = Path.of(config.http_base_dir()).toAbsolutePath().normalize();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        // registered as the default servlet ("/"): the path is all in the servlet path, and the path info is null
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        if (path.isEmpty()) {
            path = "/";
        }
        Path root = base;
        Path file = root.resolve(path.substring(1)).normalize();
        if (path.equals("/") || Files.isDirectory(file)) {
            file = file.resolve("index.html");
        }
        if (file.startsWith(root) && Files.isRegularFile(file) && isInside(root, file)) {
            resp.setContentType(contentType(file.getFileName().toString()));
            resp.setContentLengthLong(Files.size(file));
            Files.copy(file, resp.getOutputStream());
        } else if (path.equals("/")) {
            resp.setContentType("text/html");
            resp.setContentLength(0);
        } else {
            resp.setStatus(404);
            resp.setContentLength(0);
        }
    }

    /** Follows links: a link inside the folder that points outside it is not served. */
    private static boolean isInside(Path root, Path file) throws IOException {
        return !Files.exists(root) || file.toRealPath().startsWith(root.toRealPath());
    }

    static String contentType(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith(".html")) return "text/html";
        if (n.endsWith(".js")) return "application/javascript";
        if (n.endsWith(".css")) return "text/css";
        if (n.endsWith(".json")) return "application/json";
        if (n.endsWith(".svg")) return "image/svg+xml";
        if (n.endsWith(".png")) return "image/png";
        if (n.endsWith(".ico")) return "image/x-icon";
        return "application/octet-stream";
    }
}
