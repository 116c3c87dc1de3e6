package org.aes67d.discovery.mdns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Real jmDNS, in a network namespace this test creates (only lo, with a 224.0.0.0/4 route inside it): the root
 * namespace's lo has no multicast route and mDNS must never go out on the host's real interfaces. Needs root and
 * iproute2; skipped with a message otherwise. The work runs in a child JVM ({@link MdnsNetnsProbe}) started with
 * {@code nsenter --net}, because a JVM cannot move its own sockets into another namespace ({@code ip netns exec}
 * would also remount /sys, which fails in a chroot whose root is not a mount point).
 */
class MdnsNetnsTest {
    /** Runs {@code main} in a fresh namespace (lo up, 224/4 on lo); aborts the test without root/iproute2. */
    static String runInNamespace(String tag, Class<?> main, int timeoutSeconds, String... props) throws Exception {
        String ns = "i11-" + tag + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 16));
        try {
            run(10, "ip", "netns", "add", ns);
        } catch (IOException e) {
            Assumptions.abort("cannot create a network namespace (needs root and iproute2), mDNS test skipped: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        try {
            run(10, "nsenter", "--net=/run/netns/" + ns, "ip", "link", "set", "lo", "up");
            run(10, "nsenter", "--net=/run/netns/" + ns, "ip", "route", "add", "224.0.0.0/4", "dev", "lo");
            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + ns, java, "-cp", cp,
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.log.javax.jmdns=error"));
            cmd.addAll(List.of(props));
            cmd.add(main.getName());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            System.out.println(out);
            assertTrue(done, "probe did not finish:\n" + out);
            assertEquals(0, p.exitValue(), out);
            return out;
        } finally {
            run(10, "ip", "netns", "del", ns);
        }
    }

    private static String run(long timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", cmd));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("exit " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + out);
        }
        return out;
    }

    @Test
    void twoNodesDiscoverEachOtherInANamespace() throws Exception {
        String out = runInNamespace("mdns", MdnsNetnsProbe.class, 300, "-Dsources=64");
        assertTrue(out.lines().anyMatch(l -> l.matches("FOUND id=rtsp:[0-9a-f]{1,4} domain=local address=127\\.0\\.0\\.1")), out);
        assertTrue(out.contains("FOUND-SELF"), out);
        // jmDNS groups _http._tcp answers by subtype only sometimes (sub= may be empty): names, ports and TXT
        // are checked there; the session's _ravenna_session subtype is reliably reported
        assertTrue(out.lines().anyMatch(l -> l.startsWith("CONTROLLER _rtsp._tcp.local. sub=ravenna_session "
                + "name=NodeA mic port=")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("CONTROLLER _http._tcp.local. sub=")
                && l.contains(" name=NodeA port=8080 txt=path=/;")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("CONTROLLER _aes67d-sink._tcp.local. sub=")
                && l.contains(" name=NodeA monitor port=8080 ") && l.contains("origin=- 42 127.0.0.1;")), out);
        assertTrue(out.lines().noneMatch(l -> l.startsWith("CONTROLLER _http._tcp.local.")
                && l.contains("monitor")), "a sink is not a web site:\n" + out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("CONTROLLER _rtsp._tcp.local. sub=")
                && l.contains(" name=NodeA port=")), "node as _rtsp._tcp too:\n" + out);
        assertTrue(out.contains("SCALE update-visible="), out);
        assertTrue(out.contains("SCALE all-gone="), out);
        assertTrue(out.contains("REMOVED"), out);
        assertTrue(out.contains("MALFORMED counted="), out);
        assertTrue(out.contains("DONE"), out);
    }
}
