package org.aes67d.discovery.mdns.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.aes67d.discovery.mdns.internal.MdnsBackend.ServiceSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What we want published (by key: a source id, a sink id, the node) and what is, converged in the background. jmDNS
 * blocks in {@code unregisterService} until its goodbye cycle ends (1-2 s each), so one thread working through 64
 * changes took minutes; here every key converges on its own pool thread (one operation at a time per key, so a
 * re-publish is always goodbye, then register), and callers never wait. Probing in jmDNS does not block the caller.
 */
final class Publications {
    private static final Logger LOG = LoggerFactory.getLogger(Publications.class);
    /** Enough for 64 sources, 64 sinks and the node records converging at once. */
    static final int THREADS = 160;

    private record Want(ServiceSpec spec, long generation) {
    }

    private final Map<String, Want> desired = new HashMap<>(); // guarded by this
    private final Map<String, Want> published = new HashMap<>(); // guarded by this
    private final Set<String> busy = new HashSet<>(); // guarded by this
    private final ThreadPoolExecutor pool;
    private MdnsBackend backend; // guarded by this
    private long generation; // guarded by this

    Publications() {
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(THREADS, THREADS, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "aes67d-mdns-publish-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true); // no threads at rest
    }

    /**
     * Publishes {@code spec} under {@code key} (null withdraws it). {@code republish}: goodbye and register again
     * even if the record is the same (the SDP behind it changed; browsers that watch records re-describe).
     */
    synchronized void want(String key, ServiceSpec spec, boolean republish) {
        Want previous = desired.get(key);
        if (spec == null) {
            desired.remove(key);
        } else if (republish || previous == null || !previous.spec().equals(spec)) {
            desired.put(key, new Want(spec, ++generation));
        }
        kick(key);
    }

    synchronized ServiceSpec wanted(String key) {
        Want w = desired.get(key);
        return w == null ? null : w.spec();
    }

    synchronized Set<String> keys() {
        return new HashSet<>(desired.keySet());
    }

    /** Names of the records we publish (or are about to). */
    synchronized Set<String> names() {
        Set<String> out = new HashSet<>();
        desired.values().forEach(w -> out.add(w.spec().name()));
        return out;
    }

    /** Uses a (new) responder: everything wanted is registered on it from scratch. */
    synchronized void attach(MdnsBackend b) {
        backend = b;
        published.clear();
        new ArrayList<>(desired.keySet()).forEach(this::kick);
    }

    /** Stops using the responder (it is being closed, which says goodbye for everything). */
    synchronized MdnsBackend detach() {
        MdnsBackend b = backend;
        backend = null;
        published.clear();
        return b;
    }

    /** True when everything wanted is published (tests and the benchmark wait for it). */
    synchronized boolean settled() {
        return busy.isEmpty() && desired.equals(published);
    }

    /** Conversions handed to the pool so far (tests: unchanged records must cost none). */
    long tasks() {
        return pool.getTaskCount();
    }

    void shutdown() {
        pool.shutdownNow();
    }

    private void kick(String key) {
        // nothing to do is the common case (the sinks are re-offered every poll): no task, or each poll would start
        // a pool thread per sink (the pool adds threads until THREADS, idle ones or not) and keep them alive
        if (backend != null && !Objects.equals(desired.get(key), published.get(key)) && busy.add(key)) {
            pool.execute(() -> converge(key));
        }
    }

    private void converge(String key) {
        while (true) {
            Want target;
            Want current;
            MdnsBackend b;
            synchronized (this) {
                target = desired.get(key);
                current = published.get(key);
                b = backend;
                if (b == null || Objects.equals(target, current)) {
                    busy.remove(key);
                    return;
                }
            }
            try {
                if (current != null) {
                    b.unregister(current.spec());
                    synchronized (this) {
                        if (backend == b) {
                            published.remove(key);
                        }
                    }
                } else {
                    b.register(target.spec());
                    synchronized (this) {
                        if (backend == b) {
                            published.put(key, target);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("mDNS cannot publish {} ({}): {}", target == null ? key : target.spec().name(),
                        target == null ? "" : target.spec().type(), e.getMessage());
                synchronized (this) {
                    busy.remove(key);
                }
                return;
            }
        }
    }
}
