package org.aes67d.discovery.sap.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The sockets of SAP: one sender, and one receiving channel per group. Every multicast choice names the interface
 * explicitly: where the group has no route (lo in a namespace without a 224/4 route), a send without IP_MULTICAST_IF
 * fails and a join on INADDR_ANY fails with ENODEV; where the default route is another interface, both would
 * silently use that one.
 *
 * <p>Each receiving channel is bound to its group address rather than the wildcard: Linux delivers a datagram for
 * any group joined by any socket on the host to every wildcard socket on the port (IP_MULTICAST_ALL, which Java
 * cannot switch off), so a wildcard bind would hear groups we never joined. SO_REUSEADDR lets other SAP tools share
 * the port.
 */
final class SapSockets implements AutoCloseable {
    static final int TTL = 255;
    private final InetAddress local;
    private final InetSocketAddress target;
    private final MulticastSocket sender;
    private final Selector selector;
    private final List<DatagramChannel> receivers;

    private SapSockets(InetAddress local, InetSocketAddress target, MulticastSocket sender, Selector selector,
            List<DatagramChannel> receivers) {
        this.local = local;
        this.target = target;
        this.sender = sender;
        this.selector = selector;
        this.receivers = receivers;
    }

    static SapSockets open(SapSettings s) throws IOException {
        NetworkInterface nif = NetworkInterface.getByName(s.interfaceName());
        if (nif == null) {
            throw new SocketException("no network interface named '" + s.interfaceName() + "'");
        }
        InetAddress local = localAddress(nif, s.ipAddr());
        InetAddress group = InetAddress.getByName(s.group());
        List<InetAddress> groups = new ArrayList<>();
        groups.add(group);
        for (String g : s.extraGroups()) {
            InetAddress extra = InetAddress.getByName(g);
            if (!groups.contains(extra)) {
                groups.add(extra);
            }
        }
        for (InetAddress g : groups) {
            if (!(g instanceof Inet4Address) || !g.isMulticastAddress()) {
                throw new SocketException(g.getHostAddress() + " is not an IPv4 multicast group");
            }
        }
        MulticastSocket sender = null;
        Selector selector = null;
        List<DatagramChannel> receivers = new ArrayList<>();
        try {
            // Bound to the interface's address, so packets leave with a sane source (the kernel may otherwise pick
            // another interface's address for a packet sent on lo).
            sender = new MulticastSocket(new InetSocketAddress(local, 0));
            sender.setNetworkInterface(nif);
            sender.setTimeToLive(TTL);
            // As the C++ daemon: on a real interface our own announcements are not looped back, so the browse list
            // shows other devices only; on lo they arrive anyway (lo delivers what is sent on it), as its tests need
            sender.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, nif.isLoopback());
            selector = Selector.open();
            for (InetAddress g : groups) {
                DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
                receivers.add(ch);
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                ch.bind(new InetSocketAddress(g, s.port()));
                ch.join(g, nif);
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ);
            }
            return new SapSockets(local, new InetSocketAddress(group, s.port()), sender, selector, receivers);
        } catch (IOException | RuntimeException e) {
            if (sender != null) {
                sender.close();
            }
            closeQuietly(selector);
            receivers.forEach(SapSockets::closeQuietly);
            throw e;
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (IOException e) {
            // closing: nothing left to do
        }
    }

    /** {@code preferred} when it is one of the interface's IPv4 addresses, else the first one. */
    static InetAddress localAddress(NetworkInterface nif, String preferred) throws SocketException {
        List<InetAddress> v4 = new ArrayList<>();
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
            if (a instanceof Inet4Address) {
                v4.add(a);
            }
        }
        if (v4.isEmpty()) {
            throw new SocketException("network interface '" + nif.getName() + "' has no IPv4 address");
        }
        for (InetAddress a : v4) {
            if (a.getHostAddress().equals(preferred)) {
                return a;
            }
        }
        return v4.get(0);
    }

    InetAddress localAddress() {
        return local;
    }

    void send(byte[] packet) throws IOException {
        sender.send(new DatagramPacket(packet, packet.length, target));
    }

    /**
     * Waits up to {@code timeoutMillis} for datagrams on any group and hands each to {@code handler} (the buffer
     * is reused: copy what you keep) with the address it came from. Throws once closed.
     */
    void receive(ByteBuffer buffer, long timeoutMillis, BiConsumer<ByteBuffer, SocketAddress> handler)
            throws IOException {
        if (!selector.isOpen()) {
            throw new ClosedSelectorException();
        }
        selector.select(Math.max(1, timeoutMillis));
        for (SelectionKey key : selector.selectedKeys()) {
            DatagramChannel ch = (DatagramChannel) key.channel();
            buffer.clear();
            SocketAddress from;
            while ((from = ch.receive(buffer)) != null) {
                buffer.flip();
                handler.accept(buffer, from);
                buffer.clear();
            }
        }
        selector.selectedKeys().clear();
    }

    @Override
    public void close() {
        sender.close();
        closeQuietly(selector); // wakes a receive() in progress
        receivers.forEach(SapSockets::closeQuietly);
    }
}
