package org.aes67d.api.session;

/** A domain error of the session manager; {@link #getMessage()} is the text after "(daemon)" in REST errors. */
public class SessionException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean clientError;

    public SessionException(String message, boolean clientError) {
        super(message);
        this.clientError = clientError;
    }

    /** True for errors caused by the request (400), false for internal or driver failures (500). */
    public boolean isClientError() {
        return clientError;
    }
}
