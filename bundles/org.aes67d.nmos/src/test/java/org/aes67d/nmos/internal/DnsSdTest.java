package org.aes67d.nmos.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** What a DNS-SD announcement of a registry makes of it, and the order the finder offers registries in. */
class DnsSdTest {
    @Test
    void txtRecordsDecideWhetherAndHowARegistryIsUsed() {
        RegistryFinder.Found f = DnsSd.registry("a", "10.15.0.9", 8235,
                Map.of("pri", "10", "api_ver", "v1.2,v1.3", "api_proto", "http", "api_auth", "false"));
        assertEquals(URI.create("http://10.15.0.9:8235"), f.uri());
        assertEquals(10, f.priority());
        assertNull(DnsSd.registry("b", "10.15.0.9", 8235, Map.of("api_ver", "v1.1,v1.2")), "no v1.3");
        assertNull(DnsSd.registry("c", "10.15.0.9", 8235, Map.of("api_ver", "v1.3", "api_proto", "https")));
        assertNull(DnsSd.registry("d", "10.15.0.9", 8235, Map.of("api_ver", "v1.3", "api_auth", "true")));
        assertNull(DnsSd.registry("e", null, 8235, Map.of("api_ver", "v1.3")));
        assertEquals(Integer.MAX_VALUE, DnsSd.registry("f", "10.15.0.9", 1, Map.of("api_ver", "v1.3", "pri", "x"))
                .priority());
    }

    @Test
    void finderPrefersLowPriThenFallsBackToTheConfiguredOne() {
        URI configured = URI.create("http://127.0.0.1:3210");
        RegistryFinder finder = new RegistryFinder(configured);
        assertEquals(configured, finder.current());
        finder.found(new RegistryFinder.Found("b", URI.create("http://10.15.0.2:80"), 20));
        finder.found(new RegistryFinder.Found("a", URI.create("http://10.15.0.1:80"), 10));
        assertEquals(List.of(URI.create("http://10.15.0.1:80"), URI.create("http://10.15.0.2:80"), configured),
                finder.candidates());
        finder.failed(URI.create("http://10.15.0.1:80"));
        assertEquals(URI.create("http://10.15.0.2:80"), finder.current());
        finder.failed(URI.create("http://10.15.0.2:80"));
        assertEquals(configured, finder.current());
        finder.failed(configured);
        assertEquals(URI.create("http://10.15.0.1:80"), finder.current(), "all failed: the oldest failure again");
        finder.lost("a");
        finder.lost("b");
        assertEquals(List.of(configured), finder.candidates());
    }
}
