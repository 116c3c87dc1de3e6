package org.aes67d.nmos.internal;

import java.io.IOException;

import org.aes67d.api.session.SessionManager;
import org.aes67d.nmos.internal.ConnectionApi.Refusal;
import org.aes67d.nmos.internal.HttpEndpoint.Reply;
import org.aes67d.nmos.internal.HttpEndpoint.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/** What the IS-05 and IS-08 APIs share: refusals as the NMOS error body, read-only resources, JSON bodies. */
final class ApiCalls {
    private static final Logger LOG = LoggerFactory.getLogger(ApiCalls.class);

    private ApiCalls() {
    }

    /** One request's handling, which may refuse it. */
    @FunctionalInterface
    interface Route {
        Reply route(String method, String[] path) throws Refusal;
    }

    /**
     * Answers {@code req}: {@code rest} is the path after the API's prefix; its first segment must be
     * {@code version} (an empty path lists the version). HEAD is routed as GET (the server drops the body). A
     * refusal becomes the error body; ours (5xx) are logged with {@code api}.
     */
    static Reply answer(String api, String version, Request req, String rest, Route route) {
        String m = req.method().equals("HEAD") ? "GET" : req.method();
        try {
            if (rest.isEmpty()) {
                return get(m, NodeApi.array(version + "/"));
            }
            String[] p = rest.split("/", -1);
            if (!p[0].equals(version)) {
                throw new Refusal(404, "API version " + p[0] + " not served (only " + version + ")");
            }
            return route.route(m, p);
        } catch (Refusal e) {
            if (e.code >= 500) {
                LOG.warn("NMOS {} {} {}: {}", api, req.method(), req.path(), e.getMessage());
            }
            return Errors.reply(e.code, e.getMessage());
        }
    }

    /** A read-only resource: 200 with {@code body} for GET, 405 otherwise. */
    static Reply get(String method, JsonNode body) throws Refusal {
        if (!method.equals("GET")) {
            throw new Refusal(405, "method not allowed");
        }
        return Reply.json(200, body);
    }

    /** The request's JSON body; malformed or empty: 400. */
    static JsonNode parse(Request req) throws Refusal {
        try {
            JsonNode n = Resources.JSON.readTree(req.bodyText());
            if (n == null || n.isMissingNode()) {
                throw new Refusal(400, "empty body");
            }
            return n;
        } catch (IOException e) {
            throw new Refusal(400, "malformed JSON: " + e.getMessage());
        }
    }

    /** The session manager, or 503 while its bundle restarts. */
    static SessionManager sessions(NmosNode.Host host) throws Refusal {
        SessionManager sm = host.sessions();
        if (sm == null) {
            throw new Refusal(503, "session manager not available (restarting)");
        }
        return sm;
    }
}
