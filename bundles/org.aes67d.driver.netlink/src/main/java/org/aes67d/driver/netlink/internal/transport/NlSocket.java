package org.aes67d.driver.netlink.internal.transport;

import java.io.Closeable;
import java.io.IOException;

/** One socket of one of the two netlink protocols: datagrams to and from the kernel. */
public interface NlSocket extends Closeable {

    /** Sends one datagram to the kernel. */
    void send(byte[] datagram) throws IOException;

    /**
     * Receives one datagram into {@code buf}.
     *
     * @param timeoutMillis how long to wait; 0 = only what is already queued
     * @return its length, or -1 when nothing arrived in time
     */
    int receive(byte[] buf, int timeoutMillis) throws IOException;
}
