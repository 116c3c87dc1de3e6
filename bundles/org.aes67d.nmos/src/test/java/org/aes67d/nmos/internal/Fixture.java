package org.aes67d.nmos.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.aes67d.api.ptp.PtpClock;
import org.aes67d.api.ptp.PtpState;
import org.aes67d.api.ptp.PtpStatus;
import org.aes67d.api.session.SessionManager;
import org.aes67d.nmos.internal.Resources.Identity;

import com.fasterxml.jackson.databind.JsonNode;

/** A node on loopback over {@link MemorySessions}, a fixed PTP clock, and helpers to poll and to call HTTP. */
final class Fixture implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofSeconds(20);
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final MemorySessions sessions = new MemorySessions();
    final FixedClock clock = new FixedClock();
    final NmosNode node;
    final URI base;
    /** The node's HTTP policy gate, over the policy it was given (none: the rule without a policy service). */
    final HttpGate gate;

    /** A PTP clock that is locked to a fixed grandmaster, at the local monotonic time plus a fixed offset. */
    static final class FixedClock implements PtpClock {
        static final long OFFSET = 1_800_000_000_000_000_000L;
        volatile PtpState state = PtpState.LOCKED;

        @Override
        public long ptpTimeNanos(long localNanos) {
            return localNanos + OFFSET;
        }

        @Override
        public long localNanos(long ptpNanos) {
            return ptpNanos - OFFSET;
        }

        @Override
        public PtpStatus status() {
            return new PtpStatus(state, "00-1D-C1-FF-FE-12-34-56", 0, 0, 0);
        }

        @Override
        public PtpState state() {
            return state;
        }
    }

    Fixture(RegistryFinder finder, Duration heartbeat) throws IOException {
        this(finder, heartbeat, null);
    }

    Fixture(RegistryFinder finder, Duration heartbeat, org.aes67d.api.security.RequestPolicy policy)
            throws IOException {
        this(finder, heartbeat, policy, null);
    }

    /** @param secondary the node's second network (ST 2022-7), or null */
    Fixture(RegistryFinder finder, Duration heartbeat, org.aes67d.api.security.RequestPolicy policy,
            Resources.Interface secondary) throws IOException {
        gate = new HttpGate(() -> policy);
        int port = TestRegistry.freePort();
        Identity id = new Identity("Daemon test " + port, "Test node", "127.0.0.1", port, "lo", "00:11:22:33:44:55",
                secondary);
        node = new NmosNode(id, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), new NmosNode.Host() {
            @Override
            public SessionManager sessions() {
                return sessions;
            }

            @Override
            public PtpClock ptp() {
                return clock;
            }

            @Override
            public HttpGate gate() {
                return gate;
            }
        }, finder, heartbeat, Duration.ofMillis(100));
        sessions.announcers.add(new org.aes67d.api.discovery.SourceAnnouncer() {
            @Override
            public void sourceUpdated(org.aes67d.api.session.Source source, String sdp) {
                node.changed();
            }

            @Override
            public void sourceRemoved(org.aes67d.api.session.Source source, String sdp) {
                node.changed();
            }
        });
        base = URI.create("http://127.0.0.1:" + port);
    }

    static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20); // polling interval, not synchronisation
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** A response: status and JSON body (null when empty or not JSON). */
    record Reply(int status, JsonNode json, String text, HttpResponse<String> raw) {
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    Reply patch(String path, String json) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    Reply post(String path, String json) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Reply delete(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    static Reply send(HttpRequest.Builder b) {
        try {
            // 20 s: the first request of a fresh JVM loads the schemas, seconds on a loaded 2-core host
            HttpResponse<String> r = HTTP.send(b.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
                json = TestRegistry.JSON.readTree(r.body());
            }
            return new Reply(r.statusCode(), json, r.body(), r);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        node.close();
    }
}
