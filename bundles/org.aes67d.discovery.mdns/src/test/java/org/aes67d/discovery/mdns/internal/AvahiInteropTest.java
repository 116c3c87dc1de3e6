package org.aes67d.discovery.mdns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Against avahi, the responder the C++ daemon uses: two namespaces joined by a veth pair, our node in one
 * ({@link AvahiInteropProbe}), avahi-daemon in the other, run as the shared test bed's {@code avahi-ns.sh} runs it
 * (private dbus, no systemd). avahi-browse must see our session (with its subtype and TXT), node and sink records;
 * our browser must list a session published with avahi-publish. Skipped with a message without root, iproute2,
 * avahi (scripts/test.sh installs it) or the shared test bed.
 */
class AvahiInteropTest {
    private static final Path AVAHI_NS = Path.of("../../../shared/testbed/avahi-ns.sh").toAbsolutePath().normalize();

    private static String run(long timeoutSeconds, List<String> cmd) throws IOException, InterruptedException {
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

    private static String run(long timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        return run(timeoutSeconds, List.of(cmd));
    }

    /** {@code ip netns exec} remounts / and /sys in a mount namespace of its own, which fails in a plain chroot. */
    private static boolean rootIsAMountPoint() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .map(l -> l.split(" ")).anyMatch(f -> f.length > 4 && f[4].equals("/"));
    }

