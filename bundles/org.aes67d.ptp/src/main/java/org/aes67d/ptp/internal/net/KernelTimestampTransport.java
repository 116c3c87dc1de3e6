package org.aes67d.ptp.internal.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * PTP sockets with kernel software timestamps (SO_TIMESTAMPING: RX_SOFTWARE on receive, TX_SOFTWARE
 * read back from the error queue after a send), through JNA direct calls on plain libc sockets.
 *
 * <p>Why: a user-space timestamp includes the receive thread's wake-up, which on a small VM is tens
 * of microseconds and varies as much. The kernel stamps the packet when the stack takes it in
 * ({@code netif_receive_skb}) and when the driver sends it ({@code skb_tx_timestamp}), the same points
 * ptp4l's software mode uses.
 *
 * <p>The kernel's software stamps are CLOCK_REALTIME. They are turned into the local
 * CLOCK_MONOTONIC ({@code System.nanoTime()} on Linux) by subtracting REALTIME - MONOTONIC, followed at
 * every conversion ({@link RealtimeMapping}), so a step of the system clock never steers our virtual clock.
 *
 * <p>Same socket setup as {@link UdpTransport} (wildcard bind, SO_REUSEADDR, group joined and
 * IP_MULTICAST_IF set on the interface by address). No allocation per message: all native memory
 * is allocated here, one receive area per socket (each socket has exactly one reader).
 */
public final class KernelTimestampTransport implements PtpTransport {
    private static final int BUF = 2048;
    private static final int CONTROL = 512;
    /** How long a send waits for its transmit timestamp (ptp4l's testbed setting is 10 ms). */
    private static final int TX_TIMEOUT_MS = 10;

    private final NetworkInterface nif;
    private final Inet4Address address;
    private final int[] fds = {-1, -1};
    private final RxArea[] rx = new RxArea[2];
    private final RxArea errq = new RxArea(); // error queue of the event socket, used by the sender
    private final Memory txBuf = new Memory(BUF);
    private final Memory[] dest = new Memory[2];
    private final Memory pollfd = new Memory(8);
    private final Memory intOpt = new Memory(4);
    private final RealtimeMapping rxMapping; // the event socket's reader only
    private final RealtimeMapping txMapping; // the sender only
    private volatile int dscp;
    private volatile boolean closed;
    private long txTimeouts;
    private volatile long rxFallbacks;

    /** One receive context: msghdr, iovec, data and control buffers. */
    private static final class RxArea {
        final Memory msg = new Memory(56);
        final Memory iov = new Memory(16);
        final Memory data = new Memory(BUF);
        final Memory control = new Memory(CONTROL);

        RxArea() {
            iov.setPointer(0, data);
            iov.setLong(8, BUF);
        }

        void reset() {
            msg.clear();
            msg.setPointer(16, iov); // msg_iov
            msg.setLong(24, 1); // msg_iovlen
            msg.setPointer(32, control); // msg_control
            msg.setLong(40, CONTROL); // msg_controllen
        }

        /** The software timestamp (ts[0] of SCM_TIMESTAMPING) in realtime ns, or -1. */
        long timestamp() {
            long controlLen = msg.getLong(40);
            long off = 0;
            while (off + 16 <= controlLen) {
                long len = control.getLong(off);
                if (len < 16 || off + len > controlLen) {
                    break;
                }
                int level = control.getInt(off + 8);
                int type = control.getInt(off + 12);
                if (level == Libc.SOL_SOCKET && type == Libc.SCM_TIMESTAMPING && len >= 16 + 48) {
                    long sec = control.getLong(off + 16);
                    long nsec = control.getLong(off + 24);
                    if (sec != 0 || nsec != 0) {
                        return sec * 1_000_000_000L + nsec;
                    }
                }
                off += (len + 7) & ~7L; // CMSG_ALIGN
            }
            return -1;
        }
    }

