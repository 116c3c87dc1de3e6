package org.aes67d.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OriginPolicyTest {
    private static final String OWN = "http://127.0.0.1:8080";

    @Test
    void originsAreComparedInTheirNormalForm() {
        assertEquals("http://studio.example", OriginPolicy.normalise("HTTP://Studio.Example:80"));
        assertEquals("https://studio.example", OriginPolicy.normalise("https://studio.example:443/"));
        assertEquals("https://studio.example:8443", OriginPolicy.normalise("https://studio.example:8443/x?y"));
        assertEquals("http://[::1]:8080", OriginPolicy.normalise("http://[::1]:8080"));
        assertNull(OriginPolicy.normalise("null"));
        assertNull(OriginPolicy.normalise("file:///etc/passwd"));
        assertNull(OriginPolicy.normalise("http://user:pw@host"));
        assertEquals(OWN, OriginPolicy.ownOrigin("http", "127.0.0.1:8080"));
        assertEquals("http://daemon.local", OriginPolicy.ownOrigin("http", "daemon.local:80"));
        assertEquals("", OriginPolicy.ownOrigin("http", null));
    }

    @Test
    void theRequestOriginIsOriginElseReferer() {
        assertEquals("http://evil.example:8000",
                OriginPolicy.requestOrigin("http://evil.example:8000", "http://other.example/page"));
        assertEquals("http://evil.example:8000", OriginPolicy.requestOrigin(null, "http://evil.example:8000/a/b"));
        assertEquals("null", OriginPolicy.requestOrigin("null", null));
        assertEquals("null", OriginPolicy.requestOrigin(null, "not a url at all"));
        assertNull(OriginPolicy.requestOrigin(null, null));
        assertNull(OriginPolicy.requestOrigin("", " "));
    }

    @Test
    void stateChangesFromAnotherOriginAreRefusedByDefault() {
        OriginPolicy p = OriginPolicy.parse("");
        for (String m : new String[] {"POST", "PUT", "DELETE", "PATCH", "PROPFIND"}) {
            assertNotNull(p.refusal(m, "http://evil.example", OWN, "cross-site"), m);
            assertNotNull(p.refusal(m, "http://127.0.0.1:8000", OWN, "same-site"), m + " from another port");
            assertNotNull(p.refusal(m, "null", OWN, null), m + " from an opaque origin");
            assertNull(p.refusal(m, OWN, OWN, "same-origin"), m + " from the daemon's own pages");
            assertNull(p.refusal(m, null, OWN, null), m + " from a script");
            assertNotNull(p.refusal(m, null, OWN, "cross-site"), m + " marked cross-site without an origin");
        }
        for (String m : new String[] {"GET", "HEAD", "OPTIONS"}) {
            assertNull(p.refusal(m, "http://evil.example", OWN, "cross-site"), m);
        }
        String why = p.refusal("POST", "http://evil.example", OWN, null);
        assertTrue(why.contains("http://evil.example") && why.contains(OWN) && why.contains("http_allowed_origins"), why);
    }

    @Test
    void theAllowListAndTheWildcard() {
        OriginPolicy p = OriginPolicy.parse(" https://studio.example:8443, http://ops.example ");
        assertNull(p.refusal("PUT", "https://studio.example:8443", OWN, "cross-site"));
        assertNull(p.refusal("PUT", "http://ops.example", OWN, "cross-site"));
        assertNotNull(p.refusal("PUT", "https://studio.example", OWN, "cross-site"), "another port");
        assertTrue(p.trusted("http://ops.example", OWN));
        assertFalse(p.trusted("http://evil.example", OWN));
        assertFalse(p.anyOrigin());

        OriginPolicy any = OriginPolicy.parse("*");
        assertTrue(any.anyOrigin());
        assertNull(any.refusal("POST", "http://evil.example", OWN, "cross-site"));
        assertThrows(IllegalArgumentException.class, () -> OriginPolicy.parse("studio.example"));
        assertThrows(IllegalArgumentException.class, () -> OriginPolicy.parse("ftp://studio.example"));
    }
}
