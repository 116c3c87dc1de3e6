package org.aes67d.ptp.internal.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Enumeration;

/**
 * The two PTP sockets of 1588-2008 annex D: UDP/IPv4 to 224.0.1.129, event port 319 and general
 * port 320, bound to the wildcard address (a socket bound to a unicast address would not get the
 * group's datagrams) with SO_REUSEADDR so several instances on one host can share them, the group
 * joined and IP_MULTICAST_IF set on the configured interface by its IPv4 address. Naming the
 * interface explicitly matters on lo, which has no multicast route (testbed-notes "Multicast on
 * plain lo"): the join would fail with ENODEV, and a send would leave through the default route.
 *
 * <p>Timestamps are user-space {@code System.nanoTime()} readings: right after the blocking read
 * returns, right before the send. Receives are blocking reads on the caller's thread (one direct
 * buffer per socket, each socket has one reader); sends are not thread-safe (the engine serialises
 * them under its lock) and reuse one direct buffer. A send allocates nothing; a receive allocates only the
 * sender's address NIO returns (a few dozen a second), which is checked against the interface's subnets:
 * messages of another network (the host's second, ST 2022-7) are dropped here, since Java cannot turn off
 * IP_MULTICAST_ALL.
 */
public final class UdpTransport implements PtpTransport {

    private final InetAddress group;
    private final DatagramChannel event;
    private final DatagramChannel general;
    private final InetSocketAddress eventDest;
    private final InetSocketAddress generalDest;
    private final ByteBuffer txBuffer = ByteBuffer.allocateDirect(256);
    private final NetworkInterface nif;
    private final Inet4Address address;
    private final ByteBuffer[] rxBuffers = {ByteBuffer.allocateDirect(2048), ByteBuffer.allocateDirect(2048)};
    private volatile int dscp;
    /** The interface's IPv4 subnets as {network, mask}. */
    private final int[][] subnets;

    /**
     * Opens and joins both sockets.
     *
     * @param ipAddr preferred local address; used if the interface has it, else its first IPv4 address
     * @param ports event and general port (319, 320; other values only for tests)
     */
    public UdpTransport(String interfaceName, String ipAddr, int dscp, int eventPort, int generalPort)
            throws IOException {
        nif = NetworkInterface.getByName(interfaceName);
        if (nif == null) {
            throw new SocketException("no network interface '" + interfaceName + "'");
        }
        address = pickAddress(nif, ipAddr);
        if (address == null) {
            throw new SocketException("interface '" + interfaceName + "' has no IPv4 address");
        }
        group = InetAddress.getByAddress(new byte[] {(byte) 224, 0, 1, (byte) 129});
        eventDest = new InetSocketAddress(group, eventPort);
        generalDest = new InetSocketAddress(group, generalPort);
        DatagramChannel e = null;
        try {
            e = open(eventPort, dscp);
            general = open(generalPort, dscp);
        } catch (IOException | RuntimeException ex) {
            if (e != null) {
                e.close();
            }
            throw ex;
        }
        event = e;
        this.dscp = dscp;
        java.util.List<int[]> nets = new java.util.ArrayList<>();
        for (java.net.InterfaceAddress ia : nif.getInterfaceAddresses()) {
            if (ia.getAddress() instanceof Inet4Address) {
                int len = ia.getNetworkPrefixLength();
                int mask = len <= 0 ? 0 : len >= 32 ? -1 : -1 << (32 - len);
                nets.add(new int[] {toInt(ia.getAddress().getAddress()) & mask, mask});
            }
        }
        subnets = nets.toArray(new int[0][]);
    }

    private DatagramChannel open(int port, int dscp) throws IOException {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(new InetSocketAddress(port));
            ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
            ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1); // PTP stays on the link
            ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true); // other instances on this host
            ch.setOption(StandardSocketOptions.IP_TOS, dscp << 2);
            ch.join(group, nif);
            return ch;
        } catch (IOException | RuntimeException ex) {
            ch.close();
            throw ex;
        }
    }

    static Inet4Address pickAddress(NetworkInterface nif, String preferred) {
        Inet4Address first = null;
        for (Enumeration<InetAddress> en = nif.getInetAddresses(); en.hasMoreElements();) {
            InetAddress a = en.nextElement();
            if (a instanceof Inet4Address) {
                if (first == null) {
                    first = (Inet4Address) a;
                }
                if (a.getHostAddress().equals(preferred)) {
                    return (Inet4Address) a;
                }
            }
        }
        return first;
    }

    /** DSCP of all later sends (IP_TOS = dscp << 2, ECN bits 0). */
    @Override
    public void setDscp(int dscp) throws IOException {
        event.setOption(StandardSocketOptions.IP_TOS, dscp << 2);
        general.setOption(StandardSocketOptions.IP_TOS, dscp << 2);
        this.dscp = dscp;
    }

    @Override
    public int dscp() {
        try {
            return event.getOption(StandardSocketOptions.IP_TOS) >> 2;
        } catch (IOException e) {
            return dscp;
        }
    }

    @Override
    public String timestamping() {
        return "user";
    }

    @Override
    public String interfaceName() {
        return nif.getName();
    }

    @Override
    public String address() {
        return address.getHostAddress();
    }

    @Override
    public int receive(int socket, byte[] buf, long[] rxLocal) throws IOException {
        DatagramChannel ch = socket == EVENT ? event : general;
        ByteBuffer bb = rxBuffers[socket];
        bb.clear();
        java.net.SocketAddress from;
        try {
            from = ch.receive(bb);
        } catch (java.nio.channels.ClosedChannelException e) {
            return -1;
        }
        rxLocal[0] = System.nanoTime();
        if (from instanceof InetSocketAddress a && !onLink(a.getAddress())) {
            return 0; // another network's PTP (Java cannot turn IP_MULTICAST_ALL off): not this port's
        }
        bb.flip();
        int n = Math.min(bb.remaining(), buf.length);
        bb.get(buf, 0, n);
        return n;
    }

    /**
     * True when {@code source} is in one of this interface's IPv4 subnets: PTP multicast stays on its link, so a
     * message from another subnet came in on another interface (the host's other network, ST 2022-7).
     */
    boolean onLink(InetAddress source) {
        if (!(source instanceof Inet4Address)) {
            return false;
        }
        int src = toInt(source.getAddress());
        for (int[] net : subnets) {
            if ((src & net[1]) == net[0]) {
                return true;
            }
        }
        return subnets.length == 0;
    }

    private static int toInt(byte[] a) {
        return (a[0] & 0xFF) << 24 | (a[1] & 0xFF) << 16 | (a[2] & 0xFF) << 8 | (a[3] & 0xFF);
    }

    /**
     * Sends on the event port.
     *
     * @return System.nanoTime() taken right before the send call (the user-space transmit timestamp)
     */
    @Override
    public long sendEvent(byte[] b, int len) throws IOException {
        txBuffer.clear();
        txBuffer.put(b, 0, len).flip();
        long t = System.nanoTime();
        event.send(txBuffer, eventDest);
        return t;
    }

    @Override
    public void sendGeneral(byte[] b, int len) throws IOException {
        txBuffer.clear();
        txBuffer.put(b, 0, len).flip();
        general.send(txBuffer, generalDest);
    }

    @Override
    public void close() throws IOException {
        try {
            event.close();
        } finally {
            general.close();
        }
    }
}
