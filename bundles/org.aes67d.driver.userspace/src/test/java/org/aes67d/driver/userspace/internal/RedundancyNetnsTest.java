package org.aes67d.driver.userspace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ST 2022-7 over two real links: namespaces i13-src and i13-dst joined by two veth pairs (10.13.1.0/24 and
 * 10.13.2.0/24), our source (two legs) in one, our sink (two legs) in the other, each in a child JVM
 * ({@link RedundancyPeer}). nftables in the sink's namespace drops about 10 % of each leg at random, on disjoint
 * packets (leg A only even sequence numbers, leg B only odd ones) for 3 s; then the rules go, leg A's link goes
 * down for 5 s, and once both legs deliver again, everything on leg B is dropped for 5 s (a failed switch port).
 * The recording must be bit-exact, leg B's missing count must equal what its two drop rules counted, some_muted
 * must be seen during each outage and all_muted never. Needs root, iproute2 and nftables; skipped otherwise.
 */
class RedundancyNetnsTest {
    private static final String NS_SRC = "i13-src";
    private static final String NS_DST = "i13-dst";

    @TempDir
    Path media;

    @AfterEach
    void tearDown() {
        quietly("ip", "netns", "del", NS_SRC);
        quietly("ip", "netns", "del", NS_DST);
    }