    /** @throws IOException if the interface or the sockets are unusable (the caller falls back) */
    public KernelTimestampTransport(String interfaceName, String ipAddr, int dscp, int eventPort, int generalPort)
            throws IOException {
        Throwable why = Libc.available();
        if (why != null) {
            throw new IOException("native socket calls unavailable: " + why);
        }
        nif = NetworkInterface.getByName(interfaceName);
        if (nif == null) {
            throw new SocketException("no network interface '" + interfaceName + "'");
        }
        address = UdpTransport.pickAddress(nif, ipAddr);
        if (address == null) {
            throw new SocketException("interface '" + interfaceName + "' has no IPv4 address");
        }
        dest[0] = sockaddr(eventPort);
        dest[1] = sockaddr(generalPort);
        rx[0] = new RxArea();
        rx[1] = new RxArea();
        this.dscp = dscp;
        try {
            fds[0] = open(eventPort, dscp, true);
            fds[1] = open(generalPort, dscp, false);
        } catch (IOException e) {
            close();
            throw e;
        }
        rxMapping = new RealtimeMapping(new SystemClocks());
        txMapping = new RealtimeMapping(new SystemClocks());
    }

    /** The two clocks through the C library, with a timespec of their own (one per thread). */
    private static final class SystemClocks implements RealtimeMapping.Clocks {
        private final Memory timespec = new Memory(16);

        @Override
        public long monotonic() {
            return System.nanoTime();
        }

        @Override
        public long realtime() {
            Libc.clock_gettime(Libc.CLOCK_REALTIME, timespec);
            return timespec.getLong(0) * 1_000_000_000L + timespec.getLong(8);
        }
    }

    private static Memory sockaddr(int port) {
        Memory m = new Memory(16);
        m.clear();
        m.setShort(0, (short) Libc.AF_INET);
        m.setByte(2, (byte) (port >> 8));
        m.setByte(3, (byte) port);
        m.write(4, new byte[] {(byte) 224, 0, 1, (byte) 129}, 0, 4);
        return m;
    }

