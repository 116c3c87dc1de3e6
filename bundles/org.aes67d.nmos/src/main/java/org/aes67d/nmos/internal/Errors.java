package org.aes67d.nmos.internal;

import org.aes67d.nmos.internal.HttpEndpoint.Reply;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The NMOS error body ({@code code}, {@code error}, {@code debug}) of IS-04 and IS-05. */
final class Errors {
    private Errors() {
    }

    static ObjectNode body(int code, String error) {
        ObjectNode e = Resources.JSON.createObjectNode();
        e.put("code", code);
        e.put("error", error);
        e.putNull("debug");
        return e;
    }

    static Reply reply(int code, String error) {
        return Reply.json(code, body(code, error));
    }
}
