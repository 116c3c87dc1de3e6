package org.aes67d.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class CredentialsTest {
    private static String basic(String userPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void basicWithTheConsoleUserHashedOrPlain() {
        for (String stored : new String[] {Credentials.hashed("s3cret:x"), "s3cret:x"}) {
            Credentials c = Credentials.of("admin", stored, "");
            assertEquals("admin", c.userOf(basic("admin:s3cret:x")), stored);
            assertEquals("admin", c.userOf("basic " + basic("admin:s3cret:x").substring(6)), "scheme in any case");
            assertNull(c.userOf(basic("admin:s3cret")), stored);
            assertNull(c.userOf(basic("root:s3cret:x")), stored);
            assertNull(c.userOf(basic("admin")), "no colon");
            assertNull(c.userOf("Basic %%%"), "not base64");
            assertNull(c.userOf(null));
            assertNull(c.userOf("Basic"));
        }
        assertNull(Credentials.of("admin", "", "").userOf(basic("admin:")), "no password = no Basic login");
    }

    @Test
    void bearerTokensAreKeptAsHashes() {
        String tokens = Credentials.hashed("token-one") + ", " + Credentials.hashed("token-two");
        Credentials c = Credentials.of("admin", "pw", tokens);
        assertEquals(Credentials.TOKEN_USER, c.userOf("Bearer token-one"));
        assertEquals(Credentials.TOKEN_USER, c.userOf("bearer  token-two "));
        assertNull(c.userOf("Bearer token-three"));
        assertNull(c.userOf("Bearer " + Credentials.hashed("token-one")), "the stored hash is not a token");
        assertEquals("{sha-256}n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=", Credentials.hashed("test"));
    }

    @Test
    void aMalformedTokenEntryIsRefusedWithoutRepeatingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Credentials.of("admin", "pw", Credentials.hashed("a") + ",my-plain-secret-token"));
        assertTrue(e.getMessage().contains("entry 2"), e.getMessage());
        assertFalse(e.getMessage().contains("my-plain"), e.getMessage());
    }
}
