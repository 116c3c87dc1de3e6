package org.aes67d.nmos.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import org.aes67d.api.security.RequestPolicy;
import org.aes67d.security.internal.Policy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The NMOS port under the daemon's HTTP policy (the security bundle's own {@link Policy}), over real HTTP: a web
 * page of a foreign origin cannot change a receiver or a channel map, scripts and trusted pages can.
 */
class CrossSiteTest {
    private static final String IS05 = "/x-nmos/connection/v1.1/single/receivers/";
    private static final String IS08_ACTIVATIONS = "/x-nmos/channelmapping/v1.0/map/activations";
    private static final String CONTROLLER = "http://controller.example:8000";
    private static final String EVIL = "http://evil.example";
    private Fixture f;
    private String staged;
    private String patch;

    private void start(RequestPolicy policy) throws Exception {
        f = new Fixture(new RegistryFinder(null), Duration.ofSeconds(5), policy);
        f.sessions.putSource(MemorySessions.source(0, "out", "L24", 2));
        f.sessions.putSink(MemorySessions.sink(0, "in", 2));
        Fixture.await("receiver", () -> f.node.snapshot().of(Resources.Type.RECEIVER).size() == 1);
        staged = IS05 + f.node.resources().receiverId(0) + "/staged";
        patch = "{\"sender_id\":\"" + f.node.resources().senderId(0) + "\",\"master_enable\":true}";
    }

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private Fixture.Reply patch(String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(f.base.resolve(staged)).header("Content-Type",
                "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(patch));
        return Fixture.send(headers.length == 0 ? b : b.headers(headers));
    }

    private Fixture.Reply preflight(String origin) {
        return Fixture.send(HttpRequest.newBuilder(f.base.resolve(staged)).header("Origin", origin)
                .header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    }

    private static Optional<String> header(Fixture.Reply r, String name) {
        return r.raw().headers().firstValue(name);
    }

    private static void assertRefused(int status, Fixture.Reply r) {
        assertEquals(status, r.status(), r.text());
        assertTrue(header(r, "Content-Type").orElse("").startsWith("text/plain"), r.raw().headers().toString());
        assertFalse(header(r, "Access-Control-Allow-Origin").isPresent(), "a refused page may read nothing");
    }

    @Test
    void aForeignPageCannotChangeTheNodeAScriptAndATrustedPageCan() throws Exception {
        start(Policy.of(CONTROLLER, false, "admin", "pw", ""));
        JsonNode before = f.get(staged).json();

        Fixture.Reply evil = patch("Origin", EVIL);
        assertRefused(403, evil);
        assertTrue(evil.text().contains("origin " + EVIL) && evil.text().contains("http_allowed_origins"),
                evil.text());
        assertRefused(403, patch("Referer", EVIL + "/page.html"));
        assertRefused(403, patch("Origin", "null"));
        assertRefused(403, Fixture.send(HttpRequest.newBuilder(f.base.resolve(IS08_ACTIVATIONS))
                .header("Origin", EVIL).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))));
        assertEquals(before, f.get(staged).json(), "nothing staged");
        assertEquals(4L, f.gate.counts().get("cross_site"));

        Fixture.Reply script = patch();
        assertEquals(200, script.status(), script.text());
        assertFalse(header(script, "Access-Control-Allow-Origin").isPresent());
        assertEquals(f.node.resources().senderId(0), f.get(staged).json().get("sender_id").asText());

        Fixture.Reply trusted = patch("Origin", CONTROLLER);
        assertEquals(200, trusted.status(), trusted.text());
        assertEquals(CONTROLLER, header(trusted, "Access-Control-Allow-Origin").orElse(null));
        assertTrue(trusted.raw().headers().allValues("Vary").contains("Origin"));
        assertEquals(200, patch("Origin", f.base.toString().replaceAll("/$", "")).status(), "the port's own origin");

        Fixture.Reply read = Fixture.send(HttpRequest.newBuilder(f.base.resolve(staged)).header("Origin", EVIL));
        assertEquals(200, read.status(), "reads are answered");
        assertFalse(header(read, "Access-Control-Allow-Origin").isPresent(), "but not to a foreign page");
        assertEquals(4L, f.gate.counts().get("cross_site"));
    }

