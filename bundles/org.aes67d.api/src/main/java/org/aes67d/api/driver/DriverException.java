package org.aes67d.api.driver;

/** The driver could not start a stream (socket, backend or kernel module failure). */
public class DriverException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String category;

    public DriverException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /**
     * A failure whose message is already the C++ daemon's text of an error in {@code category} (e.g. the kernel
     * module's {@code "driver"} codes): REST answers {@code <context> : (<category>) <message>} with nothing added.
     *
     * @since 1.3
     */
    public DriverException(String message, Throwable cause, String category) {
        super(message, cause);
        this.category = category;
    }

    /**
     * The error category of the message ({@code "driver"}, {@code "daemon"}), or null when the message is the
     * driver's own description (then REST reports it as a {@code "daemon"} error about the driver).
     *
     * @since 1.3
     */
    public String category() {
        return category;
    }
}