    @Test
    void randomLossOnBothLegsAndALegDownLoseNothing() throws Exception {
        setUp();
        int[] ref = Harness.writePrbsWav(media.resolve("in.wav"), 48000, 2, 24, 48000 / 2 + 17, 13);
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String[] streams = {"239.13.1.1", "5004", "239.13.2.1", "5006"};
        Process sink = peer(java, cp, NS_DST, "sink", "v13a1,v13b1", streams, "0");
        List<String> sinkOut = new CopyOnWriteArrayList<>();
        Thread reader = drain(sink, sinkOut);
        Process source = null;
        try {
            await(() -> sinkOut.contains("READY"), 30, "sink ready", sinkOut);
            source = peer(java, cp, NS_SRC, "source", "v13a0,v13b0", streams, "120");
            List<String> sourceOut = new CopyOnWriteArrayList<>();
            drain(source, sourceOut);
            await(() -> sinkOut.stream().anyMatch(l -> l.startsWith("STATUS receiving=true some_muted=false")), 30,
                    "both legs received", sinkOut);
            Thread.sleep(3000); // 3 s of random loss on both legs before the outage (a scenario step, not a sync)
            // then leg B delivers everything while leg A is down (what B dropped now would be lost on both)
            // (an accept rule in front freezes the drop rules and their counters at once)
            run("nsenter", "--net=/run/netns/" + NS_DST, "nft", "insert", "rule", "ip", "i13", "pre", "udp", "dport",
                    "{ 5004, 5006 }", "accept");
            run("nsenter", "--net=/run/netns/" + NS_SRC, "ip", "link", "set", "v13a0", "down");
            int mark = sinkOut.size();
            await(() -> sinkOut.stream().skip(mark).anyMatch(l -> l.contains("some_muted=true all_muted=false")),
                    10, "some_muted while leg A is down", sinkOut);
            Thread.sleep(5000); // the outage's length, a scenario step
            run("nsenter", "--net=/run/netns/" + NS_SRC, "ip", "link", "set", "v13a0", "up");
            int back = sinkOut.size();
            await(() -> sinkOut.stream().skip(back).anyMatch(l -> l.contains("some_muted=false")), 20,
                    "both legs again after leg A's outage", sinkOut);
            // leg B fails as a switch port does: every packet dropped, counted by a rule ahead of the others
            run("nsenter", "--net=/run/netns/" + NS_DST, "nft", "add", "table", "ip", "i13out");
            run("nsenter", "--net=/run/netns/" + NS_DST, "nft", "add", "chain", "ip", "i13out", "pre",
                    "{ type filter hook prerouting priority -300; }");
            run("nsenter", "--net=/run/netns/" + NS_DST, "nft", "add", "rule", "ip", "i13out", "pre", "iifname",
                    "v13b1", "udp", "dport", "5006", "counter", "drop");
            int markB = sinkOut.size();
            await(() -> sinkOut.stream().skip(markB).anyMatch(l -> l.contains("some_muted=true all_muted=false")),
                    10, "some_muted while leg B is out", sinkOut);
            Thread.sleep(5000);
            // an accept in front ends the outage and freezes its counter at once; the table goes after reading it
            run("nsenter", "--net=/run/netns/" + NS_DST, "nft", "insert", "rule", "ip", "i13out", "pre", "accept");
            String outage = run("nsenter", "--net=/run/netns/" + NS_DST, "nft", "list", "table", "ip", "i13out");
            run("nsenter", "--net=/run/netns/" + NS_DST, "nft", "delete", "table", "ip", "i13out");
            Matcher outageCount = Pattern.compile("counter packets (\\d+)").matcher(outage);
            assertTrue(outageCount.find(), outage);
            long droppedB = Long.parseLong(outageCount.group(1));
            int backB = sinkOut.size();
            await(() -> sinkOut.stream().skip(backB).anyMatch(l -> l.contains("some_muted=false")), 20,
                    "both legs again after leg B's outage", sinkOut);
            try (OutputStream o = source.getOutputStream()) {
                o.write("quit\n".getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(source.waitFor(60, TimeUnit.SECONDS), "source finished: " + sourceOut);
            Thread.sleep(500); // the last packets' way through the playout delay
            String rules = run("nsenter", "--net=/run/netns/" + NS_DST, "nft", "list", "ruleset");
            try (OutputStream o = sink.getOutputStream()) {
                o.write("quit\n".getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(sink.waitFor(30, TimeUnit.SECONDS), "sink finished");
            reader.join(5000);
            System.out.println(String.join("\n", sourceOut));
            String fin = sinkOut.stream().filter(l -> l.startsWith("FINAL")).findFirst().orElseThrow(
                    () -> new AssertionError("no FINAL line: " + sinkOut));
            System.out.println(fin + "\n" + rules);
            long[] drops = dropCounters(rules);
            assertFalse(sinkOut.stream().anyMatch(l -> l.contains("all_muted=true") && l.contains("receiving=true")),
                    "all_muted while a leg delivered");
            assertTrue(droppedB > 5 * 900, "leg B was out for 5 s: " + droppedB + " packets dropped");
            assertEquals(drops[1] + droppedB, field(fin, "missing_b"),
                    "leg B's missing = what its rules dropped: " + fin);
            String sent = sourceOut.stream().filter(l -> l.startsWith("SENT")).findFirst().orElseThrow();
            assertEquals(field(sent, "secondary"), field(fin, "received_b") + drops[1] + droppedB,
                    "every packet sent on leg B was received or dropped by the rule: " + sent + " " + fin);
            assertTrue(field(fin, "missing_a") > drops[0], "leg A: its drops and the outage: " + fin);
            assertTrue(drops[0] > 200 && drops[1] > 200, "both rules dropped: " + rules);
            assertEquals(0, field(fin, "lost"), fin);
            assertEquals(0, field(fin, "concealed"), fin);
        } finally {
            sink.destroyForcibly();
            if (source != null) {
                source.destroyForcibly();
            }
        }
        int[] ch = new int[1];
        int[] rec = Harness.readWav(media.resolve("out.wav"), ch);
        Harness.Comparison c = Harness.compareLooped(ref, rec, 2, 0xFFFFFF00);
        assertTrue(c.bitExact(), c.toString());
        assertTrue(c.compared() >= 2L * 48000 * 6, "at least 6 s compared: " + c);
    }

    private void setUp() throws Exception {
        tearDown();
        try {
            run("ip", "netns", "add", NS_SRC);
            run("nft", "--version");
        } catch (IOException e) {
            Assumptions.abort("needs root, iproute2 and nftables: " + e.getMessage().lines().findFirst().orElse(""));
        }
        run("ip", "netns", "add", NS_DST);
        for (String leg : new String[] {"a", "b"}) {
            int net = leg.equals("a") ? 1 : 2;
            run("ip", "link", "add", "v13" + leg + "0", "netns", NS_SRC, "type", "veth", "peer", "name",
                    "v13" + leg + "1", "netns", NS_DST);
            run("nsenter", "--net=/run/netns/" + NS_SRC, "ip", "addr", "add", "10.13." + net + ".1/24", "dev", "v13" + leg + "0");
            run("nsenter", "--net=/run/netns/" + NS_DST, "ip", "addr", "add", "10.13." + net + ".2/24", "dev", "v13" + leg + "1");
            run("nsenter", "--net=/run/netns/" + NS_SRC, "ip", "link", "set", "v13" + leg + "0", "up");
            run("nsenter", "--net=/run/netns/" + NS_DST, "ip", "link", "set", "v13" + leg + "1", "up");
        }
        run("nsenter", "--net=/run/netns/" + NS_SRC, "ip", "link", "set", "lo", "up");
        run("nsenter", "--net=/run/netns/" + NS_DST, "ip", "link", "set", "lo", "up");
        // about 10 % random loss per leg, never the same packet on both: A only even, B only odd sequence numbers
        String rules = "table ip i13 {\n chain pre {\n  type filter hook prerouting priority 0; policy accept;\n"
                + "  iifname \"v13a1\" udp dport 5004 @th,95,1 0 numgen random mod 5 0 counter drop\n"
                + "  iifname \"v13b1\" udp dport 5006 @th,95,1 1 numgen random mod 5 0 counter drop\n }\n}\n";
        Process p = new ProcessBuilder("nsenter", "--net=/run/netns/" + NS_DST, "nft", "-f", "-")
                .redirectErrorStream(true).start();
        try (OutputStream o = p.getOutputStream()) {
            o.write(rules.getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0,
                new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private Process peer(String java, String cp, String ns, String role, String ifs, String[] streams,
            String seconds) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of("nsenter", "--net=/run/netns/" + ns, java, "-Xmx256m",
                "-cp", cp, RedundancyPeer.class.getName(), role, media.toString(), ifs));
        cmd.addAll(List.of(streams));
        cmd.add(seconds);
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static Thread drain(Process p, List<String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null;) {
                    lines.add(l);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void await(java.util.function.BooleanSupplier c, long seconds, String what, List<String> out)
            throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                List<String> tail = out.subList(Math.max(0, out.size() - 20), out.size());
                throw new AssertionError("timed out waiting for " + what + ":\n" + String.join("\n", tail));
            }
            Thread.sleep(20);
        }
    }

    /** The packet counters of the two drop rules (leg A, leg B). */
    private static long[] dropCounters(String ruleset) {
        Matcher m = Pattern.compile("counter packets (\\d+) bytes \\d+ drop").matcher(ruleset);
        long[] out = new long[2];
        for (int i = 0; i < 2; i++) {
            assertTrue(m.find(), ruleset);
            out[i] = Long.parseLong(m.group(1));
        }
        return out;
    }

    private static long field(String line, String key) {
        Matcher m = Pattern.compile(key + "=(-?\\d+)").matcher(line);
        assertTrue(m.find(), key + " in " + line);
        return Long.parseLong(m.group(1));
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
