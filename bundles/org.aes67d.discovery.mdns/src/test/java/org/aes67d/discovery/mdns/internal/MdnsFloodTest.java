package org.aes67d.discovery.mdns.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A flood of distinct service responses and corrupted packets at a browsing node, in a namespace (see
 * {@link MdnsFloodProbe}); reduced to 20,000 + 5,000 packets here, the 100,000 run is in scripts/bench-discovery.sh.
 */
class MdnsFloodTest {
    @Test
    void aFloodLeavesTheResponderRunningAndTheHeapBounded() throws Exception {
        String out = MdnsNetnsTest.runInNamespace("flood", MdnsFloodProbe.class, 240, "-Dflood=20000",
                "-Dmutated=5000", "-Xmx256m");
        assertTrue(out.contains("DONE"), out);
        String line = out.lines().filter(l -> l.startsWith("FLOOD ")).findFirst().orElseThrow();
        long delta = Long.parseLong(line.replaceAll(".*delta=(-?\\d+)KiB.*", "$1"));
        // 20,000 distinct names held by jmDNS cost ~80 MiB unbounded (its cache and listener maps); the bound
        // keeps 4,096 names, a few MiB
        assertTrue(delta < 48 * 1024, "retained heap grew by " + delta + " KiB: " + line);
    }
}
