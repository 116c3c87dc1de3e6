package org.aes67d.ptp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.aes67d.ptp.internal.message.Timestamps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * PTP over two networks (ST 2022-7): namespaces p13-gm and p13-dut joined by two veth pairs (10.14.1.0/24 and
 * 10.14.2.0/24), a grandmaster on each network (one clock), our PTP component in the other namespace with
 * {@code interface_name: "p13a1,p13b1"}. It locks to network A's grandmaster; A's link goes down; it must follow
 * B's grandmaster and lock again, with each network's PTP kept apart (the node on B never takes A's grandmaster
 * and the reverse). Run with kernel and with user-space timestamps (the two socket paths that keep the networks
 * apart). Needs root and iproute2; skipped otherwise.
 */
class PtpFailoverNetnsTest {
    private static final String NS_GM = "p13-gm";
    private static final String NS_DUT = "p13-dut";
    private static final int DOMAIN = 13;
    private static final String GM_A = Timestamps.identityText(PtpFailoverPeer.GM_A);
    private static final String GM_B = Timestamps.identityText(PtpFailoverPeer.GM_B);

    private final List<Process> peers = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        for (Process p : peers) {
            p.destroyForcibly();
        }
        quietly("ip", "netns", "del", NS_GM);
        quietly("ip", "netns", "del", NS_DUT);
    }

    @Test
    void whenTheFirstNetworksGrandmasterGoesAwayPtpFollowsTheSecondsKernelTimestamps() throws Exception {
        failover("kernel");
    }

    @Test
    void whenTheFirstNetworksGrandmasterGoesAwayPtpFollowsTheSecondsUserTimestamps() throws Exception {
        failover("user");
    }

    private void failover(String timestamping) throws Exception {
        setUp();
        List<String> gmOut = new CopyOnWriteArrayList<>();
        start(NS_GM, gmOut, "gm", "p13a0", "p13b0", "" + DOMAIN);
        await(gmOut, l -> l.equals("READY"), 30, "grandmasters ready");
        List<String> dut = new CopyOnWriteArrayList<>();
        start(NS_DUT, dut, "dut", "p13a1,p13b1", "" + DOMAIN, timestamping);
        String locked = await(dut, l -> l.contains("state=locked"), 60, "locked on network A");
        assertTrue(locked.contains("gm=" + GM_A) && locked.contains("iface=p13a1"), locked);

        run("nsenter", "--net=/run/netns/" + NS_GM, "ip", "link", "set", "p13a0", "down"); // network A fails
        long down = System.nanoTime();
        String after = await(dut, l -> l.contains("iface=p13b1") && l.contains("state=locked"), 60,
                "locked again on network B");
        double seconds = (System.nanoTime() - down) / 1e9;
        assertTrue(after.contains("gm=" + GM_B), after);
        assertTrue(after.contains("failovers=1"), after);
        // on network B only B's grandmaster was ever followed: A's PTP did not leak through the other sockets
        boolean leaked = dut.stream().anyMatch(l -> l.contains("iface=p13b1") && l.contains("gm=" + GM_A));
        assertEquals(false, leaked, "network A's grandmaster followed on network B");
        int mark = dut.size();
        // A comes back: PTP stays on B (no switching while B works)
        run("nsenter", "--net=/run/netns/" + NS_GM, "ip", "link", "set", "p13a0", "up");
        // 50 status lines (5 s: more than two announce intervals, in which A's grandmaster is heard again)
        await(dut, l -> dut.size() >= mark + 50, 60, "50 status lines after A came back");
        List<String> since = dut.subList(mark, mark + 50);
        assertTrue(since.stream().allMatch(l -> !l.startsWith("STATUS") || l.contains("iface=p13b1")),
                String.join("\n", since.subList(Math.max(0, since.size() - 5), since.size())));
        System.out.printf("[figure] PTP failover (%s timestamps): locked on A; A down -> locked on B %.1f s later: %s%n",
                timestamping, seconds, after);
    }

    private void setUp() throws Exception {
        tearDown();
        try {
            run("ip", "netns", "add", NS_GM);
        } catch (IOException e) {
            Assumptions.abort("needs root and iproute2: " + e.getMessage().lines().findFirst().orElse(""));
        }
        run("ip", "netns", "add", NS_DUT);
        for (String leg : new String[] {"a", "b"}) {
            int net = leg.equals("a") ? 1 : 2;
            run("ip", "link", "add", "p13" + leg + "0", "netns", NS_GM, "type", "veth", "peer", "name",
                    "p13" + leg + "1", "netns", NS_DUT);
            run("nsenter", "--net=/run/netns/" + NS_GM, "ip", "addr", "add", "10.14." + net + ".1/24", "dev",
                    "p13" + leg + "0");
            run("nsenter", "--net=/run/netns/" + NS_DUT, "ip", "addr", "add", "10.14." + net + ".2/24", "dev",
                    "p13" + leg + "1");
            run("nsenter", "--net=/run/netns/" + NS_GM, "ip", "link", "set", "p13" + leg + "0", "up");
            run("nsenter", "--net=/run/netns/" + NS_DUT, "ip", "link", "set", "p13" + leg + "1", "up");
        }
        run("nsenter", "--net=/run/netns/" + NS_GM, "ip", "link", "set", "lo", "up");
        run("nsenter", "--net=/run/netns/" + NS_DUT, "ip", "link", "set", "lo", "up");
    }

    private void start(String ns, List<String> out, String... args) throws IOException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new java.util.ArrayList<>(List.of("nsenter", "--net=/run/netns/" + ns, java, "-Xmx64m",
                "-cp", cp, PtpFailoverPeer.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        peers.add(p);
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null;) {
                    out.add(l);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
    }

    /** The first line from now on that matches, within {@code seconds}. */
    private static String await(List<String> out, Predicate<String> match, long seconds, String what)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int from = out.size();
        while (System.nanoTime() < end) {
            for (int i = from; i < out.size(); i++) {
                if (match.test(out.get(i))) {
                    return out.get(i);
                }
            }
            Thread.sleep(20); // poll step
        }
        List<String> tail = out.subList(Math.max(0, out.size() - 20), out.size());
        throw new AssertionError("timed out waiting for " + what + ":\n" + String.join("\n", tail));
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", cmd));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("exit " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + out);
        }
        return out;
    }

    private static void quietly(String... cmd) {
        try {
            new ProcessBuilder(cmd).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // nothing to clean up
        }
    }
}
