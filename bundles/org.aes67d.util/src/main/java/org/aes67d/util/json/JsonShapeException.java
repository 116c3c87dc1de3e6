package org.aes67d.util.json;

/** A JSON object lacks a key or has a value of the wrong type; the message names the key. */
public final class JsonShapeException extends Exception {
    private static final long serialVersionUID = 1L;

    public JsonShapeException(String message) {
        super(message);
    }
}
