package org.aes67d.driver.userspace.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Waits until a deadline with microsecond accuracy: parks until shortly before it, then spins. Linux's default
 * 50 us timer slack makes parkNanos oversleep, so the pacing thread sets its own slack to 1 ns (prctl).
 */
final class Pacer {
    private static final int PR_SET_TIMERSLACK = 29;

    private static final int SCHED_FIFO = 1;

    interface LibC extends Library {
        int prctl(int option, long arg2, long arg3, long arg4, long arg5);

        int sched_setscheduler(int pid, int policy, int[] param);
    }

    private final long spinNanos;

    Pacer(long spinNanos) {
        this.spinNanos = spinNanos;
    }

    /** Sets the calling thread's timer slack; false where that is impossible (not Linux, no JNA). */
    static boolean setTimerSlack(long nanos) {
        try {
            LibC libc = Native.load("c", LibC.class);
            return libc.prctl(PR_SET_TIMERSLACK, nanos, 0, 0, 0) == 0;
        } catch (UnsatisfiedLinkError | RuntimeException | NoClassDefFoundError e) {
            return false;
        }
    }

    /**
     * Puts the calling thread in SCHED_FIFO at {@code priority} (1..99), so other processes' load cannot delay
     * packets; false where not permitted (needs root, CAP_SYS_NICE or an rtprio limit) or not Linux.
     */
    static boolean setRealtime(int priority) {
        return setRealtime(0, priority); // 0: this thread
    }

    /** {@link #setRealtime(int)} for the thread with Linux id {@code tid} (-1: none, false). */
    static boolean setRealtime(int tid, int priority) {
        if (tid < 0) {
            return false;
        }
        try {
            LibC libc = Native.load("c", LibC.class);
            return libc.sched_setscheduler(tid, SCHED_FIFO, new int[] {priority}) == 0;
        } catch (UnsatisfiedLinkError | RuntimeException | NoClassDefFoundError e) {
            return false;
        }
    }

    /** The calling thread's Linux id (/proc/thread-self links to PID/task/TID), or -1 (not Linux). */
    static int ownThreadId() {
        try {
            return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The Linux id of this process's thread named {@code name} (its comm), or -1 (none, or not Linux). */
    static int threadId(String name) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                if (Files.readString(t.resolve("comm")).strip().equals(name)) {
                    return Integer.parseInt(t.getFileName().toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            // no procfs
        }
        return -1;
    }

    long spinNanos() {
        return spinNanos;
    }

    /**
     * Sleeps until about {@code time} (System.nanoTime) without spinning: for a wake-up that needs no precision
     * and must leave the CPU to other threads meanwhile.
     */
    void sleepUntil(long time) {
        long sleep = time - System.nanoTime();
        if (sleep > 0) {
            LockSupport.parkNanos(sleep);
        }
    }

    /** Returns at or just after {@code deadline} (System.nanoTime), or earlier if the thread is unparked. */
    void waitUntil(long deadline) {
        long now = System.nanoTime();
        long park = deadline - spinNanos - now;
        if (park > 0) {
            LockSupport.parkNanos(park);
            now = System.nanoTime();
        }
        while (now < deadline && deadline - now <= spinNanos) {
            Thread.onSpinWait();
            now = System.nanoTime();
        }
    }
}
