package org.aes67d.nmos.internal;

import java.util.Map;
import java.util.function.Supplier;

import org.aes67d.nmos.internal.HttpEndpoint.Reply;
import org.aes67d.nmos.internal.HttpEndpoint.Request;

/** IS-05 v1.1 Connection API. */
final class ConnectionApi {
    static final String VERSION = "v1.1";
    static final String PREFIX = "/x-nmos/connection/";

    ConnectionApi(Resources resources, NmosNode.Host host, Supplier<Snapshot> snapshot, Runnable changed) {
    }

    Map<Integer, String> activeSenders() {
        return Map.of();
    }

    void runScheduled() {
    }

    Reply handle(Request req, String rest) {
        return Errors.reply(404, "no such resource");
    }
}
