package org.aes67d.nmos.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.aes67d.nmos.internal.Resources.Resource;
import org.aes67d.nmos.internal.Resources.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Keeps one registry in step with the node's snapshot (IS-04 v1.3 Registration API): registers the node and then
 * everything below it, parents first; posts what changed and deletes what went away, children first; sends a
 * heartbeat every {@code heartbeat}. A 404 on a heartbeat (the registry restarted or expired us) registers
 * everything again; a registry that cannot be reached or answers 5xx is reported to the {@link RegistryFinder},
 * which offers the next one.
 *
 * <p>Everything runs on one thread; {@link #wake()} makes it look at the snapshot at once.
 */
final class Registration implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Registration.class);
    static final String PATH = "/x-nmos/registration/" + Resources.API_VERSION;

    /** Where the registration stands, for the status API and logs. */
    record Status(String registry, boolean registered, String lastError) {
    }

    /**
     * What happened lately, kept across successes and failures (the status endpoint shows it): since when the
     * node is registered (null while it is not), the last heartbeat the registry accepted and how many, and the
     * last error with its time.
     */
    record History(Instant registeredSince, Instant lastHeartbeat, long heartbeats, String lastError,
            Instant lastErrorAt) {
    }

    private final Supplier<Snapshot> snapshot;
    private final RegistryFinder finder;
    private final Duration heartbeat;
    private final HttpClient http;
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Status status = new Status(null, false, null);
    private volatile History history = new History(null, null, 0, null, null);

    // registration thread only
    private final Map<String, String> registered = new HashMap<>(); // id -> version the registry has
    private final Map<String, Type> registeredTypes = new HashMap<>();
    private final Map<String, String> rejected = new HashMap<>(); // id -> version the registry refused (4xx)
    private URI registry;
    private boolean nodeFresh;
    private int failures;
    private String lastWarning;
    private long lastWarningAt;
    private static final long WARN_REPEAT_NANOS = 60_000_000_000L;

    Registration(Supplier<Snapshot> snapshot, RegistryFinder finder, Duration heartbeat) {
        this.snapshot = snapshot;
        this.finder = finder;
        this.heartbeat = heartbeat;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        this.thread = new Thread(this::run, "aes67d-nmos-registration");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The snapshot changed: sync now rather than at the next heartbeat. */
    void wake() {
        wake.release();
    }

    Status status() {
        return status;
    }

    History history() {
        return history;
    }

    /** Registration thread only (one writer). */
    private void failedWith(String error) {
        History h = history;
        history = new History(h.registeredSince(), h.lastHeartbeat(), h.heartbeats(), error, Instant.now());
    }

    private void run() {
        long nextHeartbeat = 0;
        long backoff = 0;
        while (running) {
            try {
                if (backoff > 0 && wake.tryAcquire(backoff, TimeUnit.MILLISECONDS)) {
                    wake.drainPermits();
                }
                backoff = 0;
                URI target = finder.current();
                if (target == null) {
                    forget(null, "no registry found");
                    backoff = heartbeat.toMillis();
                    continue;
                }
                if (!target.equals(registry)) {
                    forget(target, null);
                    if (failures == 0) { // retries after a failure are reported once, by the warning below
                        LOG.info("NMOS: registering with {}", target);
                    }
                }
                if (!nodeFresh) {
                    registerNode();
                    nextHeartbeat = System.nanoTime() + heartbeat.toNanos();
                }
                sync();
                if (failures > 0) {
                    LOG.info("NMOS: registered with {}", registry);
                    failures = 0;
                    lastWarning = null;
                }
                status = new Status(registry.toString(), true, null);
                if (history.registeredSince() == null) {
                    History h = history;
                    history = new History(Instant.now(), h.lastHeartbeat(), h.heartbeats(), h.lastError(),
                            h.lastErrorAt());
                }
                long now = System.nanoTime();
                if (now - nextHeartbeat >= 0) {
                    heartbeat();
                    History h = history;
                    history = new History(h.registeredSince(), Instant.now(), h.heartbeats() + 1, h.lastError(),
                            h.lastErrorAt());
                    nextHeartbeat = now + heartbeat.toNanos();
                }
                long wait = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextHeartbeat - System.nanoTime()));
                if (wake.tryAcquire(wait, TimeUnit.MILLISECONDS)) {
                    wake.drainPermits();
                }
            } catch (NodeGone e) {
                LOG.warn("NMOS: registry {} no longer knows this node ({}); registering again", registry,
                        e.getMessage());
                forget(registry, e.getMessage());
            } catch (RegistryDown e) {
                String line = "NMOS: registry " + registry + " unusable: " + e.getMessage();
                if (!line.equals(lastWarning) || System.nanoTime() - lastWarningAt > WARN_REPEAT_NANOS) {
                    LOG.warn("{}", line); // once per cause and minute, not at every retry
                    lastWarning = line;
                    lastWarningAt = System.nanoTime();
                }
                finder.failed(registry);
                forget(null, e.getMessage());
                failures++;
                backoff = Math.min(heartbeat.toMillis(), 500L << Math.min(failures, 4));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("NMOS: registration failed", e);
                forget(null, e.toString());
                backoff = 1000;
            }
        }
    }

    /** Drops what we believe the registry holds (it will be registered again from scratch). */
    private void forget(URI next, String error) {
        registry = next;
        registered.clear();
        registeredTypes.clear();
        rejected.clear();
        nodeFresh = false;
        // a new attempt keeps the error that led to it until it succeeds
        status = new Status(next == null ? null : next.toString(), false, error != null ? error : status.lastError());
        History h = history;
        history = new History(null, h.lastHeartbeat(), h.heartbeats(), h.lastError(), h.lastErrorAt());
        if (error != null) {
            failedWith(error);
        }
    }

    /**
     * Registers the node. A 200 means the registry still holds an older registration of ours (we restarted within
     * its expiry): delete it, so that stale children go with it, and register afresh.
     */
    private void registerNode() throws RegistryDown, InterruptedException, NodeGone {
        Resource node = snapshot.get().ordered().stream().filter(r -> r.type() == Type.NODE).findFirst()
                .orElseThrow(() -> new IllegalStateException("no node resource"));
        int code = post(node);
        if (code == 200) {
            delete(Type.NODE, node.id());
            code = post(node);
        }
        if (code != 201 && code != 200) {
            throw new RegistryDown("node registration answered " + code);
        }
        registered.put(node.id(), node.body().get("version").asText());
        registeredTypes.put(node.id(), Type.NODE);
        nodeFresh = true;
    }

    /** Posts new and changed resources (parents first), then deletes removed ones (children first). */
    private void sync() throws RegistryDown, InterruptedException, NodeGone {
        Snapshot s = snapshot.get();
        Map<String, Resource> current = new HashMap<>();
        for (Resource r : s.ordered()) {
            current.put(r.id(), r);
            String version = r.body().get("version").asText();
            if (version.equals(registered.get(r.id())) || version.equals(rejected.get(r.id()))) {
                continue;
            }
            int code = post(r);
            if (code == 200 || code == 201) {
                registered.put(r.id(), version);
                registeredTypes.put(r.id(), r.type());
                rejected.remove(r.id());
            } else {
                rejected.put(r.id(), version);
            }
        }
        List<String> gone = new ArrayList<>();
        registered.keySet().stream().filter(id -> !current.containsKey(id)).forEach(gone::add);
        gone.sort((a, b) -> registeredTypes.get(b).compareTo(registeredTypes.get(a)));
        for (String id : gone) {
            delete(registeredTypes.get(id), id);
            registered.remove(id);
            registeredTypes.remove(id);
        }
    }

    private int post(Resource r) throws RegistryDown, InterruptedException {
        ObjectNode body = Resources.JSON.createObjectNode();
        body.put("type", r.type().word);
        body.set("data", r.body());
        HttpResponse<String> resp = send(HttpRequest.newBuilder(registry.resolve(PATH + "/resource"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        int code = resp.statusCode();
        if (code >= 400) {
            LOG.error("NMOS: registry {} refused {} {}: {} {}", registry, r.type().word, r.id(), code,
                    resp.body());
            status = new Status(registry.toString(), true, r.type().word + " " + r.id() + ": " + code);
            failedWith("registry refused " + r.type().word + " " + r.id() + ": " + code + " "
                    + (resp.body().length() > 200 ? resp.body().substring(0, 200) + "..." : resp.body()));
        }
        return code;
    }

    private void delete(Type type, String id) throws RegistryDown, InterruptedException {
        HttpResponse<String> resp = send(HttpRequest.newBuilder(
                registry.resolve(PATH + "/resource/" + type.plural() + "/" + id)).DELETE());
        if (resp.statusCode() != 204 && resp.statusCode() != 404) {
            LOG.warn("NMOS: registry {} answered {} to deleting {} {}", registry, resp.statusCode(), type.word, id);
        }
    }

    private void heartbeat() throws RegistryDown, InterruptedException, NodeGone {
        String nodeId = snapshot.get().of(Type.NODE).keySet().iterator().next();
        HttpResponse<String> resp = send(HttpRequest.newBuilder(registry.resolve(PATH + "/health/nodes/" + nodeId))
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (resp.statusCode() == 404) {
            throw new NodeGone("heartbeat answered 404");
        }
        if (resp.statusCode() != 200) {
            throw new RegistryDown("heartbeat answered " + resp.statusCode());
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws RegistryDown, InterruptedException {
        try {
            HttpResponse<String> resp = http.send(b.timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() >= 500) {
                throw new RegistryDown("answered " + resp.statusCode() + " " + resp.body());
            }
            return resp;
        } catch (IOException e) {
            throw new RegistryDown(e.toString());
        }
    }

    /** Tries to delete the node (and so everything of ours) from the registry, then stops. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        URI r = registry;
        if (r != null && nodeFresh) {
            Snapshot s = snapshot.get();
            for (String id : s.of(Type.NODE).keySet()) {
                try {
                    http.send(HttpRequest.newBuilder(r.resolve(PATH + "/resource/nodes/" + id))
                            .timeout(Duration.ofSeconds(1)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
                } catch (IOException e) {
                    LOG.info("NMOS: could not unregister from {}: {}", r, e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** The registry does not know our node (any more). */
    static final class NodeGone extends Exception {
        private static final long serialVersionUID = 1L;

        NodeGone(String message) {
            super(message);
        }
    }

    /** The registry cannot be reached or failed (5xx): try another. */
    static final class RegistryDown extends Exception {
        private static final long serialVersionUID = 1L;

        RegistryDown(String message) {
            super(message);
        }
    }
}
