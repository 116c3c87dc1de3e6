package org.aes67d.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.aes67d.api.config.DaemonConfigService;
import org.aes67d.api.health.Liveness;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * What operators use beside REST, in the runtime's resolved bundle set: the {@code aes67:} Gogo commands (they list
 * and change what REST lists and changes, refuse bad input with the REST API's exact texts and change nothing
 * then, and the local shell port answers them) and the Prometheus metrics at {@code /metrics}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OperatorIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Inject
    private CommandProcessor processor;
    @Inject
    private DaemonConfigService daemonConfig;
    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws IOException {
        return new RuntimeIT().config(); // the runtime's bundle set, as RuntimeIT boots it
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Http http() throws Exception {
        Http http = new Http(Integer.getInteger("aes67d.itest.port"));
        http.getUntil("/api/sources", r -> r.statusCode() == 200, TIMEOUT);
        return http;
    }

    /** Runs one command line; returns its formatted result, or throws what the command threw. */
    private String run(String line) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), print, print);
        try {
            Object result = session.execute(line);
            return result == null ? "" : session.format(result, 0).toString();
        } finally {
            session.close();
        }
    }

    private String failure(String line) throws Exception {
        try {
            run(line);
        } catch (Exception e) {
            return e.getMessage();
        }
        fail("'" + line + "' did not fail");
        return null;
    }

    @Test
    public void commandsListAndChangeWhatRestDoes() throws Exception {
        Http http = http();
        assertEquals("source 7 added", run("aes67:add source 7 '" + StreamsIT.source("shell", "L24", 48) + "'"));
        String sources = run("aes67:sources");
        assertTrue(sources, sources.lines().anyMatch(l -> l.matches("7\\s+shell\\s+true\\s+L24\\s+48\\s+239\\.1\\.0\\.8.*")));
        assertTrue(http.get("/api/sources").body().contains("\"shell\""));
        String sdp = run("aes67:sdp 7");
        assertEquals(http.get("/api/source/sdp/7").body(), sdp);

        String sink = StreamsIT.sinkFromUrl("shellsink", "http://127.0.0.1:" + Integer.getInteger("aes67d.itest.port")
                + "/api/source/sdp/7");
        assertEquals("sink 3 added", run("aes67:add sink 3 '" + sink + "'"));
        String sinks = run("aes67:sinks");
        assertTrue(sinks, sinks.lines().anyMatch(l -> l.startsWith("3 ") && l.contains("shellsink")));

        String status = run("aes67:status");
        assertTrue(status, status.contains("1 sources, 1 sinks"));
        String ptp = run("aes67:ptp");
        assertTrue(ptp, ptp.matches("(?s)status\\s+(unlocked|locking|locked)\n.*gmid.*"));

        assertEquals("sink 3 removed", run("aes67:remove sink 3"));
        assertEquals("source 7 removed", run("aes67:remove source 7"));
        assertTrue(http.get("/api/streams").body().replace(" ", "").contains("\"sources\":[]"));
    }

    @Test
    public void badInputGetsTheRestTextAndChangesNothing() throws Exception {
        Http http = http();
        String good = StreamsIT.source("bad-input", "L24", 48);
        String before = http.get("/api/streams").body();
        String[][] cases = {
                // command, REST method, REST path, REST body
                { "aes67:add source 64 '" + good + "'", "PUT", "/api/source/64", good },
                { "aes67:add source 2 '{'", "PUT", "/api/source/2", "{" },
                { "aes67:add source 2 '[]'", "PUT", "/api/source/2", "[]" },
                { "aes67:add source 2 '" + good.replace("\"ttl\": 15", "\"ttl\": 300") + "'", "PUT", "/api/source/2",
                        good.replace("\"ttl\": 15", "\"ttl\": 300") },
                { "aes67:add source 2 '" + good.replace("L24", "L20") + "'", "PUT", "/api/source/2",
                        good.replace("L24", "L20") },
                { "aes67:add sink 2 '" + good + "'", "PUT", "/api/sink/2", good },
                { "aes67:remove source 9", "DELETE", "/api/source/9", null },
                { "aes67:remove sink 9", "DELETE", "/api/sink/9", null },
                { "aes67:sdp 9", "GET", "/api/source/sdp/9", null },
        };
        for (String[] c : cases) {
            HttpResponse<String> rest = http.send(c[1], c[2], c[3], null);
            assertEquals(c[1] + " " + c[2] + ": " + rest.body(), 400, rest.statusCode());
            assertEquals(c[0], rest.body(), failure(c[0]));
        }
        assertEquals("unknown kind 'flow' : must be source or sink", failure("aes67:remove flow 1"));
        assertEquals(before, http.get("/api/streams").body());
    }

    @Test
    public void theLocalShellPortAnswersCommands() throws Exception {
        http();
        int port = freePort();
        daemonConfig.update(Map.of("shell_port", port));
        try (Socket s = connectWithin(port, TIMEOUT)) {
            s.setSoTimeout((int) TIMEOUT.toMillis());
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            readUntilPrompt(in);
            out.write("aes67:ptp\n".getBytes(StandardCharsets.UTF_8));
            String answer = readUntilPrompt(in);
            assertTrue(answer, answer.contains("gmid"));
            out.write("aes67:remove source 9\n".getBytes(StandardCharsets.UTF_8));
            assertTrue(readUntilPrompt(in).contains("error: failed to remove source 9 : (daemon) "));
            out.write("exit\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("closed after exit", -1, in.read());
        } finally {
            daemonConfig.update(Map.of("shell_port", 0));
        }
        assertTrue(s(port) + " still listening", closedWithin(port, TIMEOUT));
    }

    @Test
    public void metricsAreValidPrometheusTextAndFollowTheStreams() throws Exception {
        Http http = http();
        // The optional references of the metrics component bind as the services come up.
        HttpResponse<String> first = http.getUntil("/metrics", r -> r.body().contains("\naes67d_sources "), TIMEOUT);
        assertEquals(200, first.statusCode());
        assertTrue(first.headers().firstValue("Content-Type").orElse(""),
                first.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        checkWithPromtool(first.body());
        for (String family : List.of("aes67d_ptp_state", "aes67d_ptp_locked", "aes67d_ptp_grandmaster_info",
                "aes67d_ptp_offset_seconds", "aes67d_ptp_path_delay_seconds", "aes67d_sources", "aes67d_sinks",
                "aes67d_http_requests_total", "jvm_memory_used_bytes", "jvm_gc_collection_seconds")) {
            assertTrue(family + " missing in\n" + first.body(), first.body().contains("\n# TYPE " + family + " ")
                    || first.body().contains("\n" + family));
        }
        double puts = sampleOrZero(first.body(), "aes67d_http_requests_total{code=\"200\",method=\"PUT\"}");

        assertEquals(200, http.send("PUT", "/api/source/11", StreamsIT.source("metered", "L16", 48), null)
                .statusCode());
        String withSource = http.get("/metrics").body();
        assertEquals(1.0, sample(withSource, "aes67d_source_enabled{codec=\"L16\",id=\"11\",name=\"metered\"}"),
                0);
        assertEquals(puts + 1, sample(withSource, "aes67d_http_requests_total{code=\"200\",method=\"PUT\"}"), 0);
        checkWithPromtool(withSource);

        assertEquals(200, http.send("DELETE", "/api/source/11", null, null).statusCode());
        String without = http.get("/metrics").body();
        assertTrue(without, !without.contains("name=\"metered\""));
    }

    /** Peak -12 and RMS -15 dBFS (within 1 dB) on channel 1 of source and sink 13. */
    private static boolean levelsOfTheTone(String m) {
        for (String kind : List.of("source", "sink")) {
            String name = kind.equals("source") ? "metertone" : "metersink";
            String labels = "{channel=\"1\",id=\"13\",name=\"" + name + "\"}";
            double peak = sampleOrZero(m, "aes67d_" + kind + "_peak_dbfs" + labels);
            double rms = sampleOrZero(m, "aes67d_" + kind + "_rms_dbfs" + labels);
            if (Math.abs(peak + 12) > 1 || Math.abs(rms + 15) > 1) {
                return false;
            }
        }
        return true;
    }

    @Test
    public void metricsCountPacketsLevelsAndArrivalsPerStream() throws Exception {
        Http http = http();
        int port = Integer.getInteger("aes67d.itest.port");
        Duration slow = Duration.ofSeconds(60); // sources send once PTP has locked
        String tone = StreamsIT.source("metertone", "L24", 48).replace("\"Audio Device\"", "\"tone:1000@-12\"");
        assertEquals(200, http.send("PUT", "/api/source/13", tone, null).statusCode());
        assertEquals(200, http.send("PUT", "/api/sink/13",
                StreamsIT.sinkFromUrl("metersink", "http://127.0.0.1:" + port + "/api/source/sdp/13"), null)
                .statusCode());
        try {
            String sinkPackets = "aes67d_sink_packets_total{id=\"13\",name=\"metersink\"}";
            HttpResponse<String> r = http.getUntil("/metrics", x -> sampleOrZero(x.body(), sinkPackets) > 500, slow);
            String m = r.body();
            assertTrue(m, sampleOrZero(m, sinkPackets) > 500);
            assertTrue(m, sample(m, "aes67d_source_packets_total{id=\"13\",name=\"metertone\"}") > 500);
            assertTrue(m, sample(m, "aes67d_source_bytes_total{id=\"13\",name=\"metertone\"}") > 500 * 300);
            // a -12 dBFS sine: peak -12, RMS -15 (both channels); the sink plays what the source sends. A dropout of a
            // loaded host lowers a meter's window for a moment (-16 dB was seen): wait until the window holds only
            // the tone; a wrong level never gets there
            m = http.getUntil("/metrics", x -> levelsOfTheTone(x.body()), slow).body();
            for (String kind : List.of("source", "sink")) {
                String name = kind.equals("source") ? "metertone" : "metersink";
                double peak = sample(m, "aes67d_" + kind + "_peak_dbfs{channel=\"1\",id=\"13\",name=\"" + name + "\"}");
                double rms = sample(m, "aes67d_" + kind + "_rms_dbfs{channel=\"1\",id=\"13\",name=\"" + name + "\"}");
                assertEquals(kind + " peak", -12, peak, 1);
                assertEquals(kind + " rms", -15, rms, 1);
            }
            double count = sample(m, "aes67d_sink_arrival_margin_seconds_count{id=\"13\",name=\"metersink\"}");
            assertEquals(m, count, sample(m,
                    "aes67d_sink_arrival_margin_seconds_bucket{id=\"13\",name=\"metersink\",le=\"+Inf\"}"), 0);
            assertTrue(m, m.contains("aes67d_sink_verifier_events_total{event=\"lost\",id=\"13\",name=\"metersink\"}"));
            assertTrue(m, m.contains("\naes67d_sink_glitches_total{id=\"13\",name=\"metersink\"}"));
            checkWithPromtool(m);

            // the console's endpoints of the same meters
            String levels = http.get("/api/levels").body();
            assertTrue(levels, levels.matches("(?s).*\\{\"id\":13,\"peak_dbfs\":\\[-1[12]\\.\\d,-1[12]\\.\\d\\].*"));
            assertTrue("a second of margins sampled", http.getUntil("/api/sinks/history",
                    x -> x.body().matches("(?s).*\"13\":\\[\\[\\d+,-?\\d.*"), slow).body().contains("\"13\""));
            assertEquals(400, http.get("/api/sinks/history?since=yesterday").statusCode());
        } finally {
            http.send("DELETE", "/api/sink/13", null, null);
            http.send("DELETE", "/api/source/13", null, null);
        }
        String after = http.get("/metrics").body();
        assertTrue(after, !after.contains("metertone") && !after.contains("metersink"));
    }

    @Test
    public void healthChecksFollowPtpSinksAndTheStatusFolder() throws Exception {
        Http http = http();
        Duration slow = Duration.ofSeconds(60); // PTP lock and unlock take seconds by design
        String health = "/system/health.json?tags=aes67d";
        assertTrue("PTP never locked: " + http.get(health).body(),
                check(http.getUntil(health, r -> check(r, "PTP locked", "OK"), slow), "PTP locked", "OK"));

        assertTrue(http.get(health).body(), check(http.getUntil(health,
                r -> check(r, "Engine and PTP threads alive", "OK"), slow), "Engine and PTP threads alive", "OK"));

        int port = Integer.getInteger("aes67d.itest.port");
        assertEquals(200, http.send("PUT", "/api/source/12", StreamsIT.source("checked", "L24", 48), null)
                .statusCode());
        assertEquals(200, http.send("PUT", "/api/sink/12",
                StreamsIT.sinkFromUrl("checked", "http://127.0.0.1:" + port + "/api/source/sdp/12"), null)
                .statusCode());
        assertTrue(http.get(health).body(), check(http.getUntil(health,
                r -> r.body().contains("1 of 1 sinks receive"), slow), "Sinks receiving", "OK"));
        assertEquals(200, http.send("PUT", "/api/source/12",
                StreamsIT.source("checked", "L24", 48).replace("\"enabled\": true", "\"enabled\": false"), null)
                .statusCode());
        assertTrue(http.get(health).body(),
                check(http.getUntil(health, r -> check(r, "Sinks receiving", "WARN"), slow), "Sinks receiving", "WARN"));
        assertEquals(200, http.send("DELETE", "/api/sink/12", null, null).statusCode());
        assertEquals(200, http.send("DELETE", "/api/source/12", null, null).statusCode());

        // /proc takes no new file, even from root (permission bits would not stop root).
        Object statusFile = daemonConfig.snapshot().get("status_file");
        daemonConfig.update(Map.of("status_file", "/proc/aes67d-itest/status.json"));
        try {
            // Felix Health Checks keep a result for 2 s by default.
            HttpResponse<String> r = http.getUntil(health, x -> x.statusCode() == 503, slow);
            assertEquals(r.body(), 503, r.statusCode());
            assertTrue(r.body(), check(r, "Status file writable", "CRITICAL"));
        } finally {
            daemonConfig.update(Map.of("status_file", statusFile));
        }
        assertTrue(check(http.getUntil(health, x -> check(x, "Status file writable", "OK"), slow),
                "Status file writable", "OK"));

        daemonConfig.update(Map.of("ptp_mode", "slave")); // alone on lo: nobody to follow
        try {
            assertTrue(http.get(health).body(), check(http.getUntil(health,
                    r -> check(r, "PTP locked", "CRITICAL"), slow), "PTP locked", "CRITICAL"));
        } finally {
            daemonConfig.update(Map.of("ptp_mode", "auto"));
        }
        assertTrue(http.get(health).body(),
                check(http.getUntil(health, r -> check(r, "PTP locked", "OK"), slow), "PTP locked", "OK"));
    }

    /**
     * A watched thread that stops going round turns the check critical once 3 s have passed without progress, and
     * it recovers when that thread's service goes. The check must keep its history between executions for this
     * (the HC executor gets and ungets the check's service around each one).
     */
    @Test
    public void aThreadThatMakesNoProgressTurnsTheThreadsCheckCritical() throws Exception {
        Http http = http();
        Duration slow = Duration.ofSeconds(60);
        String health = "/system/health.json?tags=engine";
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Liveness.NAME, "itest-frozen");
        ServiceRegistration<Liveness> reg = context.registerService(Liveness.class, () -> new long[] {42}, props);
        try {
            HttpResponse<String> r = http.getUntil(health,
                    x -> check(x, "Engine and PTP threads alive", "CRITICAL"), slow);
            assertTrue(r.body(), check(r, "Engine and PTP threads alive", "CRITICAL"));
            assertTrue(r.body(), r.body().contains("itest-frozen thread 0 made no progress"));
        } finally {
            reg.unregister();
        }
        HttpResponse<String> r = http.getUntil(health, x -> check(x, "Engine and PTP threads alive", "OK"), slow);
        assertTrue(r.body(), check(r, "Engine and PTP threads alive", "OK"));
        assertTrue(r.body(), !r.body().contains("itest-frozen"));
    }

    /** Whether the Felix Health Checks JSON has the named check in that status. */
    private static boolean check(HttpResponse<String> r, String name, String status) {
        String compact = r.body().replace(" ", "");
        return compact.contains("{\"name\":\"" + name.replace(" ", "") + "\",\"status\":\"" + status + "\"");
    }

    /** The value of the sample line that starts with {@code series} (name and labels exactly as written). */
    private static double sample(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError(series + " not in\n" + metrics));
    }

    private static double sampleOrZero(String metrics, String series) {
        return metrics.contains("\n" + series + " ") ? sample(metrics, series) : 0;
    }

    /** promtool (Debian package prometheus, installed by scripts/test.sh) is the reference linter. */
    private static void checkWithPromtool(String metrics) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        } catch (IOException e) {
            System.out.println("[skip] promtool not installed (Debian package prometheus): exposition checked by "
                    + "the assertions only");
            return;
        }
        try (OutputStream in = p.getOutputStream()) {
            in.write(metrics.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("promtool: " + out, 0, p.waitFor());
    }

    private static String s(int port) {
        return "127.0.0.1:" + port;
    }

    private static Socket connectWithin(int port, Duration timeout) throws Exception {
        Socket[] socket = new Socket[1];
        boolean connected = Poll.until(() -> {
            try {
                socket[0] = new Socket(InetAddress.getLoopbackAddress(), port);
                return true;
            } catch (IOException e) {
                return false;
            }
        }, timeout);
        assertTrue("shell not listening on " + s(port), connected);
        return socket[0];
    }

    private static boolean closedWithin(int port, Duration timeout) throws Exception {
        return Poll.until(() -> {
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }, timeout);
    }

    private static String readUntilPrompt(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        String prompt = "aes67d> ";
        while (!got.toString(StandardCharsets.UTF_8).endsWith(prompt)) {
            int b = in.read();
            if (b == -1) {
                throw new AssertionError("connection closed before the prompt: " + got);
            }
            got.write(b);
        }
        return got.toString(StandardCharsets.UTF_8);
    }
}
