package org.aes67d.driver.netlink.internal.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * The netlink bytes over loopback UDP, to a peer that plays the kernel (the simulated module). Netlink addresses a
 * process by its port id; here each socket first sends a 4-byte "bind" datagram holding the port id, so the peer
 * learns where that id's replies and events go, as the kernel does from {@code bind(2)}.
 */
public final class UdpTransport implements NlTransport {
    /** Length of the bind datagram: a bare little-endian port id. */
    public static final int BIND_LENGTH = 4;

    private final InetSocketAddress commands;
    private final InetSocketAddress events;
    private final int portId;

    /**
     * @param commands the peer's socket for protocol 31
     * @param events the peer's socket for protocol 29
     * @param portId the port id to bind to and to send in {@code nlmsg_pid}
     */
    public UdpTransport(InetSocketAddress commands, InetSocketAddress events, int portId) {
        this.commands = commands;
        this.events = events;
        this.portId = portId;
    }

    @Override
    public NlSocket open(int protocol) throws IOException {
        InetSocketAddress peer = protocol == 31 ? commands : protocol == 29 ? events : null;
        if (peer == null) {
            throw new ModuleNotLoadedException("protocol " + protocol + " not served by the simulated module");
        }
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ch.configureBlocking(false);
            Selector selector = Selector.open();
            ch.register(selector, SelectionKey.OP_READ);
            ch.send(ByteBuffer.allocate(BIND_LENGTH).order(ByteOrder.LITTLE_ENDIAN).putInt(0, portId), peer);
            return new Socket(ch, selector, peer);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public int portId() {
        return portId;
    }

    @Override
    public String describe() {
        return "udp " + commands.getHostString() + ":" + commands.getPort() + "/" + events.getPort();
    }

    private record Socket(DatagramChannel ch, Selector selector, SocketAddress peer) implements NlSocket {
        @Override
        public void send(byte[] datagram) throws IOException {
            if (ch.send(ByteBuffer.wrap(datagram), peer) == 0) {
                throw new IOException("datagram not sent: socket buffer full");
            }
        }

        @Override
        public int receive(byte[] buf, int timeoutMillis) throws IOException {
            try {
                return receiveOrTimeout(buf, timeoutMillis);
            } catch (ClosedSelectorException e) {
                throw new IOException("socket closed", e);
            }
        }

        private int receiveOrTimeout(byte[] buf, int timeoutMillis) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(buf);
            if (ch.receive(b) != null) {
                return b.position();
            }
            if (timeoutMillis <= 0) {
                return -1;
            }
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return -1;
                }
                selector.select(left);
                selector.selectedKeys().clear();
                if (!ch.isOpen()) {
                    throw new IOException("socket closed");
                }
                if (ch.receive(b) != null) {
                    return b.position();
                }
            }
        }

        @Override
        public void close() throws IOException {
            try {
                selector.close();
            } finally {
                ch.close();
            }
        }
    }
}
