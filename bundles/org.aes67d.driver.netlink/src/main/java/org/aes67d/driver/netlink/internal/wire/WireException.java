package org.aes67d.driver.netlink.internal.wire;

/** Bytes from the module (or sent to the simulated module) that do not form a valid message. */
public class WireException extends Exception {
    private static final long serialVersionUID = 1L;

    public WireException(String message) {
        super(message);
    }
}
