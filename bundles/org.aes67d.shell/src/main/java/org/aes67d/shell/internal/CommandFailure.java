package org.aes67d.shell.internal;

/** A refused command; the message is the whole text the user sees (the REST API's text for the same request). */
public final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommandFailure(String message) {
        super(message);
    }

    /** Gogo prints an exception's {@code toString()}: without the class name, the text matches the REST body. */
    @Override
    public String toString() {
        return getMessage();
    }
}