    @Test
    void avahiSeesOurRecordsAndWeSeeAvahis() throws Exception {
        for (String tool : List.of("avahi-daemon", "avahi-browse", "avahi-publish", "dbus-daemon")) {
            Assumptions.assumeTrue(new File("/usr/bin/" + tool).canExecute() || new File("/usr/sbin/" + tool)
                    .canExecute(), tool + " not installed (scripts/test.sh installs avahi-daemon avahi-utils)");
        }
        Assumptions.assumeTrue(Files.isExecutable(AVAHI_NS), "shared test bed not found at " + AVAHI_NS);
        Assumptions.assumeTrue(rootIsAMountPoint(), "/ is not a mount point (a chroot without a bind mount): the"
                + " shared test bed's avahi-ns.sh starts avahi with `ip netns exec`, which needs one");
        int r = ThreadLocalRandom.current().nextInt(1, 250);
        String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 16));
        String nsA = "i11-ava-" + tag;
        String nsB = "i11-avb-" + tag;
        String vA = "v11a" + tag;
        String vB = "v11b" + tag;
        String addrA = "10.11." + r + ".1";
        String addrB = "10.11." + r + ".2";
        Path rundir = Files.createTempDirectory("i11-avahi-");
        List<String> env = List.of("env", "RUNDIR=" + rundir);
        try {
            run(10, "ip", "netns", "add", nsA);
        } catch (IOException e) {
            Assumptions.abort("cannot create a network namespace (needs root and iproute2): "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        Process probe = null;
        List<Process> publishers = new ArrayList<>();
        try {
            run(10, "ip", "netns", "add", nsB);
            run(10, "ip", "link", "add", vA, "netns", nsA, "type", "veth", "peer", "name", vB, "netns", nsB);
            for (String[] side : new String[][] {{nsA, vA, addrA}, {nsB, vB, addrB}}) {
                run(10, "nsenter", "--net=/run/netns/" + side[0], "ip", "link", "set", "lo", "up");
                run(10, "nsenter", "--net=/run/netns/" + side[0], "ip", "addr", "add", side[2] + "/24", "dev", side[1]);
                run(10, "nsenter", "--net=/run/netns/" + side[0], "ip", "link", "set", side[1], "up", "multicast",
                        "on");
                run(10, "nsenter", "--net=/run/netns/" + side[0], "ip", "route", "add", "224.0.0.0/4", "dev", side[1]);
            }
            List<String> start = new ArrayList<>(env);
            start.addAll(List.of(AVAHI_NS.toString(), "start", nsB, vB));
            run(30, start);
            String bus = "DBUS_SYSTEM_BUS_ADDRESS=unix:path=" + rundir.resolve("avahi-" + nsB).resolve("bus");
            int port = 20_000 + ThreadLocalRandom.current().nextInt(20_000);

            // avahi's session, its SRV pointing at a host name avahi publishes with our node's address, so the
            // DESCRIBE reaches the probe's stub server
            publishers.add(new ProcessBuilder("nsenter", "--net=/run/netns/" + nsB, "env", bus, "avahi-publish", "-a",
                    "-R", "avstub-" + tag + ".local", addrA).redirectErrorStream(true).start());
            publishers.add(new ProcessBuilder("nsenter", "--net=/run/netns/" + nsB, "env", bus, "avahi-publish", "-s",
                    "-H", "avstub-" + tag + ".local", "Avahi peer tone", "_rtsp._tcp", Integer.toString(port),
                    "--sub", "_ravenna_session._sub._rtsp._tcp").redirectErrorStream(true).start());

            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            probe = new ProcessBuilder("nsenter", "--net=/run/netns/" + nsA, java, "-cp", cp,
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.log.javax.jmdns=error",
                    "-Dif=" + vA, "-Daddr=" + addrA, "-Drtsp.port=" + port, AvahiInteropProbe.class.getName())
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(probe.getInputStream(),
                    StandardCharsets.UTF_8));
            StringBuilder log = new StringBuilder();
            String seen = null;
            for (String line = out.readLine(); line != null && !line.equals("READY"); line = out.readLine()) {
                log.append(line).append('\n');
                if (line.startsWith("AVAHI-SEEN")) {
                    seen = line;
                }
            }
            System.out.println(log);
            assertTrue(seen != null, "our browser did not list avahi's session:\n" + log);
            assertTrue(seen.contains(" address=" + addrA) && seen.contains("sdp-equal=true"), seen);
            assertTrue(seen.contains("own-listed=false"), "own sessions are not listed on a real interface: " + seen);

            String sessions = browse(nsB, bus, "_ravenna_session._sub._rtsp._tcp");
            String rtsp = browse(nsB, bus, "_rtsp._tcp");
            String http = browse(nsB, bus, "_http._tcp");
            String sinks = browse(nsB, bus, "_aes67d-sink._tcp");
            String nodes = browse(nsB, bus, "_ravenna._sub._rtsp._tcp");
            System.out.println(sessions + rtsp + http + sinks + nodes);
            assertTrue(sessions.lines().anyMatch(l -> l.startsWith("=;" + vB + ";IPv4;NodeA\\032tone;_rtsp._tcp;local;")
                    && l.contains(";" + addrA + ";" + port + ";") && l.contains("\"path=/by-name/NodeA tone\"")),
                    "our session under the RAVENNA subtype, with its TXT:\n" + sessions);
            assertTrue(nodes.lines().anyMatch(l -> l.startsWith("=;" + vB + ";IPv4;NodeA;_rtsp._tcp;local;")),
                    "our node as _rtsp._tcp subtype _ravenna:\n" + nodes);
            assertTrue(http.lines().anyMatch(l -> l.startsWith("=;" + vB + ";IPv4;NodeA;_http._tcp;local;")
                    && l.contains(";8080;")), "our node as _http._tcp:\n" + http);
            assertTrue(http.lines().noneMatch(l -> l.contains("monitor")), "no sink among web sites:\n" + http);
            assertTrue(sinks.lines().anyMatch(l -> l.startsWith("=;" + vB + ";IPv4;NodeA\\032monitor;_aes67d-sink._tcp;")
                    && l.contains("\"id=0\"") && l.contains("\"path=/api/sink/status/0\"")), "our sink:\n" + sinks);
            assertTrue(rtsp.contains(";Avahi\\032peer\\032tone;"), "avahi lists its own session too:\n" + rtsp);

            probe.getOutputStream().write("stop\n".getBytes(StandardCharsets.UTF_8));
            probe.getOutputStream().flush();
            assertTrue(probe.waitFor(30, TimeUnit.SECONDS), "probe did not stop");
            assertEquals(0, probe.exitValue());
        } finally {
            if (probe != null && probe.isAlive()) {
                probe.destroyForcibly();
            }
            for (Process p : publishers) {
                p.destroy();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            List<String> stop = new ArrayList<>(env);
            stop.addAll(List.of(AVAHI_NS.toString(), "stop", nsB));
            try {
                run(30, stop);
            } catch (IOException e) {
                System.out.println("avahi stop: " + e.getMessage());
            }
            run(10, "ip", "netns", "del", nsA);
            try {
                run(10, "ip", "netns", "del", nsB);
            } catch (IOException e) {
                System.out.println("netns del: " + e.getMessage());
            }
        }
    }

    /**
     * avahi-browse, resolved, parsable ({@code \032} for a space), raw type names; polls until our NodeA records
     * show up (avahi caches them as they come).
     */
    private static String browse(String ns, String bus, String type) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        String out = "";
        while (System.nanoTime() < deadline) {
            out = run(30, "nsenter", "--net=/run/netns/" + ns, "env", bus, "avahi-browse", "-rptk", type);
            if (out.lines().anyMatch(l -> l.startsWith("=") && l.contains(";NodeA"))
                    || (type.equals("_rtsp._tcp") && out.contains(";Avahi\\032peer\\032tone;"))) {
                return out;
            }
            Thread.sleep(200); // polling step; the deadline decides
        }
        return out;
    }
}
