package org.aes67d.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/**
 * How long a stop takes with audio running: one source and one sink (fed by that source), then SIGTERM (what
 * systemd sends). The figure and the launcher's own line (which bundle took longest) are printed; the test asserts
 * only exit status 0, which the launcher gives when every bundle stopped within its 4.5 s limit.
 */
public class StopIT {
    @Test
    public void stopsWithStreamsRunning() throws Exception {
        try (DaemonProcess d = DaemonProcess.inNewFolder().start()) {
            assertEquals(200, d.http.send("PUT", "/api/source/0", StreamsIT.source("stop src", "L24", 48), null)
                    .statusCode());
            assertEquals(200, d.http.send("PUT", "/api/sink/0", StreamsIT.sinkFromUrl("stop sink",
                    "http://127.0.0.1:" + d.port + "/api/source/sdp/0"), null).statusCode());
            long t0 = System.nanoTime();
            int status = d.stop();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            String out = Files.readString(d.dir.resolve("stdout.log"));
            String line = out.lines().filter(l -> l.startsWith("aes67-daemon: stopped in")).findFirst().orElse("");
            System.out.println("[figure] SIGTERM to exit with 1 source + 1 sink: " + ms + " ms; " + line);
            assertEquals("exit status; stderr: " + Files.readString(d.dir.resolve("stderr.log")), 0, status);
            assertTrue(out, line.matches("aes67-daemon: stopped in \\d+ ms \\(slowest: .+ \\d+ ms.*\\)"));
            assertTrue("no more than the launcher's limit", ms < TimeUnit.SECONDS.toMillis(10));
        }
    }
}
