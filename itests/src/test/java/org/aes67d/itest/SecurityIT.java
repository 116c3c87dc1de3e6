package org.aes67d.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.junit.Test;

/**
 * The HTTP policy of a real daemon process (bundle org.aes67d.security): cross-site refusal, CORS only for
 * allowed origins, request limits, framing errors, HEAD, and opt-in authentication; over real sockets.
 */
public class SecurityIT {
    private static final String EVIL = "http://evil.example:8000";
    private static final String SOURCE = StreamsIT.source("src 0", "L24", 48);
    /** Generous: 8 builds share this machine's 2 cores while the tests run. */
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final java.util.function.Predicate<java.net.http.HttpResponse<String>> OK = r -> r.statusCode() == 200;

    /** What a refused request must leave untouched. */
    private static String state(DaemonProcess d) throws Exception {
        // mdns_enabled turns true by itself once the mDNS bundle is up: not state a request could change
        return d.http.get("/api/config").body().replaceAll("\"mdns_enabled\"\\s*:\\s*\\w+,?", "")
                + d.http.get("/api/ptp/config").body() + d.http.get("/api/streams").body();
    }

    @Test
    public void crossSiteChangesAreRefusedAndChangeNothing() throws Exception {
        try (DaemonProcess d = DaemonProcess.inNewFolder().start(STARTUP, OK)) {
            int port = d.port;
            String before = state(d);
            String[][] attempts = {
                {"POST", "/api/config", "{\"ptp_domain\": 5}"},
                {"PUT", "/api/source/0", SOURCE},
                {"POST", "/api/ptp/config", "{\"domain\": 7}"},
                {"DELETE", "/api/source/0", null},
                {"PATCH", "/api/config", "{\"ptp_domain\": 5}"},
            };
            for (String[] a : attempts) {
                for (String[] from : new String[][] {{"Origin: " + EVIL}, {"Referer: " + EVIL + "/page.html"},
                        {"Origin: null"}, {"Origin: http://127.0.0.1:" + (port == 65535 ? 1 : port + 1)},
                        {"Origin: http://127.0.0.1:" + port, "Host: evil.example:" + port}}) {
                    RawHttp.Answer r = RawHttp.send(port, a[0], a[1], a[2], from);
                    String what = a[0] + " " + a[1] + " " + String.join(" ", from);
                    assertEquals(what + ": " + r.body(), 403, r.status());
                    assertTrue(what, r.header("content-type").startsWith("text/plain"));
                    assertTrue(what + ": " + r.body(), r.body().startsWith("cross-site request refused : (daemon) "));
                    assertNull(what, r.header("access-control-allow-origin"));
                }
            }
            assertEquals("nothing changed", before, state(d));
            // SAP and RTSP register their counters once they run, which may be a moment after the API answers
            String metrics = d.http.getUntil("/metrics", r -> r.body().contains("subsystem=\"sap\"")
                    && r.body().contains("subsystem=\"rtsp\""), Duration.ofSeconds(60)).body();
            assertTrue("each refusal counted in /metrics: " + metrics, java.util.regex.Pattern.compile(
                    "(?m)^aes67d_refused_total\\{kind=\"cross_site\",subsystem=\"http\"\\} 25(\\.0)?$")
                    .matcher(metrics).find());
            assertTrue(metrics, metrics.contains("aes67d_refused_total{kind=\"spoofed\",subsystem=\"sap\"}"));
            assertTrue(metrics, metrics.contains("aes67d_refused_total{kind=\"too_many_connections\",subsystem=\"rtsp\"}"));

            // the daemon's own pages (Origin = the daemon) and scripts (no Origin) change state as before
            String own = "Origin: http://127.0.0.1:" + port;
            assertEquals(200, RawHttp.send(port, "PUT", "/api/source/0", SOURCE, own).status());
            assertEquals(200, RawHttp.send(port, "POST", "/api/ptp/config", "{\"domain\": 3}").status());
            assertTrue(d.http.get("/api/ptp/config").body().replace(" ", "").contains("\"domain\":3"));

            // reading is allowed, but a foreign page gets no CORS header, so its script cannot read the answer
            RawHttp.Answer read = RawHttp.send(port, "GET", "/api/config", null, "Origin: " + EVIL);
            assertEquals(200, read.status());
            assertNull(read.header("access-control-allow-origin"));
            RawHttp.Answer preflight = RawHttp.send(port, "OPTIONS", "/api/config", null, "Origin: " + EVIL,
                    "Access-Control-Request-Method: POST");
            assertNull(preflight.header("access-control-allow-origin"));
            assertNull("no CORS headers for scripts either",
                    RawHttp.send(port, "GET", "/api/version", null).header("access-control-allow-origin"));
        }
    }

