package org.aes67d.audio.jack.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A private {@code jackd -d dummy} for a test: its own server name (other people's tests may run JACK too), no
 * real-time, no D-Bus device reservation. Tools are run against it with {@code -s NAME} or
 * {@code JACK_DEFAULT_SERVER}.
 */
final class JackServer implements AutoCloseable {
    final String name;
    final int rate;
    final int period;
    final Path dir;
    private final Process process;

    private JackServer(String name, int rate, int period, Path dir, Process process) {
        this.name = name;
        this.rate = rate;
        this.period = period;
        this.dir = dir;
        this.process = process;
    }

    /** Starts the server and waits until it answers; skips the test (with the reason) without jackd. */
    static JackServer start(int rate, int period) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/jackd")),
                "jackd missing (apt-get install jackd2; scripts/test.sh does): the JACK tests are skipped");
        String name = "i12test" + ProcessHandle.current().pid() + "x" + System.nanoTime() % 100000;
        Path dir = Files.createTempDirectory("jack-test");
        ProcessBuilder pb = new ProcessBuilder("jackd", "--no-realtime", "-n", name, "-d", "dummy", "-r", "" + rate,
                "-p", "" + period).redirectErrorStream(true).redirectOutput(dir.resolve("jackd.log").toFile());
        pb.environment().put("JACK_NO_AUDIO_RESERVATION", "1");
        JackServer s = new JackServer(name, rate, period, dir, pb.start());
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (s.tool("jack_lsp").exit != 0) {
            if (!s.process.isAlive() || System.nanoTime() > until) {
                String log = Files.readString(dir.resolve("jackd.log"));
                s.close();
                throw new IllegalStateException("jackd did not start: " + log);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        return s;
    }

    record Result(int exit, String output) {
    }

    /** Runs a JACK tool against this server and waits for it (at most 30 s). */
    Result tool(String... command) throws IOException, InterruptedException {
        Process p = builder(command).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timeout");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes()));
    }

    ProcessBuilder builder(String... command) {
        List<String> c = new ArrayList<>(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(c).redirectErrorStream(true);
        pb.environment().put("JACK_DEFAULT_SERVER", name);
        pb.environment().put("JACK_NO_AUDIO_RESERVATION", "1");
        pb.environment().put("JACK_NO_START_SERVER", "1");
        return pb;
    }

    /** Stops jackd: SIGTERM, then SIGKILL after 5 s; removes its shared-memory leftovers of this name. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        try (var files = Files.list(Path.of("/dev/shm"))) {
            files.filter(f -> f.getFileName().toString().contains(name)).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // nothing to clean
        }
    }
}
