package org.aes67d.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/** The runnable jar as a user starts it: a real process, real signals, real exit status. */
public class LauncherIT {
    @Test
    public void startsAnswersAndExitsZeroOnSigterm() throws Exception {
        Path dir = Files.createTempDirectory("aes67d-launcher-");
        Files.copy(Path.of(System.getProperty("aes67d.default.config")), dir.resolve("daemon.conf"));
        int port = DaemonProcess.freePort();
        long t0 = System.nanoTime();
        Process p = DaemonProcess.start(dir, "-c", "daemon.conf", "-p", Integer.toString(port));
        try {
            HttpResponse<String> r = new Http(port).getUntil("/api/version", x -> x.statusCode() == 200,
                    Duration.ofSeconds(30));
            long startMs = (System.nanoTime() - t0) / 1_000_000;
            assertNotNull("no answer; stderr: " + Files.readString(dir.resolve("stderr.log")), r);
            assertEquals(200, r.statusCode());
            System.out.println("[figure] launcher start to first GET /api/version 200: " + startMs + " ms");
            assertTrue(Files.isDirectory(dir.resolve("deploy")));

            long t1 = System.nanoTime();
            p.destroy(); // SIGTERM
            assertTrue("did not stop", p.waitFor(10, TimeUnit.SECONDS));
            System.out.println("[figure] SIGTERM to exit: " + (System.nanoTime() - t1) / 1_000_000 + " ms");
            assertEquals("exit status after SIGTERM; stderr: " + Files.readString(dir.resolve("stderr.log")), 0,
                    p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    public void anInvalidConfigStopsStartUpWithOneLineAndStatusOne() throws Exception {
        Path dir = Files.createTempDirectory("aes67d-launcher-");
        Files.writeString(dir.resolve("daemon.conf"), "{\"ptp_domain\": 500}");
        Process p = DaemonProcess.start(dir, "-c", "daemon.conf");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue());
        List<String> err = Files.readAllLines(dir.resolve("stderr.log"), StandardCharsets.UTF_8);
        assertEquals(err.toString(), 1, err.size());
        assertTrue(err.get(0), err.get(0).endsWith("daemon.conf: ptp_domain: must be in 0..127, got 500"));

        Files.writeString(dir.resolve("daemon.conf"), "{\"ptp_domain\": 5,");
        p = DaemonProcess.start(dir, "-c", "daemon.conf");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue());
        err = Files.readAllLines(dir.resolve("stderr.log"), StandardCharsets.UTF_8);
        assertEquals(err.toString(), 1, err.size());
        assertTrue(err.get(0), err.get(0).contains("daemon.conf: not valid JSON at line"));
    }

    @Test
    public void versionAndHelp() throws Exception {
        Path dir = Files.createTempDirectory("aes67d-launcher-");
        Process p = DaemonProcess.start(dir, "-v");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertEquals("0.1.0", Files.readString(dir.resolve("stdout.log")).trim());
        p = DaemonProcess.start(dir, "--bogus");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue());
        assertTrue(Files.readString(dir.resolve("stderr.log")).startsWith("aes67-daemon: unknown option --bogus"));
    }

    /**
     * The shipped scripts: aes67-daemon-cds makes a class-data sharing archive, and aes67-daemon starts with it,
     * without a word about CDS in its output, and exits 0 on SIGTERM. The start-up figures are printed, not checked.
     */
    @Test
    public void classDataSharingArchiveIsMadeAndUsedQuietly() throws Exception {
        Path dist = Path.of(System.getProperty("aes67d.runtime.jar")).getParent();
        Path dir = Files.createTempDirectory("aes67d-cds-");
        Path archive = dir.resolve("archive.jsa");
        Files.copy(Path.of(System.getProperty("aes67d.default.config")), dir.resolve("daemon.conf"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        ProcessBuilder make = new ProcessBuilder(dist.resolve("aes67-daemon-cds").toString(), "daemon.conf")
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("cds.log").toFile());
        make.environment().put("JAVA", java);
        make.environment().put("AES67D_CDS_ARCHIVE", archive.toString());
        Process m = make.start();
        assertTrue("aes67-daemon-cds did not finish", m.waitFor(120, TimeUnit.SECONDS));
        String makeLog = Files.readString(dir.resolve("cds.log"));
        assertEquals(makeLog, 0, m.exitValue());
        assertTrue(makeLog, makeLog.contains("aes67-daemon-cds: wrote " + archive));
        assertTrue(Files.size(archive) > 1_000_000);

        for (String mode : List.of("on", "off")) {
            int port = DaemonProcess.freePort();
            ProcessBuilder run = new ProcessBuilder(dist.resolve("aes67-daemon").toString(), "-c", "daemon.conf",
                    "-p", Integer.toString(port)).directory(dir.toFile())
                    .redirectOutput(dir.resolve(mode + ".out").toFile())
                    .redirectError(dir.resolve(mode + ".err").toFile());
            run.environment().put("JAVA", java);
            run.environment().put("AES67D_CDS", mode);
            run.environment().put("AES67D_CDS_ARCHIVE", archive.toString());
            long t0 = System.nanoTime();
            Process p = run.start();
            try {
                HttpResponse<String> r = new Http(port).getUntil("/api/version", x -> x.statusCode() == 200,
                        Duration.ofSeconds(30));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertNotNull("no answer; stderr: " + Files.readString(dir.resolve(mode + ".err")), r);
                System.out.println("[figure] aes67-daemon (CDS " + mode + ") start to first 200: " + ms + " ms");
                p.destroy();
                assertTrue("did not stop", p.waitFor(10, TimeUnit.SECONDS));
                assertEquals(0, p.exitValue());
            } finally {
                p.destroyForcibly();
            }
            String out = Files.readString(dir.resolve(mode + ".out")) + Files.readString(dir.resolve(mode + ".err"));
            assertTrue(out, !out.contains("[cds") && !out.toLowerCase().contains("shared archive"));
        }
    }
}
