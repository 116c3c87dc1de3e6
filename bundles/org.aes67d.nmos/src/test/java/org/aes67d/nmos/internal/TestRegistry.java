package org.aes67d.nmos.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A strict IS-04 v1.3 registry for the tests: the Registration API (every POST validated against the AMWA schemas,
 * parents must exist, errors with the spec's codes and body), node health with expiry ({@code expiry} after the last
 * heartbeat the node and everything below it go, 12 s by default as in the spec), and the Query API (lists and
 * single resources). It records every request, every rejection and every response problem so a test can assert that
 * the node sent nothing the schemas or the spec reject. {@link #stop()} forgets everything; {@link #start()} serves
 * the same port again.
 */
final class TestRegistry implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String REG = "/x-nmos/registration/v1.3";
    static final String QUERY = "/x-nmos/query/v1.3";
    private static final List<String> TYPES = List.of("node", "device", "source", "flow", "sender", "receiver");

    /** One request as received. */
    record Call(String method, String path, int status) {
    }

    private final InetAddress bind;
    private final int port;
    private final Duration expiry;
    private HttpServer server;
    private ScheduledExecutorService reaper;
    /** type -> id -> resource */
    private final Map<String, Map<String, ObjectNode>> store = new LinkedHashMap<>();
    private final Map<String, Long> health = new LinkedHashMap<>(); // node id -> nanoTime of the last heartbeat
    final List<Call> calls = new CopyOnWriteArrayList<>();
    /** Why registrations were refused (a correct node causes none). */
    final List<String> rejections = new CopyOnWriteArrayList<>();
    final AtomicInteger heartbeats = new AtomicInteger();
    /** When set, every request is answered with this status (simulates a failing registry). */
    volatile int failWith;

    TestRegistry(int port, Duration expiry) throws IOException {
        this(InetAddress.getLoopbackAddress(), port, expiry);
    }

    TestRegistry(InetAddress bind, int port, Duration expiry) throws IOException {
        Schemas.assumePresent(); // it validates every request: without the schemas its tests skip, not time out
        this.bind = bind;
        this.port = port == 0 ? freePort() : port;
        this.expiry = expiry;
        start();
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    URI uri() {
        return URI.create("http://" + bind.getHostAddress() + ":" + port);
    }

    int port() {
        return port;
    }

    synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        IOException last = null;
        for (int attempt = 0; attempt < 50 && server == null; attempt++) {
            try {
                server = HttpServer.create(new InetSocketAddress(bind, port), 32);
            } catch (java.net.BindException e) { // the port is in TIME_WAIT after a restart: try again shortly
                last = e;
                sleepQuietly();
            }
        }
        if (server == null) {
            throw last;
        }
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "test-registry-" + port);
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::serve);
        server.start();
        reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "test-registry-reaper-" + port);
            t.setDaemon(true);
            return t;
        });
        reaper.scheduleWithFixedDelay(this::expire, 100, 100, TimeUnit.MILLISECONDS);
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(100); // not synchronisation: waiting for the kernel to free a port
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops serving and forgets every registration (as a registry process that exits). */
    synchronized void stop() {
        if (server == null) {
            return;
        }
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        reaper.shutdownNow();
        server = null;
        store.clear();
        health.clear();
    }

    @Override
    public void close() {
        stop();
    }

    synchronized Map<String, ObjectNode> resources(String type) {
        return new LinkedHashMap<>(store.getOrDefault(type, Map.of()));
    }

    synchronized int count(String type) {
        return store.getOrDefault(type, Map.of()).size();
    }

    synchronized boolean hasNode(String id) {
        return store.getOrDefault("node", Map.of()).containsKey(id);
    }

    private synchronized void expire() {
        long now = System.nanoTime();
        for (String node : new ArrayList<>(health.keySet())) {
            if (now - health.get(node) > expiry.toNanos()) {
                removeNode(node);
            }
        }
    }

    /** Removes a node and everything registered below it. */
    private void removeNode(String nodeId) {
        health.remove(nodeId);
        store.getOrDefault("node", new LinkedHashMap<>()).remove(nodeId);
        List<String> devices = new ArrayList<>();
        store.getOrDefault("device", new LinkedHashMap<>()).entrySet().removeIf(e -> {
            boolean mine = e.getValue().path("node_id").asText().equals(nodeId);
            if (mine) {
                devices.add(e.getKey());
            }
            return mine;
        });
        for (String t : List.of("source", "flow", "sender", "receiver")) {
            store.getOrDefault(t, new LinkedHashMap<>()).values()
                    .removeIf(r -> devices.contains(r.path("device_id").asText()));
        }
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            byte[] body = ex.getRequestBody().readAllBytes();
            Object[] reply;
            if (failWith != 0) {
                reply = error(failWith, "registry failing on purpose");
            } else {
                try {
                    synchronized (this) {
                        reply = route(method, path, body);
                    }
                } catch (RuntimeException e) {
                    rejections.add("registry failure: " + e);
                    reply = error(500, "registry failure: " + e);
                }
            }
            int status = (Integer) reply[0];
            calls.add(new Call(method, path, status));
            JsonNode json = (JsonNode) reply[1];
            if (reply.length > 2) {
                ex.getResponseHeaders().add("Location", (String) reply[2]);
            }
            if (json == null) {
                ex.sendResponseHeaders(status, -1);
                return;
            }
            byte[] out = JSON.writeValueAsBytes(json);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        }
    }

    private Object[] route(String method, String path, byte[] body) {
        if (path.startsWith(REG + "/")) {
            String rest = path.substring(REG.length() + 1);
            if (method.equals("POST") && rest.equals("resource")) {
                return register(body);
            }
            String[] p = rest.split("/");
            if (p.length == 3 && p[0].equals("resource") && method.equals("DELETE")) {
                return delete(p[1], p[2]);
            }
            if (p.length == 3 && p[0].equals("health") && p[1].equals("nodes") && method.equals("POST")) {
                return heartbeat(p[2]);
            }
            return error(method.equals("GET") || method.equals("POST") || method.equals("DELETE") ? 404 : 405,
                    "no such path");
        }
        if (path.startsWith(QUERY + "/") && method.equals("GET")) {
            String[] p = path.substring(QUERY.length() + 1).split("/");
            String type = p[0].endsWith("s") ? p[0].substring(0, p[0].length() - 1) : p[0];
            if (!TYPES.contains(type) || p.length > 2) {
                return error(404, "no such path");
            }
            Map<String, ObjectNode> m = store.getOrDefault(type, Map.of());
            if (p.length == 1) {
                ArrayNode all = JSON.createArrayNode();
                m.values().forEach(all::add);
                return new Object[] {200, all};
            }
            ObjectNode one = m.get(p[1]);
            return one == null ? error(404, type + " not found") : new Object[] {200, one};
        }
        return error(404, "no such path");
    }

    private Object[] register(byte[] body) {
        JsonNode req;
        try {
            req = JSON.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return reject("malformed JSON: " + e.getMessage());
        }
        List<String> problems = Schemas.problems(Schemas.is04("registrationapi-resource-post-request.json"), req);
        if (!problems.isEmpty()) {
            return reject("schema: " + problems + " in " + req);
        }
        String type = req.get("type").asText();
        ObjectNode data = (ObjectNode) req.get("data");
        String id = data.get("id").asText();
        String parentProblem = switch (type) {
            case "node" -> null;
            case "device" -> missing("node", data.get("node_id").asText());
            case "flow" -> missing("device", data.get("device_id").asText()) != null
                    ? missing("device", data.get("device_id").asText()) : missing("source", data.get("source_id").asText());
            case "sender" -> data.get("flow_id").isNull() ? missing("device", data.get("device_id").asText())
                    : missing("flow", data.get("flow_id").asText());
            default -> missing("device", data.get("device_id").asText());
        };
        if (parentProblem != null) {
            return reject(type + " " + id + ": " + parentProblem);
        }
        for (String other : TYPES) {
            if (!other.equals(type) && store.getOrDefault(other, Map.of()).containsKey(id)) {
                return reject(id + " is already a " + other);
            }
        }
        Map<String, ObjectNode> m = store.computeIfAbsent(type, t -> new LinkedHashMap<>());
        ObjectNode old = m.get(id);
        if (old != null && versionNanos(data) < versionNanos(old)) {
            return reject(type + " " + id + ": version " + data.get("version").asText() + " older than "
                    + old.get("version").asText());
        }
        m.put(id, data);
        if (type.equals("node") && old == null) {
            health.put(id, System.nanoTime());
        }
        return new Object[] {old == null ? 201 : 200, data, REG + "/resource/" + type + "s/" + id};
    }

    private static long versionNanos(JsonNode r) {
        String[] v = r.get("version").asText().split(":");
        return Long.parseLong(v[0]) * 1_000_000_000L + Long.parseLong(v[1]);
    }

    private String missing(String type, String id) {
        return store.getOrDefault(type, Map.of()).containsKey(id) ? null : "parent " + type + " " + id + " not registered";
    }

    private Object[] delete(String types, String id) {
        String type = types.endsWith("s") ? types.substring(0, types.length() - 1) : types;
        if (!TYPES.contains(type)) {
            return error(404, "no such resource type " + types);
        }
        Map<String, ObjectNode> m = store.getOrDefault(type, new LinkedHashMap<>());
        if (!m.containsKey(id)) {
            return error(404, type + " " + id + " not found");
        }
        if (type.equals("node")) {
            removeNode(id);
        } else {
            m.remove(id);
        }
        return new Object[] {204, null};
    }

    private Object[] heartbeat(String nodeId) {
        if (!health.containsKey(nodeId)) {
            return error(404, "node " + nodeId + " not registered or expired");
        }
        health.put(nodeId, System.nanoTime());
        heartbeats.incrementAndGet();
        ObjectNode h = JSON.createObjectNode();
        h.put("health", Long.toString(System.currentTimeMillis() / 1000));
        return new Object[] {200, h};
    }

    private Object[] reject(String why) {
        rejections.add(why);
        return error(400, why);
    }

    private static Object[] error(int code, String message) {
        ObjectNode e = JSON.createObjectNode();
        e.put("code", code);
        e.put("error", message);
        e.putNull("debug");
        return new Object[] {code, e};
    }

    /** Every registered resource of every type, for assertions. */
    synchronized List<ObjectNode> all() {
        List<ObjectNode> out = new ArrayList<>();
        store.values().forEach(m -> out.addAll(m.values()));
        return Collections.unmodifiableList(out);
    }
}