    @Test
    public void allowedOriginsGetCorsAndTheWildcardIsTheCppDaemonsBehaviour() throws Exception {
        try (DaemonProcess d = DaemonProcess.inNewFolder().start(STARTUP, OK)) {
            int port = d.port;
            String ops = "http://ops.example:9000";
            assertEquals(200, d.http.post("/api/config", "{\"http_allowed_origins\": \"" + ops + "\"}").statusCode());
            RawHttp.Answer preflight = RawHttp.until(() -> RawHttp.send(port, "OPTIONS", "/api/source/0", null,
                    "Origin: " + ops, "Access-Control-Request-Method: PUT"),
                    r -> ops.equals(r.header("access-control-allow-origin")));
            assertEquals(ops, preflight.header("access-control-allow-origin"));
            assertTrue(preflight.header("vary"), preflight.header("vary").contains("Origin"));
            assertTrue(preflight.header("access-control-allow-headers").contains("content-type"));
            assertEquals(200, RawHttp.send(port, "PUT", "/api/source/0", SOURCE, "Origin: " + ops).status());
            assertEquals(403, RawHttp.send(port, "DELETE", "/api/source/0", null, "Origin: " + EVIL).status());

            RawHttp.Answer bad = RawHttp.send(port, "POST", "/api/config", "{\"http_allowed_origins\": \"ops.example\"}");
            assertEquals(bad.body(), 400, bad.status());
            assertTrue(bad.body(), bad.body().contains("http_allowed_origins"));

            assertEquals(200, d.http.post("/api/config", "{\"http_allowed_origins\": \"*\"}").statusCode());
            RawHttp.Answer any = RawHttp.until(() -> RawHttp.send(port, "GET", "/api/version", null),
                    r -> "*".equals(r.header("access-control-allow-origin")));
            assertEquals("*", any.header("access-control-allow-origin"));
            assertEquals(200, RawHttp.send(port, "DELETE", "/api/source/0", null, "Origin: " + EVIL).status());
        }
    }

