package org.aes67d.ptp.internal.net;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The libc socket calls java.nio lacks (recvmsg with ancillary data, the error queue) through JNA
 * direct mapping: primitive and Pointer arguments only, so a call allocates nothing. Linux LP64
 * (x86-64, aarch64) numbers and layouts; {@link #available()} says whether it loaded.
 */
final class Libc {
    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_RCVTIMEO = 20;
    static final int SO_TIMESTAMPING = 37;
    static final int SCM_TIMESTAMPING = SO_TIMESTAMPING;
    static final int IPPROTO_IP = 0;
    static final int IP_TOS = 1;
    static final int IP_MULTICAST_IF = 32;
    static final int IP_MULTICAST_TTL = 33;
    static final int IP_MULTICAST_LOOP = 34;
    static final int IP_ADD_MEMBERSHIP = 35;
    /** Linux: 0 = only the groups this socket joined (default 1: any group any socket of the host joined). */
    static final int IP_MULTICAST_ALL = 49;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_ERRQUEUE = 0x2000;
    static final int POLLPRI = 0x2;
    static final int SHUT_RDWR = 2;
    static final int CLOCK_REALTIME = 0;
    static final int CLOCK_MONOTONIC = 1;
    static final int EAGAIN = 11;
    static final int EINTR = 4;

    static final int SOF_TIMESTAMPING_TX_SOFTWARE = 1 << 1;
    static final int SOF_TIMESTAMPING_RX_SOFTWARE = 1 << 3;
    static final int SOF_TIMESTAMPING_SOFTWARE = 1 << 4;
    static final int SOF_TIMESTAMPING_OPT_TSONLY = 1 << 11;

    private static final Throwable LOAD_ERROR = load();

    private Libc() {
    }

    private static Throwable load() {
        if (!Platform.isLinux() || !Platform.is64Bit()) {
            return new UnsupportedOperationException("kernel timestamps need 64-bit Linux");
        }
        try {
            Native.register(Libc.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            return null;
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError when JNA is absent
            return t;
        }
    }

    /** @return null if the native calls work, else why not */
    static Throwable available() {
        return LOAD_ERROR;
    }

    static native int socket(int domain, int type, int protocol);

    static native int setsockopt(int fd, int level, int name, Pointer value, int len);

    static native int bind(int fd, Pointer addr, int len);

    static native long recvmsg(int fd, Pointer msghdr, int flags);

    static native long sendto(int fd, Pointer buf, long len, int flags, Pointer addr, int addrLen);

    static native int poll(Pointer fds, long nfds, int timeoutMs);

    static native int shutdown(int fd, int how);

    static native int close(int fd);

    static native int clock_gettime(int clock, Pointer timespec);
}
