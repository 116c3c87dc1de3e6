package org.aes67d.itest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The runnable jar started as a user would, in its own working folder with the default config. */
final class DaemonProcess implements AutoCloseable {
    private static final Path JAR = Path.of(System.getProperty("aes67d.runtime.jar"));
    final Path dir;
    final int port;
    final Http http;
    private Process process;

    private DaemonProcess(Path dir, int port) {
        this.dir = dir;
        this.port = port;
        this.http = new Http(port);
    }

    /** A fresh folder with the shipped default config. */
    static DaemonProcess inNewFolder() throws IOException {
        Path dir = Files.createTempDirectory("aes67d-daemon-");
        Files.copy(Path.of(System.getProperty("aes67d.default.config")), dir.resolve("daemon.conf"));
        return new DaemonProcess(dir, freePort());
    }

    static Process start(Path dir, String... args) throws IOException {
        // the daemon's temp folders (its bundle cache) inside its own folder: close() removes them with it, and one
        // that a killed daemon left behind does not stay in /tmp
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
                .redirectError(dir.resolve("stderr.log").toFile()).start();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts the daemon and waits until the REST API answers. */
    DaemonProcess start() throws Exception {
        return start(Duration.ofSeconds(90), x -> x.statusCode() == 200); // 3 s idle; far more on a loaded host
    }

    /** Starts the daemon and waits until {@code GET /api/version} answers as {@code up} says (e.g. 401). */
    DaemonProcess start(Duration timeout, java.util.function.Predicate<HttpResponse<String>> up) throws Exception {
        process = start(dir, "-c", "daemon.conf", "-p", Integer.toString(port));
        HttpResponse<String> r = http.getUntil("/api/version", up, timeout);
        if (r == null || !up.test(r)) {
            process.destroyForcibly(); // no try-with-resources closes a daemon whose start threw: do not leave it
            throw new IllegalStateException("daemon did not answer; stderr: " + Files.readString(dir.resolve("stderr.log")));
        }
        return this;
    }

    /** SIGTERM; returns the exit status. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("did not stop");
        }
        return process.exitValue();
    }

    /** SIGKILL: no chance to save anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Kills the daemon if it still runs and removes its folder. */
    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        delete(dir);
    }

    /** Best effort: a file that cannot be removed (or that the daemon's own clean-up removed first) is left alone. */
    static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // what is left is under the failsafe JVM's java.io.tmpdir (target/it-tmp)
        }
    }
}
