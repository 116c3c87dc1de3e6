package org.aes67d.driver.userspace.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The hypervisor's steal time (/proc/stat, all CPUs): time our vCPUs were runnable but the host ran something
 * else. A benchmark prints it beside its figures, so a run spoilt by a noisy neighbour shows as such.
 */
final class HostSteal {
    private HostSteal() {
    }

    /** Milliseconds stolen since boot, or -1 where /proc/stat has no steal column. */
    static long millis() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            return f.length > 8 ? Long.parseLong(f[8]) * 10 : -1; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
