package org.aes67d.driver.netlink.internal.transport;

import java.io.IOException;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/**
 * The real thing: {@code socket(AF_NETLINK, SOCK_RAW, 31 | 29)} through JNA, bound to {@code {AF_NETLINK, pid P}},
 * sending to the kernel (pid 0). Waits use {@code poll(2)} so a closed socket never leaves a thread in
 * {@code recv}. Without the module the kernel answers {@code socket()} with EPROTONOSUPPORT.
 */
public final class AfNetlinkTransport implements NlTransport {
    static final int AF_NETLINK = 16;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int EPROTONOSUPPORT = 93;
    static final int EPERM = 1;
    static final int EACCES = 13;
    static final int EINTR = 4;
    static final short POLLIN = 1;
    static final int MSG_DONTWAIT = 0x40;
    static final int EAGAIN = 11;
    /** {@code sockaddr_nl}: family u16, pad u16, pid u32, groups u32. */
    static final int SOCKADDR_NL = 12;

    /** The libc calls used; errors come back as {@link LastErrorException}. */
    interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        int bind(int fd, byte[] addr, int len) throws LastErrorException;

        NativeLong sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] addr, int addrLen)
                throws LastErrorException;

        NativeLong recv(int fd, byte[] buf, NativeLong len, int flags) throws LastErrorException;

        int poll(int[] fds, NativeLong nfds, int timeout) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        String strerror(int errnum);
    }

    private final LibC libc;
    private final int portId;

    /** Uses the process id as the port id, as the C++ daemon does. */
    public AfNetlinkTransport() throws IOException {
        this((int) ProcessHandle.current().pid());
    }

    public AfNetlinkTransport(int portId) throws IOException {
        try {
            libc = Native.load("c", LibC.class);
        } catch (LinkageError e) {
            throw new IOException("JNA cannot load libc: " + e.getMessage(), e);
        }
        this.portId = portId;
    }

    @Override
    public NlSocket open(int protocol) throws IOException {
        int fd;
        try {
            fd = libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
        } catch (LastErrorException e) {
            String why = "socket(AF_NETLINK, SOCK_RAW, " + protocol + ") failed: " + libc.strerror(e.getErrorCode());
            if (e.getErrorCode() == EPROTONOSUPPORT) {
                throw new ModuleNotLoadedException("kernel module not loaded (" + why
                        + "; load MergingRavennaALSA.ko)");
            }
            if (e.getErrorCode() == EPERM || e.getErrorCode() == EACCES) {
                throw new IOException("not permitted to open the module's netlink socket (" + why + ")");
            }
            throw new IOException(why);
        }
        try {
            libc.bind(fd, sockaddr(portId), SOCKADDR_NL);
        } catch (LastErrorException e) {
            closeQuietly(fd);
            throw new IOException("bind(AF_NETLINK, pid " + portId + ", protocol " + protocol + ") failed: "
                    + libc.strerror(e.getErrorCode()));
        }
        return new Socket(fd);
    }

    @Override
    public int portId() {
        return portId;
    }

    @Override
    public String describe() {
        return "AF_NETLINK pid " + portId;
    }

    static byte[] sockaddr(int pid) {
        byte[] a = new byte[SOCKADDR_NL];
        a[0] = (byte) AF_NETLINK;
        a[4] = (byte) pid;
        a[5] = (byte) (pid >> 8);
        a[6] = (byte) (pid >> 16);
        a[7] = (byte) (pid >> 24);
        return a;
    }

    private void closeQuietly(int fd) {
        try {
            libc.close(fd);
        } catch (LastErrorException e) {
            // nothing left to release
        }
    }

    private final class Socket implements NlSocket {
        private final byte[] kernel = sockaddr(0);
        private final int fd;
        private volatile boolean closed;

        Socket(int fd) {
            this.fd = fd;
        }

        @Override
        public void send(byte[] datagram) throws IOException {
            check();
            try {
                libc.sendto(fd, datagram, new NativeLong(datagram.length), 0, kernel, SOCKADDR_NL);
            } catch (LastErrorException e) {
                throw new IOException("sendto(kernel) failed: " + libc.strerror(e.getErrorCode()));
            }
        }

        @Override
        public int receive(byte[] buf, int timeoutMillis) throws IOException {
            long deadline = System.nanoTime() + Math.max(0, timeoutMillis) * 1_000_000L;
            int[] pollfd = new int[2];
            while (true) {
                check();
                pollfd[0] = fd;
                pollfd[1] = POLLIN; // events in the low half, revents (high half) cleared
                long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
                // wake up at least every 200 ms so that close() is noticed
                int n;
                try {
                    n = libc.poll(pollfd, new NativeLong(1), (int) Math.min(left, 200));
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == EINTR) {
                        continue;
                    }
                    throw new IOException("poll failed: " + libc.strerror(e.getErrorCode()));
                }
                if (n > 0) {
                    try {
                        return libc.recv(fd, buf, new NativeLong(buf.length), MSG_DONTWAIT).intValue();
                    } catch (LastErrorException e) {
                        if (e.getErrorCode() != EAGAIN && e.getErrorCode() != EINTR) {
                            throw new IOException("recv failed: " + libc.strerror(e.getErrorCode()));
                        }
                    }
                } else if (left == 0) {
                    return -1;
                }
            }
        }

        private void check() throws IOException {
            if (closed) {
                throw new IOException("socket closed");
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                closeQuietly(fd);
            }
        }
    }
}
