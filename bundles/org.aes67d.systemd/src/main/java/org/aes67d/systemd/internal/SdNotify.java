package org.aes67d.systemd.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;

/**
 * systemd's notification protocol: one datagram per message ("READY=1", "WATCHDOG=1", "STATUS=...") to the unix
 * socket named by NOTIFY_SOCKET (a path, or "@name" for the abstract namespace). JDK 17 cannot send unix datagrams
 * (its unix sockets are stream only), so the three libc calls go through JNA. Linux only.
 */
final class SdNotify implements AutoCloseable {
    interface Socket extends Library {
        int AF_UNIX = 1;
        int SOCK_DGRAM = 2;
        int SOCK_CLOEXEC = 0x80000;
        int MSG_NOSIGNAL = 0x4000;

        int socket(int domain, int type, int protocol) throws LastErrorException;

        NativeLong sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] addr, int addrLen)
                throws LastErrorException;

        int close(int fd);
    }

    private static final int SUN_PATH_MAX = 108;
    private final Socket libc;
    private final int fd;
    private final byte[] address;

    private SdNotify(Socket libc, int fd, byte[] address) {
        this.libc = libc;
        this.fd = fd;
        this.address = address;
    }

    /** A sender to {@code socketName}; throws IllegalArgumentException for a name that is no unix socket. */
    static SdNotify open(String socketName) {
        byte[] address = sockaddr(socketName);
        Socket libc = Native.load(Platform.C_LIBRARY_NAME, Socket.class);
        int fd = libc.socket(Socket.AF_UNIX, Socket.SOCK_DGRAM | Socket.SOCK_CLOEXEC, 0);
        return new SdNotify(libc, fd, address);
    }

    /** struct sockaddr_un for a path or an abstract name ("@x": leading NUL, no terminating NUL). */
    static byte[] sockaddr(String name) {
        if (name == null || name.isEmpty() || !(name.startsWith("/") || name.startsWith("@"))) {
            throw new IllegalArgumentException("NOTIFY_SOCKET is not a unix socket path: " + name);
        }
        byte[] path = name.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = path[0] == '@';
        int len = abstractName ? path.length : path.length + 1;
        if (len > SUN_PATH_MAX) {
            throw new IllegalArgumentException("NOTIFY_SOCKET longer than " + SUN_PATH_MAX + " bytes: " + name);
        }
        ByteBuffer b = ByteBuffer.allocate(2 + len).order(ByteOrder.nativeOrder());
        b.putShort((short) Socket.AF_UNIX).put(path);
        if (abstractName) {
            b.put(2, (byte) 0);
        }
        return b.array();
    }

    /** Sends one message; false (never an exception) when systemd is gone or refuses it. */
    boolean send(String message) {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        try {
            libc.sendto(fd, m, new NativeLong(m.length), Socket.MSG_NOSIGNAL, address, address.length);
            return true;
        } catch (LastErrorException e) {
            return false;
        }
    }

    @Override
    public void close() {
        libc.close(fd);
    }
}
