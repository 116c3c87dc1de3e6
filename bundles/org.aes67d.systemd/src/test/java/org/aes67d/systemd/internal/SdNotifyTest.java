package org.aes67d.systemd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SdNotifyTest {
    @Test
    void socketAddressesForPathsAndAbstractNames() {
        byte[] path = SdNotify.sockaddr("/run/systemd/notify");
        assertEquals(2 + "/run/systemd/notify".length() + 1, path.length); // terminating NUL
        assertEquals('/', path[2]);
        assertEquals(0, path[path.length - 1]);
        byte[] abstractName = SdNotify.sockaddr("@sd");
        assertEquals(2 + 3, abstractName.length); // leading NUL, none at the end
        assertEquals(0, abstractName[2]);
        assertEquals('d', abstractName[4]);
        assertThrows(IllegalArgumentException.class, () -> SdNotify.sockaddr("relative"));
        assertThrows(IllegalArgumentException.class, () -> SdNotify.sockaddr("/" + "x".repeat(120)));
    }

    @Test
    void watchdogOnlyForThisProcess() {
        assertEquals(10_000_000, ServiceNotifier.watchdogMicros("10000000", null, 42));
        assertEquals(10_000_000, ServiceNotifier.watchdogMicros("10000000", "42", 42));
        assertEquals(0, ServiceNotifier.watchdogMicros("10000000", "43", 42));
        assertEquals(0, ServiceNotifier.watchdogMicros(null, null, 42));
        assertEquals(0, ServiceNotifier.watchdogMicros("x", null, 42));
    }
}