    @Test
    public void framingSizesHeadAndConcurrencyAreBounded() throws Exception {
        try (DaemonProcess d = DaemonProcess.inNewFolder().start(STARTUP, OK)) {
            int port = d.port;
            String before = state(d);
            RawHttp.Answer chunked = RawHttp.send(port, "POST", "/api/config",
                    List.of("Transfer-Encoding: chunked", "Content-Type: application/json"),
                    "-1\r\n{\"ptp_domain\": 9}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(chunked.body(), 400, chunked.status());
            RawHttp.Answer garbage = RawHttp.send(port, "PUT", "/api/source/1",
                    List.of("Transfer-Encoding: chunked"), "zz\r\nxx\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(garbage.body(), 400, garbage.status());

            // 100 MB declared: refused before a byte of it is read
            RawHttp.Answer huge = RawHttp.send(port, "POST", "/api/config",
                    List.of("Content-Length: " + 100_000_000), new byte[0]);
            assertEquals(huge.body(), 413, huge.status());
            // 100 MB streamed in chunks: refused once past the limit, the daemon keeps answering
            assertTrue(streamHugeChunkedBody(port, 100_000_000).matches("HTTP/1.1 (400|413) .*"));
            assertEquals(before, state(d));

            RawHttp.Answer bigHeader = RawHttp.send(port, "GET", "/api/version", null, "X-Big: " + "a".repeat(20_000));
            assertEquals(431, bigHeader.status());

            RawHttp.Answer get = RawHttp.send(port, "GET", "/api/config", null);
            RawHttp.Answer head = RawHttp.send(port, "HEAD", "/api/config", null);
            assertEquals(200, head.status());
            assertEquals(get.header("content-length"), head.header("content-length"));
            assertEquals(get.header("content-type"), head.header("content-type"));
            assertEquals("", head.body());
            assertEquals(404, RawHttp.send(port, "HEAD", "/api/nothing", null).status());

        }
    }

    @Test
    public void aSecondRequestWhileTheOnlyPermitIsHeldIs503() throws Exception {
        try (DaemonProcess d = DaemonProcess.inNewFolder().start(STARTUP, OK)) {
            int port = d.port;
            // one request at a time: a second one while the first is still sending its body is 503 at once
            assertEquals(200, d.http.post("/api/config", "{\"http_max_requests\": 1}").statusCode());
            RawHttp.Answer[] busy = new RawHttp.Answer[1];
            // The limit applies a moment after the POST; the request that set it may still be leaving the guard
            // when the held one arrives, and then the held one is the request refused. So each try holds a fresh
            // request and looks for a refused GET for a few seconds.
            boolean refused = Poll.until(() -> {
                try (Socket slow = new Socket()) {
                    slow.connect(new InetSocketAddress("127.0.0.1", port));
                    OutputStream out = slow.getOutputStream();
                    out.write(("POST /api/ptp/config HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 20\r\n\r\n{\"dom")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return Poll.until(() -> {
                        busy[0] = RawHttp.send(port, "GET", "/api/version", null);
                        return busy[0].status() == 503;
                    }, Duration.ofSeconds(3));
                }
            }, Duration.ofSeconds(60));
            assertTrue("no 503 while a request was held: " + busy[0].body(), refused);
            assertEquals("1", busy[0].header("retry-after"));
            assertTrue(busy[0].body(), busy[0].body().startsWith("server busy : (daemon)"));
            RawHttp.Answer after = RawHttp.until(() -> RawHttp.send(port, "GET", "/api/version", null),
                    r -> r.status() == 200);
            assertEquals(200, after.status());
        }
    }

    /** Streams {@code total} bytes as chunks until the daemon answers or closes; returns its status line. */
    private static String streamHugeChunkedBody(int port, long total) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(15000);
            OutputStream out = s.getOutputStream();
            out.write("POST /api/config HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("10000\r\n" + "x".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            try {
                for (long sent = 0; sent < total; sent += 0x10000) {
                    out.write(chunk);
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // the daemon answered and closed while we were still sending: what we want
            }
            InputStream in = s.getInputStream();
            byte[] line = new byte[64];
            int n = in.readNBytes(line, 0, line.length);
            String text = new String(line, 0, n, StandardCharsets.ISO_8859_1);
            return text.contains("\r\n") ? text.substring(0, text.indexOf("\r\n")) : text;
        }
    }

    @Test
    public void withAuthenticationOnEveryRequestNeedsCredentials() throws Exception {
        String token = "a-long-random-token-for-tests";
        String tokenHash = "{sha-256}" + Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        DaemonProcess d = DaemonProcess.inNewFolder();
        Path conf = d.dir.resolve("daemon.conf");
        Files.writeString(conf, Files.readString(conf).replaceFirst("\\{",
                "{\n  \"http_auth\": true,\n  \"http_tokens\": \"" + java.util.regex.Matcher.quoteReplacement(tokenHash) + "\","));
        try (d) {
            d.start(STARTUP, r -> r.statusCode() == 401);
            int port = d.port;
            Path pwFile = d.dir.resolve("webconsole.password");
            assertTrue(Poll.until(() -> Files.exists(pwFile), Duration.ofSeconds(20)));
            String password = Files.readString(pwFile).trim();
            String basic = "Authorization: Basic " + Base64.getEncoder().encodeToString(
                    ("admin:" + password).getBytes(StandardCharsets.UTF_8));

            RawHttp.Answer none = RawHttp.send(port, "GET", "/api/config", null);
            assertEquals(401, none.status());
            assertTrue(none.header("www-authenticate"), none.header("www-authenticate").startsWith("Basic realm="));
            assertTrue(none.body(), none.body().startsWith("authentication required : (daemon)"));
            assertEquals(401, RawHttp.send(port, "POST", "/api/ptp/config", "{\"domain\": 4}").status());
            assertEquals(401, RawHttp.send(port, "GET", "/api/version", null, "Authorization: Bearer wrong").status());
            assertEquals(401, RawHttp.send(port, "GET", "/api/version", null,
                    "Authorization: Basic " + Base64.getEncoder().encodeToString("admin:nope".getBytes())).status());

            RawHttp.Answer config = RawHttp.send(port, "GET", "/api/config", null, basic);
            assertEquals(200, config.status());
            assertTrue("token hashes are never reported", !config.body().contains("sha-256")
                    && !config.body().contains("http_tokens"));
            assertEquals(200, RawHttp.send(port, "POST", "/api/ptp/config", "{\"domain\": 4}",
                    "Authorization: Bearer " + token).status());
            assertTrue(RawHttp.send(port, "GET", "/api/ptp/config", null, basic).body().replace(" ", "")
                    .contains("\"domain\":4"));
            // the console registers its pages a moment after the API answers
            assertEquals("the console asks for the same user", 200, RawHttp.until(() -> RawHttp.send(port, "GET",
                    "/system/console/aes67-sources", null, basic), r -> r.status() == 200).status());
            String log = Files.readString(d.dir.resolve("stdout.log"));
            assertTrue("the password is never logged", !log.contains(password));
            assertTrue("the token is never logged", !log.contains(token));
        }
    }

    @Test
    public void pathsCannotLeaveTheirFoldersAndOnlyTheOperatorRepointsThem() throws Exception {
        DaemonProcess d = DaemonProcess.inNewFolder();
        Path web = Files.createDirectories(d.dir.resolve("webui"));
        Path media = Files.createDirectories(d.dir.resolve("media"));
        Files.writeString(web.resolve("index.html"), "<html>ui</html>");
        Files.writeString(Files.createDirectories(web.resolve("js")).resolve("app.js"), "console.log(1)");
        Files.writeString(d.dir.resolve("secret.txt"), "SECRET-CONTENT");
        Files.createSymbolicLink(web.resolve("escape"), d.dir);
        Files.createSymbolicLink(web.resolve("leak.txt"), d.dir.resolve("secret.txt"));
        Files.createSymbolicLink(media.resolve("escape"), d.dir);
        Files.createSymbolicLink(media.resolve("leak.wav"), d.dir.resolve("secret.txt"));
        try (d) {
            d.start(STARTUP, OK);
            int port = d.port;
            assertEquals("<html>ui</html>", RawHttp.send(port, "GET", "/", null).body());
            // the C++ web UI's files are served as themselves, not as its index page
            RawHttp.Answer script = RawHttp.send(port, "GET", "/js/app.js", null);
            assertEquals("console.log(1)", script.body());
            assertTrue(script.header("content-type"), script.header("content-type").startsWith("application/javascript"));
            assertEquals(404, RawHttp.send(port, "GET", "/missing.js", null).status());
            for (String path : new String[] {"/escape/secret.txt", "/leak.txt", "/../secret.txt", "/%2e%2e/secret.txt",
                    "/..%2fsecret.txt", "/escape%2fsecret.txt", "/webui/../secret.txt", "/./../secret.txt",
                    "/system/console/aes67-sources/res/aes67/../../../../secret.txt", "/api/../secret.txt"}) {
                RawHttp.Answer r = RawHttp.send(port, "GET", path, null);
                assertTrue(path + ": " + r.status(), r.status() >= 400);
                assertTrue(path, !r.body().contains("SECRET-CONTENT"));
            }

            String streams = d.http.get("/api/streams").body();
            for (String io : new String[] {"file:../secret.txt", "file:escape/secret.txt", "file:leak.wav",
                    "file:" + d.dir.resolve("secret.txt"), "file:%2e%2e/secret.txt", "pipe:../fifo",
                    "pipe:escape/fifo"}) {
                RawHttp.Answer r = RawHttp.send(port, "PUT", "/api/source/3",
                        SOURCE.replace("\"io\": \"Audio Device\"", "\"io\": \"" + io + "\""));
                assertEquals(io + ": " + r.body(), 400, r.status());
                assertTrue(io + ": " + r.body(), r.body().contains("invalid io: "));
            }
            assertEquals("nothing was created", streams, d.http.get("/api/streams").body());

            // repointing a path (or the console's login) over the network needs the operator's credentials
            String before = state(d);
            String config = d.http.get("/api/config").body();
            for (String change : new String[] {"{\"status_file\": \"/etc/passwd\"}", "{\"media_dir\": \"/\"}",
                    "{\"ptp_status_script\": \"/usr/sbin/reboot\"}", "{\"http_base_dir\": \"/etc\"}",
                    "{\"webconsole_password\": \"taken\"}", "{\"ptp_domain\": 3, \"media_dir\": \"/\"}"}) {
                RawHttp.Answer r = RawHttp.send(port, "POST", "/api/config", change);
                assertEquals(change + ": " + r.body(), 403, r.status());
                assertTrue(r.body(), r.body().startsWith("failed to update config : (daemon) "));
                assertTrue(r.body(), r.body().endsWith(
                        ": change it in the config file, or send the Web Console user's credentials"));
            }
            assertEquals("nothing changed", before, state(d));
            // clients that post the whole config back (the C++ web UI) send those keys unchanged: accepted
            RawHttp.Answer whole = RawHttp.send(port, "POST", "/api/config",
                    config.replaceAll("\"mdns_enabled\"\\s*:\\s*\\w+,?", ""));
            assertEquals(whole.body(), 200, whole.status());

            Path pwFile = d.dir.resolve("webconsole.password");
            assertTrue(Poll.until(() -> Files.exists(pwFile), Duration.ofSeconds(20)));
            String basic = "Authorization: Basic " + Base64.getEncoder().encodeToString(
                    ("admin:" + Files.readString(pwFile).trim()).getBytes(StandardCharsets.UTF_8));
            Path moved = d.dir.resolve("moved-status.json");
            RawHttp.Answer operator = RawHttp.send(port, "POST", "/api/config",
                    "{\"status_file\": \"" + moved + "\"}", basic);
            assertEquals(operator.body(), 200, operator.status());
            assertTrue(d.http.get("/api/config").body().contains(moved.toString()));
        }
    }

    /** Runs a command; returns its exit status and output (stdout and stderr). */
    private static String[] run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(String.join(" ", cmd) + " hangs", p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        return new String[] {Integer.toString(p.exitValue()), out};
    }

    /** The SHA-256 fingerprint of the certificate the server presents, as openssl prints it. */
    private static String servedFingerprint(Path dir, int port) throws Exception {
        String[] cert = run(dir, "sh", "-c", "openssl s_client -connect 127.0.0.1:" + port
                + " </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256");
        return cert[1].trim().replaceFirst("(?i)^sha256 fingerprint=", "");
    }

    @Test
    public void httpsWithAGeneratedOrAGivenCertificateSpeaksTls12AndUpOnly() throws Exception {
        DaemonProcess d = DaemonProcess.inNewFolder();
        int https = DaemonProcess.freePort();
        Path conf = d.dir.resolve("daemon.conf");
        String plain = Files.readString(conf);
        Files.writeString(conf, plain.replaceFirst("\\{", "{\n  \"https_port\": " + https + ","));
        try (d) {
            d.start(STARTUP, OK);
            Path store = d.dir.resolve("https.p12");
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(store)));
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(d.dir.resolve("https.p12.password"))));
            String base = "https://127.0.0.1:" + https;
            String[] ok = run(d.dir, "curl", "-sk", "--tlsv1.2", "-D", "-", "-o", "/dev/null", base + "/api/version");
            assertEquals(ok[1], "0", ok[0]);
            assertTrue(ok[1], ok[1].startsWith("HTTP/1.1 200"));
            assertTrue(ok[1], ok[1].toLowerCase(java.util.Locale.ROOT).contains("strict-transport-security: max-age="));
            assertEquals("0", run(d.dir, "curl", "-sk", "--tlsv1.3", "-o", "/dev/null", base + "/api/version")[0]);
            for (String old : new String[] {"-tls1_1", "-tls1"}) {
                // the client allows the old protocol (SECLEVEL=0); the daemon must refuse it
                String[] r = run(d.dir, "sh", "-c", "openssl s_client " + old + " -cipher DEFAULT@SECLEVEL=0 "
                        + "-connect 127.0.0.1:" + https + " </dev/null");
                assertTrue(old + ": " + r[1], !r[0].equals("0") || r[1].contains("Cipher is (NONE)"));
                assertTrue(old + ": " + r[1], r[1].contains("alert protocol version") || r[1].contains("no protocols")
                        || r[1].contains("unsupported protocol") || r[1].contains("wrong version"));
            }
            String printed = Files.readString(d.dir.resolve("stdout.log"));
            String fp = servedFingerprint(d.dir, https);
            assertTrue(fp, fp.matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"));
            assertTrue("fingerprint printed at start", printed.contains("certificate SHA-256 " + fp));
            assertTrue("the store password is never printed",
                    !printed.contains(Files.readString(d.dir.resolve("https.p12.password")).trim()));
            assertEquals(0, d.stop());

            // a certificate the user gives, as PEM (PKCS#8 key + certificate in one file)
            String[] made = run(d.dir, "sh", "-c", "openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem"
                    + " -subj /CN=studio-test -days 2 && cat k.pem c.pem > mine.pem");
            assertEquals(made[1], "0", made[0]);
            Files.writeString(conf, plain.replaceFirst("\\{", "{\n  \"https_port\": " + https
                    + ",\n  \"https_keystore\": \"mine.pem\","));
            d.start(STARTUP, OK);
            String given = run(d.dir, "sh", "-c", "openssl x509 -in c.pem -noout -fingerprint -sha256")[1].trim()
                    .replaceFirst("(?i)^sha256 fingerprint=", "");
            assertEquals(given, servedFingerprint(d.dir, https));
        }
    }
}
