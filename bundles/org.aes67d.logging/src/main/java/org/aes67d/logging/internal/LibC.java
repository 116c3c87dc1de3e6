package org.aes67d.logging.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Structure;

/**
 * The few libc socket calls needed for a unix datagram socket, which java.nio cannot open.
 * Linux layout only (sockaddr_un on BSD/macOS starts with a length byte).
 */
public interface LibC extends Library {
    int AF_UNIX = 1;
    int SOCK_DGRAM = 2;

    // Loaded on first use, so a missing JNA native part surfaces as a LinkageError the caller can catch.
    LibC INSTANCE = Native.load(Platform.C_LIBRARY_NAME, LibC.class);

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int connect(int fd, SockaddrUn addr, int addrLen) throws LastErrorException;

    NativeLong send(int fd, byte[] buf, NativeLong len, int flags) throws LastErrorException;

    int close(int fd);

    /** struct sockaddr_un: sa_family_t + char[108]. */
    @Structure.FieldOrder({"sun_family", "sun_path"})
    class SockaddrUn extends Structure {
        public static final int PATH_MAX = 108;
        public short sun_family = AF_UNIX;
        public byte[] sun_path = new byte[PATH_MAX];

        /** @throws IllegalArgumentException if the path does not fit with its terminating NUL */
        public SockaddrUn(String path) {
            byte[] p = path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (p.length >= PATH_MAX) {
                throw new IllegalArgumentException("socket path longer than " + (PATH_MAX - 1) + " bytes: " + path);
            }
            System.arraycopy(p, 0, sun_path, 0, p.length);
        }
    }
}
