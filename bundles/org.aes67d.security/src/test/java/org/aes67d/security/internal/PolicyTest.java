package org.aes67d.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import org.aes67d.api.security.RequestDecision;
import org.junit.jupiter.api.Test;

/** The rules as the {@code RequestPolicy} service answers them (the NMOS port's view of the policy). */
class PolicyTest {
    private static final String HOST = "10.0.0.5:3212";
    private static final String OWN = "http://" + HOST;

    /** Headers as a server hands them over: looked up by name in any case. */
    private static UnaryOperator<String> headers(String... nameValue) {
        Map<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        m.put("Host", HOST);
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put(nameValue[i], nameValue[i + 1]);
        }
        return m::get;
    }

    private static String basic(String userPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void crossSiteChangesAreRefusedWithoutAnyCorsHeader() {
        Policy p = Policy.of("", false, "admin", "pw", "");
        RequestDecision d = p.decide("PATCH", "http", headers("Origin", "http://evil.example"));
        assertFalse(d.allowed());
        assertEquals(403, d.status());
        assertTrue(d.reason().startsWith("cross-site request refused : (daemon) origin http://evil.example"),
                d.reason());
        assertNull(d.corsOrigin());
        assertNull(d.challenge());
        assertEquals(403, p.decide("POST", "http", headers("Referer", "http://evil.example/x.html")).status(),
                "Referer when there is no Origin");
        assertEquals(403, p.decide("PUT", "http", headers("Sec-Fetch-Site", "cross-site")).status());

        RequestDecision script = p.decide("PATCH", "http", headers());
        assertTrue(script.allowed(), "a script names no origin");
        assertNull(script.corsOrigin());
        assertEquals(0, script.status());
        assertTrue(p.decide("PATCH", "http", headers("Origin", OWN)).allowed(), "the server's own origin");
        RequestDecision read = p.decide("GET", "http", headers("Origin", "http://evil.example"));
        assertTrue(read.allowed(), "reads are not refused");
        assertNull(read.corsOrigin(), "but the page cannot read the answer");
    }

    @Test
    void allowedOriginsAreEchoedAndTheWildcardIsAny() {
        Policy p = Policy.of("http://controller.example:8000", false, "admin", "pw", "");
        for (String m : new String[] {"PATCH", "OPTIONS", "GET"}) {
            RequestDecision d = p.decide(m, "http", headers("Origin", "HTTP://Controller.Example:8000"));
            assertTrue(d.allowed(), m);
            assertEquals("http://controller.example:8000", d.corsOrigin(), m);
        }
        assertNull(p.decide("OPTIONS", "http", headers("Origin", "http://evil.example")).corsOrigin());

        Policy any = Policy.of("*", false, "admin", "pw", "");
        RequestDecision d = any.decide("PATCH", "http", headers("Origin", "http://evil.example"));
        assertTrue(d.allowed());
        assertEquals(RequestDecision.ANY_ORIGIN, d.corsOrigin());
        assertThrows(IllegalArgumentException.class, () -> Policy.of("controller.example", false, "a", "", ""));
    }

    @Test
    void withAuthenticationEveryRequestButAPreflightNeedsCredentials() {
        String token = "t0ken";
        Policy p = Policy.of("http://controller.example", true, "admin", Credentials.hashed("pw"),
                Credentials.hashed(token));
        RequestDecision none = p.decide("GET", "http", headers("Origin", "http://controller.example"));
        assertEquals(401, none.status());
        assertEquals(Policy.CHALLENGE, none.challenge());
        assertEquals("http://controller.example", none.corsOrigin(), "a trusted page may read why");
        assertEquals(401, p.decide("PATCH", "http", headers("Authorization", basic("admin:wrong"))).status());
        assertEquals("admin", p.decide("PATCH", "http", headers("Authorization", basic("admin:pw"))).user());
        assertEquals(Credentials.TOKEN_USER,
                p.decide("PATCH", "http", headers("authorization", "Bearer " + token)).user());
        assertTrue(p.decide("OPTIONS", "http", headers("Origin", "http://controller.example")).allowed());
        assertEquals(403, p.decide("PATCH", "http", headers("Origin", "http://evil.example", "Authorization",
                basic("admin:pw"))).status(), "credentials do not make a foreign page trusted");
        assertEquals("admin", Policy.of("", false, "admin", "pw", "")
                .decide("GET", "http", headers("Authorization", basic("admin:pw"))).user(), "known with auth off too");
    }

    @Test
    void theGuardAnswersAsItsRecordSaysAnd503BeforeIt() {
        HttpGuard guard = new HttpGuard();
        // what DS passes before Configuration Admin has our record: the description's defaults, no service.pid
        guard.configure(config("http://controller.example", false), Map.of("http.auth", false,
                "http.allowed.origins", "", "component.name", HttpGuard.class.getName(), "component.id", 7L));
        RequestDecision starting = guard.decide("GET", "http", headers());
        assertEquals(503, starting.status());
        assertTrue(starting.reason().startsWith("starting"), starting.reason());

        guard.configure(config("http://controller.example", false), Map.of(HttpGuard.CONFIGURED_PROPERTY, HttpGuard.PID, "http.auth", false));
        assertEquals(403, guard.decide("PATCH", "http", headers("Origin", "http://evil.example")).status());
        assertEquals("http://controller.example",
                guard.decide("PATCH", "http", headers("Origin", "http://controller.example")).corsOrigin());

        guard.configure(config("not an origin", true), Map.of(HttpGuard.CONFIGURED_PROPERTY, HttpGuard.PID, "http.auth", true));
        assertEquals(403, guard.decide("PATCH", "http", headers("Origin", "http://controller.example")).status(),
                "a malformed allow-list falls back to no other origin");
        assertEquals(401, guard.decide("GET", "http", headers()).status());
    }

    private static SecurityConfig config(String origins, boolean auth) {
        return new SecurityConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SecurityConfig.class;
            }

            @Override
            public String http_allowed_origins() {
                return origins;
            }

            @Override
            public boolean http_auth() {
                return auth;
            }

            @Override
            public String http_tokens() {
                return "";
            }

            @Override
            public int http_max_body_bytes() {
                return 1024;
            }

            @Override
            public int http_max_requests() {
                return 4;
            }

            @Override
            public String console_user() {
                return "admin";
            }

            @Override
            public String console_password() {
                return "pw";
            }
        };
    }
}
