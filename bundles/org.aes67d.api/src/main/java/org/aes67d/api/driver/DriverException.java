package org.aes67d.api.driver;

/** The driver could not start a stream (socket, backend or kernel module failure). */
public class DriverException extends Exception {
    private static final long serialVersionUID = 1L;

    public DriverException(String message, Throwable cause) {
        super(message, cause);
    }
}
