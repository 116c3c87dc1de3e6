package org.aes67d.nmos.internal;

import java.util.function.Supplier;

import org.aes67d.nmos.internal.HttpEndpoint.Reply;
import org.aes67d.nmos.internal.HttpEndpoint.Request;
import org.aes67d.nmos.internal.Resources.Type;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** IS-04 v1.3 Node API: {@code /x-nmos/node/v1.3/} read from the current snapshot. */
final class NodeApi {
    static final String PREFIX = "/x-nmos/node/";

    private final Supplier<Snapshot> snapshot;

    NodeApi(Supplier<Snapshot> snapshot) {
        this.snapshot = snapshot;
    }

    /** {@code rest} is the path after {@code /x-nmos/node/}, without trailing slash. */
    Reply handle(Request req, String rest) {
        if (!req.method().equals("GET") && !req.method().equals("HEAD")) {
            return Errors.reply(405, "method not allowed");
        }
        if (rest.isEmpty()) {
            return Reply.json(200, array(Resources.API_VERSION + "/"));
        }
        String[] p = rest.split("/", -1);
        if (!p[0].equals(Resources.API_VERSION)) {
            return Errors.reply(404, "API version " + p[0] + " not served (only " + Resources.API_VERSION + ")");
        }
        Snapshot s = snapshot.get();
        if (p.length == 1) {
            return Reply.json(200, array("self/", "sources/", "flows/", "devices/", "senders/", "receivers/"));
        }
        if (p[1].equals("self") && p.length == 2) {
            ObjectNode self = s.of(Type.NODE).values().stream().findFirst().orElse(null);
            return self == null ? Errors.reply(503, "node not ready") : Reply.json(200, self);
        }
        Type type = switch (p[1]) {
            case "sources" -> Type.SOURCE;
            case "flows" -> Type.FLOW;
            case "devices" -> Type.DEVICE;
            case "senders" -> Type.SENDER;
            case "receivers" -> Type.RECEIVER;
            default -> null;
        };
        if (type == null || p.length > 3) {
            return Errors.reply(404, "no such resource");
        }
        if (p.length == 2) {
            ArrayNode all = Resources.JSON.createArrayNode();
            s.of(type).values().forEach(all::add);
            return Reply.json(200, all);
        }
        ObjectNode one = s.get(type, p[2]);
        return one == null ? Errors.reply(404, type.word + " " + p[2] + " not found") : Reply.json(200, one);
    }

    static ArrayNode array(String... items) {
        ArrayNode a = Resources.JSON.createArrayNode();
        for (String i : items) {
            a.add(i);
        }
        return a;
    }
}
