package org.aes67d.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.aes67d.api.config.InvalidConfigException;
import org.aes67d.config.internal.ConfigLoader;
import org.aes67d.config.internal.ConfigDocument;
import org.aes67d.config.internal.ConfigSchema;
import org.aes67d.config.internal.NodeIdentity;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;

import sun.misc.Signal;

/**
 * {@code aes67-daemon}: checks the config file, then runs the Felix framework with the bundles embedded in this
 * jar. A bad file or command line is one line on stderr and exit status 1; SIGTERM or SIGINT stop the framework
 * in order and exit with status 0.
 */
public final class Main {
    static final String BUNDLE_DIR = "bundles/";
    /**
     * Started first: SLF4J finds its provider through the ServiceLoader mediator only if both run before any
     * bundle logs, and our logging component (with DS and Configuration Admin) sets the level before Jetty
     * starts; logback's own default is DEBUG.
     */
    private static final List<String> FIRST_BUNDLES = List.of("org.apache.aries.spifly", "org.objectweb.asm",
            "slf4j.api", "ch.qos.logback", "com.sun.jna", "org.aes67d.logging", "org.apache.felix.scr",
            "org.osgi.service.component", "org.osgi.util.", "org.apache.felix.configadmin", "org.apache.felix.log",
            "org.osgi.service.log");
    /**
     * Started last: the subsystems that open sockets and threads (PTP, the audio engine, discovery). The control
     * plane (config, REST, sessions, console) is up and answering before they start, and they come up behind it.
     */
    private static final List<String> LAST_BUNDLES = List.of("org.aes67d.ptp", "org.aes67d.driver.",
            "org.aes67d.rtp", "org.aes67d.audio.", "org.aes67d.discovery.", "org.aes67d.rtsp", "javax.jmdns");
    /** Keeps SPI Fly's java.util.logging chatter (one INFO line per provider) out of the log. */
    private static final java.util.logging.Logger JUL_ROOT = java.util.logging.Logger.getLogger("");
    private static final int FIRST_START_LEVEL = 1;
    private static final int START_LEVEL = 2;
    private static final int LAST_START_LEVEL = 3;
    private static final long STOP_TIMEOUT_MS = 4500;

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args);
        System.out.flush();
        System.err.flush();
        // Every bundle has stopped in order by now. Shutdown hooks that libraries registered would only delay the
        // exit: jmDNS's runs its close again and waits seconds for goodbyes that were already sent.
        Runtime.getRuntime().halt(status);
    }

    static int run(String[] args) {
        CommandLine cmd;
        try {
            cmd = CommandLine.parse(List.of(args));
        } catch (CommandLine.UsageException e) {
            System.err.println("aes67-daemon: " + e.getMessage());
            System.err.print(CommandLine.USAGE);
            return 1;
        }
        if (cmd.help()) {
            System.out.print(CommandLine.USAGE);
            return 0;
        }
        if (cmd.version()) {
            System.out.println(version());
            return 0;
        }
        Path configFile = Path.of(cmd.configFile()).toAbsolutePath();
        Map<String, String> props;
        try {
            ConfigDocument doc = ConfigLoader.load(ConfigSchema.daemon(), configFile);
            NodeIdentity identity = ConfigLoader.identityOf(doc);
            props = frameworkProperties(cmd, configFile, doc, identity);
        } catch (InvalidConfigException e) {
            System.err.println("aes67-daemon: " + configFile + ": " + e.getMessage());
            return 1;
        } catch (StartupException e) {
            System.err.println("aes67-daemon: " + e.getMessage());
            return 1;
        }
        try {
            return runFramework(props);
        } catch (BundleException | IOException | RuntimeException e) {
            System.err.println("aes67-daemon: cannot start: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    static final String ALL_INTERFACES = "0.0.0.0";

    private static Map<String, String> frameworkProperties(CommandLine cmd, Path configFile, ConfigDocument doc,
            NodeIdentity identity) throws StartupException {
        int port = cmd.httpPort() != null ? cmd.httpPort() : doc.getInt("http_port");
        // all interfaces unless -a says otherwise, as the C++ daemon 4.0 (curl http://127.0.0.1:8080 must work)
        String host = cmd.httpAddr() != null ? cmd.httpAddr() : ALL_INTERFACES;
        checkPortFree(host, port);
        Path storage;
        Path deploy = Path.of(System.getProperty("aes67d.deploy.dir", "deploy")).toAbsolutePath();
        try {
            storage = storageFolder();
            Files.createDirectories(deploy);
        } catch (IOException e) {
            throw new StartupException("cannot create working folders: " + e.getMessage());
        }
        Map<String, String> p = new HashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        p.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(LAST_START_LEVEL));
        p.put("felix.startlevel.bundle", Integer.toString(LAST_START_LEVEL));
        // JNA's Unsafe access and Jetty's optional use of sun.misc go through the boot class path.
        p.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "sun.misc");
        p.put("org.osgi.service.http.port", Integer.toString(port));
        p.put("org.apache.felix.http.host", host);
        // Jetty answers 431 to a request line and headers larger than this (docs/security.md)
        p.put("org.apache.felix.http.jetty.headerBufferSize", Integer.toString(doc.getInt("http_max_header_bytes")));
        p.putAll(HttpsSetup.properties(doc, configFile.getParent(), host));
        p.put("felix.fileinstall.dir", deploy.toString());
        p.put("felix.fileinstall.poll", "1000");
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.start.level", Integer.toString(LAST_START_LEVEL));
        p.put("felix.fileinstall.log.level", "3");
        // its work folder inside the bundle cache, which goes at exit (by default one stayed in /tmp per start)
        p.put("felix.fileinstall.tmpdir", storage.resolve("fileinstall").toString());
        // Until the config bridge sets the real credentials, the console must not accept admin/admin.
        p.put("felix.webconsole.password", Long.toHexString(new SecureRandom().nextLong()));
        p.put(ConfigLoader.CONFIG_FILE_PROPERTY, configFile.toString());
        p.put("aes67d.version", version());
        p.put("aes67d.storage", storage.toString());
        String state = System.getenv("STATE_DIRECTORY"); // systemd's StateDirectory: the console password goes there
        if (state != null && !state.isBlank()) {
            p.put("aes67d.state.dir", state.split(":")[0]);
        }
        return p;
    }

    private static void checkPortFree(String host, int port) throws StartupException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new StartupException("http_port: cannot listen on " + host + ":" + port + ": " + e.getMessage());
        }
    }

    private static int runFramework(Map<String, String> props) throws BundleException, IOException,
            InterruptedException {
        JUL_ROOT.setLevel(java.util.logging.Level.WARNING);
        Framework framework = new FrameworkFactory().newFramework(props);
        framework.init();
        int bundles = installEmbeddedBundles(framework.getBundleContext());
        // One line when every start level is reached: for people, and for aes67-daemon-cds, which waits for it.
        framework.getBundleContext().addFrameworkListener(e -> {
            if (e.getType() == FrameworkEvent.STARTED) {
                System.out.println("aes67-daemon: started " + bundles + " bundles in "
                        + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
            }
        });
        StopTimings timings = new StopTimings();
        framework.getBundleContext().addBundleListener(timings);
        Runnable stop = () -> {
            timings.begin();
            // Tells the systemd bundle (STOPPING=1) without a type shared between the launcher and the bundles.
            framework.getBundleContext().registerService(Object.class, new Object(),
                    FrameworkUtil.asDictionary(Map.of("aes67d.stopping", true)));
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(STOP_TIMEOUT_MS);
                    System.err.println("aes67-daemon: bundles did not stop within " + STOP_TIMEOUT_MS + " ms");
                    timings.reportOverrun(System.err);
                    Runtime.getRuntime().halt(1);
                } catch (InterruptedException e) {
                    // exited in time
                }
            }, "aes67d-stop-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            try {
                stopInParallel(framework.getBundleContext(), LAST_START_LEVEL, STOP_TIMEOUT_MS);
                framework.stop();
            } catch (BundleException e) {
                System.err.println("aes67-daemon: stop failed: " + e.getMessage());
            }
        };
        // Replace the JVM's default handlers (which exit 143/130) with an orderly stop.
        Signal.handle(new Signal("TERM"), s -> stop.run());
        Signal.handle(new Signal("INT"), s -> stop.run());
        framework.start();
        FrameworkEvent event = framework.waitForStop(0);
        removeLater(Path.of(props.get("aes67d.storage")));
        timings.report(System.out);
        return event.getType() == FrameworkEvent.ERROR ? 1 : 0;
    }

    /** Installs and marks for start every bundle embedded in this jar; returns how many. */
    private static int installEmbeddedBundles(BundleContext context) throws BundleException, IOException {
        List<String> names = embeddedBundleNames();
        if (names.isEmpty()) {
            throw new BundleException("no bundles embedded under " + BUNDLE_DIR);
        }
        List<Bundle> installed = new ArrayList<>();
        for (String name : names) {
            try (InputStream in = Main.class.getClassLoader().getResourceAsStream(BUNDLE_DIR + name)) {
                installed.add(context.installBundle("aes67d:" + BUNDLE_DIR + name, in));
            }
        }
        for (Bundle b : installed) {
            String bsn = b.getSymbolicName();
            int level = FIRST_BUNDLES.stream().anyMatch(bsn::startsWith) ? FIRST_START_LEVEL
                    : LAST_BUNDLES.stream().anyMatch(bsn::startsWith) ? LAST_START_LEVEL : START_LEVEL;
            b.adapt(BundleStartLevel.class).setStartLevel(level);
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start(Bundle.START_ACTIVATION_POLICY);
            }
        }
        return installed.size();
    }

    /** Names of the jars under bundles/ in this jar (or in the classes folder when run from the build). */
    static List<String> embeddedBundleNames() throws IOException {
        Path location;
        try {
            location = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(location)) {
            Path dir = location.resolve(BUNDLE_DIR);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".jar")).forEach(names::add);
                }
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                jar.stream().map(e -> e.getName())
                        .filter(n -> n.startsWith(BUNDLE_DIR) && n.endsWith(".jar") && n.indexOf('/', BUNDLE_DIR.length()) < 0)
                        .forEach(n -> names.add(n.substring(BUNDLE_DIR.length())));
            }
        }
        names.sort(Comparator.naturalOrder());
        return names;
    }

    static String version() {
        Properties p = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("/aes67d-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version", "unknown");
    }

    /**
     * The framework's bundle cache: under systemd's {@code RuntimeDirectory} (a tmpfs that systemd removes after the
     * service stops), else a new temp folder.
     */
    private static Path storageFolder() throws IOException {
        String runtime = System.getenv("RUNTIME_DIRECTORY");
        if (runtime != null && !runtime.isBlank()) {
            Path dir = Path.of(runtime.split(":")[0]);
            if (Files.isDirectory(dir) && Files.isWritable(dir)) {
                return Files.createTempDirectory(dir, "felix-");
            }
        }
        return Files.createTempDirectory("aes67d-felix-");
    }

    /**
     * Removes the bundle cache without making the exit wait for it: deleting its few hundred files took 0.4-0.7 s
     * of a stop on a loaded machine. A child {@code rm -rf} outlives the JVM; under systemd the RuntimeDirectory
     * goes anyway. A leftover temp folder (no {@code rm} here) is harmless.
     */
    private static void removeLater(Path dir) {
        try {
            new ProcessBuilder("rm", "-rf", "--", dir.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            // no rm: the folder stays in the temp directory
        }
    }

    /**
     * Stops the bundles of one start level at the same time, before the framework stops the rest in order: those
     * of the last level (PTP, engine, discovery) do not depend on each other's stop order, and mDNS's bounded
     * goodbye then overlaps the others' stops instead of adding to them. Waits at most {@code timeoutMs}.
     */
    static void stopInParallel(BundleContext context, int level, long timeoutMs) {
        List<Thread> stoppers = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getBundleId() != 0 && b.getState() == Bundle.ACTIVE
                    && b.adapt(BundleStartLevel.class).getStartLevel() == level) {
                Thread t = new Thread(() -> {
                    try {
                        b.stop(Bundle.STOP_TRANSIENT);
                    } catch (BundleException | IllegalStateException e) {
                        System.err.println("aes67-daemon: stopping " + b.getSymbolicName() + ": " + e.getMessage());
                    }
                }, "aes67d-stop-" + b.getSymbolicName());
                t.setDaemon(true);
                t.start();
                stoppers.add(t);
            }
        }
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        for (Thread t : stoppers) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static final class StartupException extends Exception {
        private static final long serialVersionUID = 1L;

        StartupException(String message) {
            super(message);
        }
    }
}
