package org.aes67d.driver.netlink.internal.transport;

import java.io.IOException;

/** The kernel has no RAVENNA/AES67 netlink protocol: the module is not loaded. */
public class ModuleNotLoadedException extends IOException {
    private static final long serialVersionUID = 1L;

    public ModuleNotLoadedException(String message) {
        super(message);
    }
}
