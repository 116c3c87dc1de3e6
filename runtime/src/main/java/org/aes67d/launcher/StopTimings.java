package org.aes67d.launcher;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * How long each bundle took to stop, measured from its STOPPING to its STOPPED event, so that a slow stop names
 * its cause: one line at exit, {@code aes67-daemon: stopped in 412 ms (slowest: org.aes67d.discovery.mdns 230 ms,
 * ...)}.
 */
final class StopTimings implements SynchronousBundleListener {
    private static final int SHOWN = 3;
    private final Map<String, Long> stopping = new ConcurrentHashMap<>();
    private final Map<String, Long> took = new ConcurrentHashMap<>();
    private volatile long begin;

    /** The stop was asked for (a signal). */
    void begin() {
        begin = System.nanoTime();
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (begin == 0) {
            return; // a bundle stopped at runtime (update, deploy/) is no part of the daemon's stop
        }
        String name = event.getBundle().getSymbolicName();
        if (event.getType() == BundleEvent.STOPPING) {
            stopping.put(name, System.nanoTime());
        } else if (event.getType() == BundleEvent.STOPPED) {
            Long t = stopping.remove(name);
            if (t != null) {
                took.put(name, System.nanoTime() - t);
            }
        }
    }

    /**
     * For a stop that overran: the bundles still stopping, and where the stopping threads are, so that the cause
     * is named, not guessed.
     */
    void reportOverrun(PrintStream err) {
        long now = System.nanoTime();
        stopping.forEach((name, t) -> err.println("aes67-daemon: still stopping " + name + " after "
                + millis(now - t) + " ms"));
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().equals("FelixStartLevel") || thread.getName().startsWith("aes67d-stop-")) {
                err.println("aes67-daemon: thread " + thread.getName() + ":");
                for (int i = 0; i < Math.min(stack.length, 25); i++) {
                    err.println("    at " + stack[i]);
                }
            }
        });
    }

    /** Prints the line, unless no stop was asked for (the framework stopped by itself). */
    void report(PrintStream out) {
        if (begin == 0) {
            return;
        }
        List<Map.Entry<String, Long>> slowest = new ArrayList<>(took.entrySet());
        slowest.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()));
        StringBuilder line = new StringBuilder("aes67-daemon: stopped in ").append(millis(System.nanoTime() - begin))
                .append(" ms (slowest:");
        for (int i = 0; i < Math.min(SHOWN, slowest.size()); i++) {
            line.append(i == 0 ? " " : ", ").append(slowest.get(i).getKey()).append(' ')
                    .append(millis(slowest.get(i).getValue())).append(" ms");
        }
        out.println(line.append(')'));
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