    private int open(int port, int dscp, boolean event) throws IOException {
        int fd = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
        if (fd < 0) {
            throw new IOException("socket() failed, errno " + Native.getLastError());
        }
        try {
            setInt(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1, "SO_REUSEADDR");
            Memory any = new Memory(16);
            any.clear();
            any.setShort(0, (short) Libc.AF_INET);
            any.setByte(2, (byte) (port >> 8));
            any.setByte(3, (byte) port);
            if (Libc.bind(fd, any, 16) != 0) {
                throw new IOException("bind to port " + port + " failed, errno " + Native.getLastError());
            }
            byte[] ifAddr = address.getAddress();
            Memory inAddr = new Memory(4);
            inAddr.write(0, ifAddr, 0, 4);
            check(Libc.setsockopt(fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_IF, inAddr, 4), "IP_MULTICAST_IF");
            setInt(fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_TTL, 1, "IP_MULTICAST_TTL");
            setInt(fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_LOOP, 1, "IP_MULTICAST_LOOP");
            setInt(fd, Libc.IPPROTO_IP, Libc.IP_TOS, dscp << 2, "IP_TOS");
            Memory mreqn = new Memory(12); // ip_mreqn: group, interface address, interface index
            mreqn.write(0, new byte[] {(byte) 224, 0, 1, (byte) 129}, 0, 4);
            mreqn.write(4, ifAddr, 0, 4);
            mreqn.setInt(8, nif.getIndex());
            check(Libc.setsockopt(fd, Libc.IPPROTO_IP, Libc.IP_ADD_MEMBERSHIP, mreqn, 12), "IP_ADD_MEMBERSHIP");
            // only this interface's PTP: with two networks (ST 2022-7) the other one's sockets join the same group,
            // and by default a wildcard-bound socket hears every group any socket of the host joined
            setInt(fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_ALL, 0, "IP_MULTICAST_ALL");
            // a receive that returns now and then lets the reader see close() without a signal
            Memory tv = new Memory(16);
            tv.setLong(0, 0);
            tv.setLong(8, 250_000);
            check(Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, tv, 16), "SO_RCVTIMEO");
            if (event) {
                int flags = Libc.SOF_TIMESTAMPING_RX_SOFTWARE | Libc.SOF_TIMESTAMPING_TX_SOFTWARE
                        | Libc.SOF_TIMESTAMPING_SOFTWARE | Libc.SOF_TIMESTAMPING_OPT_TSONLY;
                setInt(fd, Libc.SOL_SOCKET, Libc.SO_TIMESTAMPING, flags, "SO_TIMESTAMPING");
            }
            return fd;
        } catch (IOException e) {
            Libc.close(fd);
            throw e;
        }
    }

    private void setInt(int fd, int level, int name, int value, String what) throws IOException {
        intOpt.setInt(0, value);
        check(Libc.setsockopt(fd, level, name, intOpt, 4), what);
    }

    private static void check(int rc, String what) throws IOException {
        if (rc != 0) {
            throw new IOException(what + " failed, errno " + Native.getLastError());
        }
    }

    /** CLOCK_REALTIME - CLOCK_MONOTONIC as used for received stamps (ns). */
    public long realMinusMono() {
        return rxMapping.realMinusMono();
    }

    @Override
    public int receive(int socket, byte[] buf, long[] rxLocal) throws IOException {
        if (closed) {
            return -1;
        }
        RxArea a = rx[socket];
        a.reset();
        long n = Libc.recvmsg(fds[socket], a.msg, 0);
        if (closed) {
            return -1;
        }
        if (n <= 0) {
            return 0; // SO_RCVTIMEO, EINTR, or an empty datagram
        }
        long ts = socket == EVENT ? a.timestamp() : -1; // only the event socket asks for stamps
        if (ts > 0) {
            rxLocal[0] = rxMapping.toMonotonic(ts);
        } else {
            rxLocal[0] = System.nanoTime();
            if (socket == EVENT) {
                rxFallbacks++; // single writer: the event socket's reader
            }
        }
        int len = (int) Math.min(n, buf.length);
        a.data.read(0, buf, 0, len);
        return len;
    }

    @Override
    public long sendEvent(byte[] b, int len) throws IOException {
        drainErrorQueue();
        long before = System.nanoTime();
        send(0, b, len);
        long ts = readTxTimestamp();
        if (ts > 0) {
            return txMapping.toMonotonic(ts);
        }
        if ((txTimeouts++ & 63) == 0) {
            org.slf4j.LoggerFactory.getLogger(KernelTimestampTransport.class)
                    .warn("no transmit timestamp within {} ms ({} so far); using the user-space time", TX_TIMEOUT_MS,
                            txTimeouts);
        }
        return before;
    }

    @Override
    public long systemClockSteps() {
        return rxMapping.steps() + txMapping.steps();
    }

    @Override
    public long timestampFallbacks() {
        return rxFallbacks + txTimeouts;
    }

    @Override
    public void sendGeneral(byte[] b, int len) throws IOException {
        send(1, b, len);
    }

    private void send(int socket, byte[] b, int len) throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        txBuf.write(0, b, 0, len);
        long n = Libc.sendto(fds[socket], txBuf, len, 0, dest[socket], 16);
        if (n != len) {
            throw new IOException("sendto failed, errno " + Native.getLastError());
        }
    }

    private void drainErrorQueue() {
        for (int i = 0; i < 16; i++) {
            errq.reset();
            if (Libc.recvmsg(fds[0], errq.msg, Libc.MSG_ERRQUEUE | Libc.MSG_DONTWAIT) < 0) {
                return;
            }
        }
    }

    /** Waits (poll on POLLPRI/POLLERR) for the looped-back transmit timestamp. */
    private long readTxTimestamp() {
        long deadline = System.nanoTime() + TX_TIMEOUT_MS * 1_000_000L;
        while (true) {
            errq.reset();
            if (Libc.recvmsg(fds[0], errq.msg, Libc.MSG_ERRQUEUE | Libc.MSG_DONTWAIT) >= 0) {
                long ts = errq.timestamp();
                if (ts > 0) {
                    return ts;
                }
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return -1;
            }
            pollfd.setInt(0, fds[0]);
            pollfd.setShort(4, (short) Libc.POLLPRI);
            pollfd.setShort(6, (short) 0);
            Libc.poll(pollfd, 1, (int) Math.max(1, left / 1_000_000));
        }
    }

    @Override
    public void setDscp(int dscp) throws IOException {
        for (int fd : fds) {
            setInt(fd, Libc.IPPROTO_IP, Libc.IP_TOS, dscp << 2, "IP_TOS");
        }
        this.dscp = dscp;
    }

    @Override
    public int dscp() {
        return dscp;
    }

    @Override
    public String timestamping() {
        return "kernel";
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
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < fds.length; i++) {
            if (fds[i] >= 0) {
                Libc.shutdown(fds[i], Libc.SHUT_RDWR); // wakes a blocked recvmsg
            }
        }
        // the fds are closed by the readers' owner after they stopped (see release), so a number
        // reused by another socket is never read from here
    }

    /** Closes the descriptors; called after the receive threads have stopped. */
    @Override
    public synchronized void release() {
        for (int i = 0; i < fds.length; i++) {
            if (fds[i] >= 0) {
                Libc.close(fds[i]);
                fds[i] = -1;
            }
        }
    }
}