    @Test
    void preflightsGetCorsHeadersOnlyForTrustedOrigins() throws Exception {
        start(Policy.of(CONTROLLER, false, "admin", "pw", ""));
        Fixture.Reply ok = preflight(CONTROLLER);
        assertEquals(200, ok.status());
        assertEquals(CONTROLLER, header(ok, "Access-Control-Allow-Origin").orElse(null));
        assertTrue(header(ok, "Access-Control-Allow-Methods").orElse("").contains("PATCH"));
        assertTrue(header(ok, "Access-Control-Allow-Headers").orElse("").toLowerCase().contains("content-type"));
        assertTrue(ok.raw().headers().allValues("Vary").contains("Origin"));

        Fixture.Reply foreign = preflight(EVIL);
        assertEquals(200, foreign.status());
        assertFalse(header(foreign, "Access-Control-Allow-Origin").isPresent());
        assertFalse(header(foreign, "Access-Control-Allow-Methods").isPresent());
    }

    @Test
    void theWildcardTrustsEveryPage() throws Exception {
        start(Policy.of("*", false, "admin", "pw", ""));
        Fixture.Reply r = patch("Origin", EVIL);
        assertEquals(200, r.status(), r.text());
        assertEquals("*", header(r, "Access-Control-Allow-Origin").orElse(null));
        assertEquals("*", header(preflight(EVIL), "Access-Control-Allow-Origin").orElse(null));
    }

    @Test
    void withAuthenticationTheNodeWantsTheSameCredentials() throws Exception {
        start(Policy.of(CONTROLLER, true, "admin", "pw", ""));
        Fixture.Reply none = patch();
        assertRefused(401, none);
        assertTrue(header(none, "WWW-Authenticate").orElse("").startsWith("Basic "));
        assertRefused(401, f.get(staged));
        assertRefused(401, patch("Authorization", basic("admin:wrong")));
        assertEquals(3L, f.gate.counts().get("unauthorized"));
        Fixture.Reply stagedNow = Fixture.send(HttpRequest.newBuilder(f.base.resolve(staged))
                .header("Authorization", basic("admin:pw")));
        assertEquals(200, stagedNow.status(), stagedNow.text());
        assertTrue(stagedNow.json().get("sender_id").isNull(), "nothing staged: " + stagedNow.text());

        Fixture.Reply trustedWithout = patch("Origin", CONTROLLER);
        assertEquals(401, trustedWithout.status());
        assertEquals(CONTROLLER, header(trustedWithout, "Access-Control-Allow-Origin").orElse(null),
                "a trusted page may read why");
        assertEquals(200, preflight(CONTROLLER).status(), "a preflight carries no credentials");

        Fixture.Reply ok = patch("Authorization", basic("admin:pw"));
        assertEquals(200, ok.status(), ok.text());
        assertRefused(403, patch("Origin", EVIL, "Authorization", basic("admin:pw")));
    }

    @Test
    void withoutThePolicyServiceNoPageMayChangeTheNode() throws Exception {
        start(null);
        JsonNode before = f.get(staged).json();
        Fixture.Reply own = patch("Origin", f.base.toString().replaceAll("/$", ""));
        assertRefused(403, own);
        assertEquals(HttpGate.NO_POLICY, own.text());
        assertRefused(403, patch("Sec-Fetch-Site", "same-site"));
        assertEquals(before, f.get(staged).json());
        assertFalse(header(preflight(CONTROLLER), "Access-Control-Allow-Origin").isPresent());
        assertEquals(200, patch().status(), "scripts go on working");
    }

    private static String basic(String userPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8));
    }
}
