package org.aes67d.driver.userspace.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.Enumeration;

/**
 * Sockets of the engine, bound to the configured interface. Multicast never relies on the routing table: senders
 * name the interface (IP_MULTICAST_IF) and bind its address, receivers join on it. That is what makes multicast
 * on {@code lo} work on a host whose default route is another interface.
 */
final class Net {
    private final NetworkInterface nif;
    private final Inet4Address local;

    private Net(NetworkInterface nif, Inet4Address local) {
        this.nif = nif;
        this.local = local;
    }

    /**
     * @param interfaceName {@code interface_name} (the first of a comma-separated pair)
     * @param ipAddr {@code ip_addr}: preferred address when it belongs to the interface; may be empty
     */
    static Net of(String interfaceName, String ipAddr) throws IOException {
        String name = interfaceName.split(",", -1)[0].trim();
        NetworkInterface nif = NetworkInterface.getByName(name);
        if (nif == null) {
            throw new IOException("no network interface " + name);
        }
        Inet4Address first = null;
        Inet4Address preferred = null;
        for (Enumeration<InetAddress> e = nif.getInetAddresses(); e.hasMoreElements();) {
            InetAddress a = e.nextElement();
            if (a instanceof Inet4Address) {
                if (first == null) {
                    first = (Inet4Address) a;
                }
                if (a.getHostAddress().equals(ipAddr)) {
                    preferred = (Inet4Address) a;
                }
            }
        }
        return new Net(nif, preferred != null ? preferred : first);
    }

    /** The ST 2022-7 secondary interface: the second of two names, or null with one name. */
    static Net secondaryOf(String interfaceName) throws IOException {
        String[] names = interfaceName.split(",", -1);
        return names.length < 2 ? null : of(names[1].trim(), "");
    }

    NetworkInterface networkInterface() {
        return nif;
    }

    Inet4Address localAddress() {
        return local;
    }

    /** A connected, non-blocking sender to {@code address:port} with TTL and DSCP applied. */
    DatagramChannel sender(InetAddress address, int port, int ttl, int dscp) throws IOException {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
            ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, ttl);
            ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            ch.setOption(StandardSocketOptions.IP_TOS, (dscp & 0x3F) << 2);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
            ch.bind(new InetSocketAddress(local, 0)); // a sane source address (lo: 127.0.0.1, not eth0's)
            ch.connect(new InetSocketAddress(address, port));
            ch.configureBlocking(false);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** A receiver on {@code port}; for a group, bound to the group (other groups on the port stay out) and joined. */
    DatagramChannel receiver(InetAddress address, int port) throws IOException {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 21); // rides out a GC pause of a few ms at 64 ch
            if (address.isMulticastAddress()) {
                ch.bind(new InetSocketAddress(address, port));
                ch.join(address, nif);
            } else {
                ch.bind(new InetSocketAddress(port));
            }
            ch.configureBlocking(false);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        try {
            return nif.getName() + (local == null ? "" : "/" + local.getHostAddress()) + (nif.isUp() ? "" : " (down)");
        } catch (SocketException e) {
            return nif.getName();
        }
    }
}
