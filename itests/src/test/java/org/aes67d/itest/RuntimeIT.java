package org.aes67d.itest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.aes67d.api.config.DaemonConfigService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** Boots the runtime's resolved bundle set (the same jars the runnable jar embeds) in Felix. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RuntimeIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Inject
    private BundleContext context;
    @Inject
    private ServiceComponentRuntime scr;
    @Inject
    private ConfigurationAdmin configAdmin;
    @Inject
    private DaemonConfigService daemonConfig;

    @Configuration
    public Option[] config() throws IOException {
        Path work = Files.createTempDirectory("aes67d-it-");
        Files.copy(Path.of(System.getProperty("aes67d.default.config")), work.resolve("daemon.conf"));
        Files.createDirectories(work.resolve("deploy"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<Option> options = new ArrayList<>();
        File[] jars = new File(System.getProperty("aes67d.runtime.bundles")).listFiles((d, n) -> n.endsWith(".jar"));
        assertNotNull("runtime bundles not built", jars);
        for (File jar : jars) {
            boolean first = jar.getName().matches("(org.apache.aries.spifly|asm|slf4j-api|logback).*");
            options.add(bundle(jar.toURI().toString()).startLevel(first ? 1 : 2));
        }
        options.add(junitBundles());
        options.add(frameworkProperty("aes67d.config").value(work.resolve("daemon.conf").toString()));
        options.add(frameworkProperty("org.osgi.service.http.port").value(Integer.toString(port)));
        options.add(frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"));
        options.add(frameworkProperty("felix.fileinstall.dir").value(work.resolve("deploy").toString()));
        options.add(frameworkProperty("felix.fileinstall.poll").value("200"));
        options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        options.add(systemProperty("aes67d.itest.work").value(work.toString()));
        options.add(systemProperty("aes67d.itest.port").value(Integer.toString(port)));
        options.add(cleanCaches());
        return options.toArray(new Option[0]);
    }

    private Http http() {
        return new Http(Integer.getInteger("aes67d.itest.port"));
    }

    private Path work() {
        return Path.of(System.getProperty("aes67d.itest.work"));
    }

    @Test
    public void ourComponentsAreActive() {
        List<String> expected = List.of("org.aes67d.config.internal.ConfigBridge", "org.aes67d.rest.internal.ApiServlet",
                "org.aes67d.rest.internal.RootServlet", "org.aes67d.logging.internal.LoggingConfigurator",
                "org.aes67d.webconsole.status.internal.OverviewPlugin",
                "org.aes67d.session.internal.SessionManagerImpl", "org.aes67d.ptp.internal.PtpSlave");
        for (String name : expected) {
            ComponentDescriptionDTO desc = scr.getComponentDescriptionDTOs().stream()
                    .filter(d -> d.name.equals(name)).findFirst().orElse(null);
            assertNotNull(name + " is not declared", desc);
            List<Integer> states = scr.getComponentConfigurationDTOs(desc).stream().map(c -> c.state)
                    .collect(Collectors.toList());
            assertEquals(name + " states " + states, List.of(ComponentConfigurationDTO.ACTIVE), states);
        }
    }

    @Test
    public void restEndpointsAnswerAsTheCppDaemon() throws Exception {
        Http http = http();
        HttpResponse<String> version = http.getUntil("/api/version", r -> r.statusCode() == 200, TIMEOUT);
        assertEquals(200, version.statusCode());
        assertTrue(version.body(), version.body().contains("\"version\""));
        // CORS headers only for allowed origins (http_allowed_origins; "*" = the C++ daemon's): none for scripts
        assertEquals("", version.headers().firstValue("Access-Control-Allow-Origin").orElse(""));

        HttpResponse<String> options = http.send("OPTIONS", "/api/config", null, null);
        assertEquals(200, options.statusCode());
        assertEquals("", options.body());
        assertEquals("", options.headers().firstValue("Access-Control-Allow-Methods").orElse(""));

        HttpResponse<String> status = http.get("/api/ptp/status");
        assertEquals(200, status.statusCode());
        assertTrue(status.body(), status.body().replace(" ", "").matches("(?s).*\"status\":\"(unlocked|locking|locked)\".*"));

        HttpResponse<String> config = http.get("/api/config");
        assertTrue(config.body(), config.body().replace(" ", "").contains("\"node_id\":\"Daemon007f0100\""));
        assertTrue("password leaked", !config.body().contains("webconsole_password"));

        assertEquals(200, http.get("/").statusCode());
        HttpResponse<String> unknown = http.get("/api/nothing/here");
        assertEquals(404, unknown.statusCode());
        assertEquals("", unknown.body());
    }

    @Test
    public void aloneInAutoModeTheDaemonBecomesGrandmasterAndLocks() throws Exception {
        // The embedded default config runs PTP in "auto": with no better master on the network it serves itself.
        HttpResponse<String> r = http().getUntil("/api/ptp/status",
                x -> x.body().replace(" ", "").contains("\"status\":\"locked\""), Duration.ofSeconds(30));
        String body = r.body().replace(" ", "");
        assertTrue(body, body.contains("\"status\":\"locked\"") && body.contains("\"port_state\":\"master\""));
        String clockId = body.replaceAll("(?s).*\"clock_id\":\"([0-9A-F-]{23})\".*", "$1");
        assertTrue(body, body.contains("\"gmid\":\"" + clockId + "\""));
    }

    @Test
    public void configChangeThroughRestReachesComponentAndFile() throws Exception {
        Http http = http();
        http.getUntil("/api/version", r -> r.statusCode() == 200, TIMEOUT);
        Path file = work().resolve("daemon.conf");

        assertEquals(200, http.post("/api/config", "{\"log_severity\": 3}").statusCode());
        assertTrue(Files.readString(file).contains("\"log_severity\": 3"));
        assertEquals(3, configAdmin.getConfiguration("org.aes67d.logging", "?").getProperties().get("severity"));
        assertTrue("logging component not reconfigured", awaitComponentProperty(
                "org.aes67d.logging.internal.LoggingConfigurator", "severity", 3));

        assertEquals(200, http.post("/api/ptp/config", "{\"domain\": 9, \"dscp\": 46}").statusCode());
        assertTrue(http.get("/api/ptp/config").body().replace(" ", "").contains("\"domain\":9"));
        assertEquals(9, configAdmin.getConfiguration("org.aes67d.ptp", "?").getProperties().get("ptp.domain"));

        byte[] before = Files.readAllBytes(file);
        String[][] bad = {
                { "{\"log_severity\": 9}", "failed to update config : (daemon) log_severity: must be in 0..5, got 9" },
                { "{\"log_severity\": \"2\"}", "failed to update config : (daemon) log_severity: must be an integer, got string \"2\"" },
                { "{\"log_severity\": 1, \"ptp_domain\": 300}", "failed to update config : (daemon) ptp_domain: must be in 0..127, got 300" },
                { "{\"log_severity\": ", "error parsing JSON : " },
                { "[1]", "error parsing JSON : expected a JSON object" },
                { "{\"nonsense\": 1}", "failed to update config : (daemon) nonsense: unknown key" },
                { "{\"interface_name\": \"lo,nosuch13\"}", // ST 2022-7 needs the second network too
                        "failed to update config : (daemon) interface_name: no network interface named 'nosuch13'" } };
        for (String[] c : bad) {
            HttpResponse<String> r = http.post("/api/config", c[0]);
            assertEquals(c[0], 400, r.statusCode());
            assertTrue(c[0] + " -> " + r.body(), r.body().startsWith(c[1]));
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        }
        HttpResponse<String> r = http.post("/api/ptp/config", "{\"domain\": 128}");
        assertEquals(400, r.statusCode());
        assertArrayEquals("a rejected change touched the file", before, Files.readAllBytes(file));
        assertEquals(3, daemonConfig.snapshot().get("log_severity"));
    }

    @Test
    public void aChangeMadeInConfigurationAdminIsWrittenToTheFile() throws Exception {
        Path file = work().resolve("daemon.conf");
        var cfg = configAdmin.getConfiguration("org.aes67d.ptp", "?");
        Dictionary<String, Object> props = cfg.getProperties();
        props.put("ptp.domain", 42);
        cfg.update(props);
        assertTrue("file not updated", awaitFileContains(file, "\"ptp_domain\": 42"));
        assertEquals(42, daemonConfig.snapshot().get("ptp_domain"));

        props.put("ptp.domain", 999); // invalid: the bridge restores the record and leaves the file alone
        cfg.update(props);
        assertTrue("invalid record not restored",
                Poll.until(() -> Integer.valueOf(42).equals(cfg.getProperties().get("ptp.domain")), TIMEOUT));
        assertTrue(Files.readString(file).contains("\"ptp_domain\": 42"));
    }

    @Test
    public void aBundleDroppedIntoTheDeployFolderStartsAndACfgReconfiguresIt() throws Exception {
        Http http = http();
        Path deploy = work().resolve("deploy");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch uninstalled = new CountDownLatch(1);
        BundleListener listener = e -> {
            if ("org.aes67d.itest.probe".equals(e.getBundle().getSymbolicName())) {
                if (e.getType() == BundleEvent.STARTED) {
                    started.countDown();
                } else if (e.getType() == BundleEvent.UNINSTALLED) {
                    uninstalled.countDown();
                }
            }
        };
        context.addBundleListener(listener);
        try {
            Path jar = deploy.resolve("probe.jar");
            Files.copy(Path.of(System.getProperty("aes67d.probe.jar")), jar, StandardCopyOption.REPLACE_EXISTING);
            assertTrue("dropped bundle did not start", started.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            assertEquals("probe", http.getUntil("/itest-probe", x -> x.statusCode() == 200, TIMEOUT).body());

            Files.writeString(deploy.resolve("org.aes67d.itest.probe.cfg"), "message=hello\n", StandardCharsets.UTF_8);
            assertEquals("hello", http.getUntil("/itest-probe", x -> "hello".equals(x.body()), TIMEOUT).body());

            Files.delete(jar);
            assertTrue("removed bundle was not uninstalled", uninstalled.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            assertTrue(Arrays.stream(context.getBundles()).noneMatch(b -> "org.aes67d.itest.probe".equals(b.getSymbolicName())));
        } finally {
            context.removeBundleListener(listener);
        }
    }

    @Test
    public void stoppingOneDiscoveryBundleLeavesStreamsAndTheOthersAlone() throws Exception {
        Http http = http();
        http.getUntil("/api/version", r -> r.statusCode() == 200, TIMEOUT);
        String source = "{\"enabled\": true, \"name\": \"kept\", \"io\": \"Audio Device\", \"max_samples_per_packet\": 48,"
                + " \"codec\": \"L24\", \"ttl\": 15, \"payload_type\": 98, \"dscp\": 34,"
                + " \"refclk_ptp_traceable\": false, \"map\": [0, 1]}";
        assertEquals(200, http.send("PUT", "/api/source/5", source, null).statusCode());
        String before = http.get("/api/streams").body();
        org.osgi.framework.Bundle sap = Arrays.stream(context.getBundles())
                .filter(b -> "org.aes67d.discovery.sap".equals(b.getSymbolicName())).findFirst().orElseThrow();
        sap.stop();
        org.osgi.framework.Bundle mdns = Arrays.stream(context.getBundles())
                .filter(b -> "org.aes67d.discovery.mdns".equals(b.getSymbolicName())).findFirst().orElseThrow();
        try {
            assertEquals(before, http.get("/api/streams").body());
            assertTrue("mDNS runs", http.get("/api/config").body().replace(" ", "").contains("\"mdns_enabled\":true"));
            assertEquals("[]", http.get("/api/browse/sources/sap").body().replaceAll("\\s", "")
                    .replace("{\"remote_sources\":", "").replace("}", ""));
            for (String name : List.of("org.aes67d.rtsp", "org.aes67d.discovery.mdns", "org.aes67d.session.internal.SessionManagerImpl")) {
                assertTrue(name + " not active", scr.getComponentDescriptionDTOs().stream().filter(d -> d.name.equals(name))
                        .flatMap(d -> scr.getComponentConfigurationDTOs(d).stream())
                        .anyMatch(c -> c.state == ComponentConfigurationDTO.ACTIVE));
            }
            mdns.stop();
            assertTrue("mdns_enabled must say false while mDNS does not run",
                    http.get("/api/config").body().replace(" ", "").contains("\"mdns_enabled\":false"));
        } finally {
            mdns.start();
            sap.start();
        }
        assertTrue("SAP did not hear the source again after its restart", Poll.until(
                () -> http.get("/api/browse/sources/sap").body().contains("Daemon 007f0100 kept"), TIMEOUT));
        assertEquals(200, http.send("DELETE", "/api/source/5", null, null).statusCode());
    }

    @Test
    public void webConsoleNeedsTheGeneratedPassword() throws Exception {
        Http http = http();
        http.getUntil("/api/version", r -> r.statusCode() == 200, TIMEOUT);
        String password = Files.readString(work().resolve("webconsole.password")).trim();
        assertTrue(password.length() >= 16);
        String auth = "admin:" + password;
        assertTrue("console did not accept the generated password", Poll.until(
                () -> http.send("GET", "/system/console/bundles", null, auth).statusCode() == 200, TIMEOUT));
        HttpResponse<String> components = http.send("GET", "/system/console/components/.json", null, auth);
        assertEquals(200, components.statusCode());
        assertTrue("DS plugin does not list our components: " + components.body(),
                components.body().contains("org.aes67d.config.internal.ConfigBridge"));
        HttpResponse<String> page = http.send("GET", "/system/console/aes67-daemon", null, auth);
        assertEquals(200, page.statusCode());
        assertTrue(page.body(), page.body().contains("Daemon 007f0100"));
        assertEquals(401, http.send("GET", "/system/console/bundles", null, null).statusCode());
        assertEquals(401, http.send("GET", "/system/console/bundles", null, "admin:admin").statusCode());
    }

    private boolean awaitComponentProperty(String component, String key, Object value) throws Exception {
        return Poll.until(() -> scr.getComponentDescriptionDTOs().stream().filter(d -> d.name.equals(component))
                .flatMap(d -> scr.getComponentConfigurationDTOs(d).stream())
                .anyMatch(c -> value.equals(c.properties.get(key))), TIMEOUT);
    }

    private static boolean awaitFileContains(Path file, String text) throws Exception {
        return Poll.until(() -> Files.readString(file).contains(text), TIMEOUT);
    }
}
