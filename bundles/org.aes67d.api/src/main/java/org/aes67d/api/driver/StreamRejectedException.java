package org.aes67d.api.driver;

/**
 * The driver refuses a stream because of what was asked (a WAV that is not PCM, a channel count that does not
 * match the file, an unknown io scheme): the REST API answers 400 with this message, not 500.
 *
 * @since 1.1
 */
public class StreamRejectedException extends DriverException {
    private static final long serialVersionUID = 1L;

    public StreamRejectedException(String message) {
        super(message, null);
    }

    /**
     * A refusal in an error category of the C++ daemon (see {@link DriverException#category()}).
     *
     * @since 1.3
     */
    public StreamRejectedException(String message, String category) {
        super(message, null, category);
    }
}
