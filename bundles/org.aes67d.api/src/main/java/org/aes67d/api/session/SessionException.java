package org.aes67d.api.session;

/**
 * A domain error of the session manager; {@link #getMessage()} is the text after {@code (<category>)} in REST
 * errors.
 */
public class SessionException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean clientError;
    private final String category;

    public SessionException(String message, boolean clientError) {
        this(message, clientError, "daemon");
    }

    /**
     * An error in one of the C++ daemon's error categories ({@code "daemon"}, {@code "driver"}).
     *
     * @since 1.3
     */
    public SessionException(String message, boolean clientError, String category) {
        super(message);
        this.clientError = clientError;
        this.category = category == null ? "daemon" : category;
    }

    /** True for errors caused by the request (400), false for internal or driver failures (500). */
    public boolean isClientError() {
        return clientError;
    }

    /**
     * The category REST puts in parentheses before the message: {@code "daemon"} unless the driver says otherwise.
     *
     * @since 1.3
     */
    public String category() {
        return category;
    }
}
