package org.aes67d.nmos.internal;

import static org.aes67d.nmos.internal.Schemas.check;
import static org.aes67d.nmos.internal.Schemas.is04;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

import org.aes67d.api.session.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Registration with the strict test registry: everything registered and kept in step, heartbeats, re-registration
 * after a registry restart, expiry, and failover between two registries of different priority. The heartbeat runs at
 * 1 s (the spec's 5 s, scaled down to keep the test short); the registry expires nodes after the spec's 12 s, so a
 * host that stalls for seconds does not expire a node in the middle of a test (the expiry test sets its own).
 */
class RegistrationTest {
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    static final Duration EXPIRY = Duration.ofSeconds(12);
    private final List<AutoCloseable> open = new java.util.ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T open(T c) {
        open.add(0, c);
        return c;
    }

    private static boolean registered(TestRegistry r, Fixture f, int senders, int receivers) {
        return r.hasNode(f.node.resources().nodeId()) && r.count("device") == 1 && r.count("source") == senders
                && r.count("flow") == senders && r.count("sender") == senders && r.count("receiver") == receivers;
    }

    @Test
    void registersEverythingAndFollowsEveryChange() throws Exception {
        TestRegistry registry = open(new TestRegistry(0, EXPIRY));
        Fixture f = open(new Fixture(new RegistryFinder(registry.uri()), HEARTBEAT));
        f.sessions.putSource(MemorySessions.source(0, "one", "L24", 2));
        f.sessions.putSource(MemorySessions.source(1, "two", "L16", 4));
        f.sessions.putSink(MemorySessions.sink(0, "in", 2));
        Fixture.await("node, device, 2 senders, 1 receiver", () -> registered(registry, f, 2, 1));
        Fixture.await("heartbeats", () -> registry.heartbeats.get() >= 2);
        for (ObjectNode r : registry.all()) {
            check(is04("registrationapi-resource-response.json"), r);
        }

        Source renamed = MemorySessions.source(0, "renamed", "L24", 2);
        f.sessions.putSource(renamed);
        String sender0 = f.node.resources().senderId(0);
        Fixture.await("renamed sender", () -> registry.resources("sender").containsKey(sender0)
                && registry.resources("sender").get(sender0).get("label").asText().equals("renamed"));

        f.sessions.removeSource(1);
        Fixture.await("source 1 gone", () -> registered(registry, f, 1, 1));
        f.sessions.putSink(MemorySessions.sink(1, "in2", 8));
        Fixture.await("second receiver", () -> registered(registry, f, 1, 2));
        f.sessions.removeSink(0);
        Fixture.await("first receiver gone", () -> registered(registry, f, 1, 1));
        assertEquals(List.of(), registry.rejections);

        // the Query API shows what was registered, in the schemas' shapes
        JsonNode senders = Fixture.send(HttpRequest.newBuilder(registry.uri().resolve(TestRegistry.QUERY + "/senders"))).json();
        check(is04("senders.json"), senders);
        assertEquals(1, senders.size());
    }

    @Test
    void registersAgainAfterTheRegistryRestarts() throws Exception {
        TestRegistry registry = open(new TestRegistry(0, EXPIRY));
        Fixture f = open(new Fixture(new RegistryFinder(registry.uri()), HEARTBEAT));
        f.sessions.putSource(MemorySessions.source(0, "one", "L24", 2));
        Fixture.await("registered", () -> registered(registry, f, 1, 0));
        registry.stop();
        Fixture.await("status: not registered, why", () -> !f.node.statusJson().get("registered").asBoolean()
                && !f.node.statusJson().get("error").isNull());
        JsonNode down = f.node.statusJson().get("candidates").get(0);
        assertEquals("configured", down.get("found_by").asText());
        assertEquals(registry.uri().toString(), down.get("url").asText());
        registry.start();
        assertFalse(registry.hasNode(f.node.resources().nodeId()));
        Fixture.await("registered again", () -> registered(registry, f, 1, 0));
        assertEquals(List.of(), registry.rejections);
    }

    @Test
    void unregistersOnClose() throws Exception {
        TestRegistry registry = open(new TestRegistry(0, EXPIRY));
        Fixture f = new Fixture(new RegistryFinder(registry.uri()), HEARTBEAT);
        f.sessions.putSource(MemorySessions.source(0, "one", "L24", 2));
        Fixture.await("registered", () -> registered(registry, f, 1, 0));
        f.close();
        assertFalse(registry.hasNode(f.node.resources().nodeId()));
        assertEquals(0, registry.count("sender"));
    }

    @Test
    void registryExpiresANodeWithoutHeartbeats() throws Exception {
        TestRegistry registry = open(new TestRegistry(0, Duration.ofMillis(500)));
        Fixture f = open(new Fixture(new RegistryFinder(registry.uri()), Duration.ofSeconds(5)));
        f.sessions.putSource(MemorySessions.source(0, "one", "L24", 2));
        Fixture.await("registered", () -> registered(registry, f, 1, 0));
        // the node beats every 5 s, the registry forgets after 0.5 s: the node's children go with it
        Fixture.await("expired", () -> registry.count("node") == 0 && registry.count("sender") == 0);
        // and the next heartbeat's 404 brings everything back
        Fixture.await("registered again", () -> registered(registry, f, 1, 0));
    }

    @Test
    void failsOverToTheNextRegistryByPriority() throws Exception {
        TestRegistry best = open(new TestRegistry(0, EXPIRY));
        TestRegistry second = open(new TestRegistry(0, EXPIRY));
        RegistryFinder finder = new RegistryFinder(null);
        finder.found(new RegistryFinder.Found("second", second.uri(), 20));
        finder.found(new RegistryFinder.Found("best", best.uri(), 10));
        Fixture f = open(new Fixture(finder, HEARTBEAT));
        f.sessions.putSource(MemorySessions.source(0, "one", "L24", 2));
        Fixture.await("registered with the best", () -> registered(best, f, 1, 0));
        assertEquals(0, second.count("node"));
        best.failWith = 500;
        Fixture.await("registered with the second", () -> registered(second, f, 1, 0));
        Fixture.await("status names the second", () -> f.node.registrationStatus().registered()
                && second.uri().toString().equals(f.node.registrationStatus().registry()));
        assertEquals(List.of(), second.rejections);

        // the status endpoint's JSON: which registry, how it was found, the error that caused the failover
        Fixture.await("a heartbeat to the second", () -> f.node.statusJson().get("heartbeats").asLong() >= 2
                && !f.node.statusJson().get("last_heartbeat").isNull());
        JsonNode st = f.node.statusJson();
        assertTrue(st.get("registered").asBoolean(), st.toString());
        assertEquals(second.uri().toString(), st.get("registry").get("url").asText());
        assertEquals("dns-sd", st.get("registry").get("found_by").asText());
        assertEquals(20, st.get("registry").get("priority").asInt());
        assertTrue(st.get("error").isNull(), st.toString());
        assertTrue(st.get("last_error").asText().contains("500"), st.toString());
        assertFalse(st.get("last_error_at").isNull());
        assertFalse(st.get("registered_since").isNull());
        assertEquals(2, st.get("candidates").size());
        assertEquals(best.uri().toString(), st.get("candidates").get(0).get("url").asText());
        assertTrue(st.get("candidates").get(0).get("failed_recently").asBoolean(), st.toString());
    }

    @Test
    void twoNodesUnderOneRegistryBrowseEachOthersSenders() throws Exception {
        TestRegistry registry = open(new TestRegistry(0, EXPIRY));
        Fixture a = open(new Fixture(new RegistryFinder(registry.uri()), HEARTBEAT));
        Fixture b = open(new Fixture(new RegistryFinder(registry.uri()), HEARTBEAT));
        a.sessions.putSource(MemorySessions.source(0, "from a", "L24", 2));
        b.sessions.putSource(MemorySessions.source(0, "from b", "L16", 2));
        Fixture.await("a lists b's sender", () -> a.node.remoteSources().size() == 1);
        org.aes67d.api.discovery.RemoteSource r = a.node.remoteSources().get(0);
        assertEquals("NMOS", r.protocol());
        assertEquals(b.node.resources().senderId(0), r.id());
        assertEquals("from b", r.name());
        assertEquals(b.sessions.sourceSdp(0), r.sdp());
        Fixture.await("b lists a's sender", () -> b.node.remoteSources().size() == 1
                && b.node.remoteSources().get(0).name().equals("from a"));
        assertEquals(List.of(), registry.rejections);

        // IS-05 by sender_id alone: b's receiver plays a's sender, its SDP found through the Query API
        a.sessions.putSink(MemorySessions.sink(0, "a in", 2));
        b.sessions.putSink(MemorySessions.sink(0, "b in", 2));
        Fixture.await("b's receiver", () -> b.node.snapshot().of(Resources.Type.RECEIVER).size() == 1);
        Fixture.Reply p = b.patch(ConnectionApiTest.BASE + "single/receivers/" + b.node.resources().receiverId(0)
                + "/staged", "{\"sender_id\":\"" + a.node.resources().senderId(0) + "\",\"master_enable\":true,"
                + "\"activation\":{\"mode\":\"activate_immediate\"}}");
        assertEquals(200, p.status(), p.text());
        assertEquals(a.sessions.sourceSdp(0), b.sessions.sinks().get(0).sdp());
        assertTrue(b.sessions.sinks().get(0).useSdp());
    }

    @Test
    void registryRefusesInvalidResources() throws Exception {
        // the strictness the tests above rely on: a node the schema forbids is refused with the spec's error body
        TestRegistry registry = open(new TestRegistry(0, EXPIRY));
        String bad = "{\"type\":\"node\",\"data\":{\"id\":\"not-a-uuid\",\"version\":\"1:0\",\"label\":\"x\"}}";
        Fixture.Reply r = Fixture.send(HttpRequest.newBuilder(URI.create(registry.uri() + TestRegistry.REG
                + "/resource")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(bad)));
        assertEquals(400, r.status());
        check(is04("error.json"), r.json());
        assertEquals(1, registry.rejections.size());
    }
}
