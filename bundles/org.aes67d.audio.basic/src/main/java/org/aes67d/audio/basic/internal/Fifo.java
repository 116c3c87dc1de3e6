package org.aes67d.audio.basic.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** Creates named pipes (mkfifo through JNA: Java has no API for it). */
final class Fifo {
    interface LibC extends Library {
        int mkfifo(String path, int mode);

        int open(String path, int flags);

        int close(int fd);
    }

    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_NONBLOCK = 04000; // Linux on x86, ARM, RISC-V

    private Fifo() {
    }

    /** Makes {@code path} a FIFO (mode 0660) unless something already exists there. */
    static void ensure(Path path) throws IOException {
        if (Files.exists(path)) {
            return;
        }
        LibC libc = Native.load("c", LibC.class);
        if (libc.mkfifo(path.toString(), 0660) != 0 && !Files.exists(path)) {
            throw new IOException("mkfifo " + path + " failed, errno " + Native.getLastError());
        }
    }

    /**
     * Opens and closes the other end of a FIFO without blocking, so a thread blocked in open() on it returns.
     * Opening the write end fails harmlessly when nobody reads.
     */
    static void poke(Path path, boolean writeEnd) {
        try {
            LibC libc = Native.load("c", LibC.class);
            int fd = libc.open(path.toString(), (writeEnd ? O_WRONLY : O_RDONLY) | O_NONBLOCK);
            if (fd >= 0) {
                libc.close(fd);
            }
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // no libc through JNA: the blocked thread is a daemon and leaves with the JVM
        }
    }

    /** True if {@code path} is a FIFO (opening it may block until the other side opens it). */
    static boolean isFifo(Path path) {
        try {
            return !Files.isRegularFile(path) && !Files.isDirectory(path) && Files.exists(path);
        } catch (SecurityException e) {
            return false;
        }
    }
}
