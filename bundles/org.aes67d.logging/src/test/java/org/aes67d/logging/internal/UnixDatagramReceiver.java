package org.aes67d.logging.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Structure;

/** A bound unix datagram socket for tests: the receiving end of what a syslog daemon would be. */
final class UnixDatagramReceiver implements AutoCloseable {
    // Linux values (asm-generic), like the rest of the bundle.
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;

    interface Calls extends Library {
        Calls INSTANCE = Native.load(Platform.C_LIBRARY_NAME, Calls.class);

        int socket(int domain, int type, int protocol) throws LastErrorException;

        int bind(int fd, LibC.SockaddrUn addr, int addrLen) throws LastErrorException;

        int setsockopt(int fd, int level, int name, Timeval value, int len) throws LastErrorException;

        NativeLong recv(int fd, byte[] buf, NativeLong len, int flags) throws LastErrorException;

        int close(int fd);
    }

    @Structure.FieldOrder({"tv_sec", "tv_usec"})
    public static class Timeval extends Structure {
        public NativeLong tv_sec;
        public NativeLong tv_usec;

        public Timeval(long millis) {
            tv_sec = new NativeLong(millis / 1000);
            tv_usec = new NativeLong((millis % 1000) * 1000);
        }
    }

    private final int fd;

    UnixDatagramReceiver(Path path, long timeoutMillis) {
        LibC.SockaddrUn addr = new LibC.SockaddrUn(path.toString());
        fd = Calls.INSTANCE.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM, 0);
        Calls.INSTANCE.bind(fd, addr, addr.size());
        Timeval tv = new Timeval(timeoutMillis);
        Calls.INSTANCE.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, tv.size());
    }

    /** @throws LastErrorException (EAGAIN) when nothing arrives within the timeout */
    String receive() {
        byte[] buf = new byte[8192];
        int n = Calls.INSTANCE.recv(fd, buf, new NativeLong(buf.length), 0).intValue();
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        Calls.INSTANCE.close(fd);
    }
}
