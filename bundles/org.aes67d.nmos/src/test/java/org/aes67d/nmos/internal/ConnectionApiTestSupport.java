package org.aes67d.nmos.internal;

/** TAI timestamps of the APIs as nanoseconds. */
final class ConnectionApiTestSupport {
    private ConnectionApiTestSupport() {
    }

    static long tai(String version) {
        String[] p = version.split(":");
        return Long.parseLong(p[0]) * 1_000_000_000L + Long.parseLong(p[1]);
    }
}
