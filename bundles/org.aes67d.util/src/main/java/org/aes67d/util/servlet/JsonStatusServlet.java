package org.aes67d.util.servlet;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A read-only status resource registered on the HTTP whiteboard by the bundle that owns the state: GET answers
 * {@link #status()} as pretty-printed JSON. Cross-origin and access policy are not set here: they are the
 * security bundle's whiteboard filters', the same for every servlet.
 */
public abstract class JsonStatusServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient ObjectMapper json = new ObjectMapper();

    /** The document to answer, any Jackson-serialisable value (maps, lists, records). */
    protected abstract Object status();

    @Override
    protected final void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write(json.writerWithDefaultPrettyPrinter().writeValueAsString(status()));
    }
}
