package org.aes67d.driver.netlink.internal.transport;

import java.io.IOException;

/**
 * Opens the two sockets the driver talks to the module on. The real one is {@link AfNetlinkTransport}; tests and
 * the simulated module use {@link UdpTransport}, which carries the same bytes over loopback UDP.
 */
public interface NlTransport {

    /**
     * Opens the socket of a protocol ({@code 31} commands, {@code 29} events), bound to {@link #portId()}.
     *
     * @throws ModuleNotLoadedException when the kernel does not know the protocol: the module is not loaded
     */
    NlSocket open(int protocol) throws IOException;

    /** The netlink port id P both sockets are bound to and every message carries in {@code nlmsg_pid}. */
    int portId();

    /** For logs and the status page, e.g. {@code AF_NETLINK} or {@code udp 127.0.0.1:40123}. */
    String describe();
}
