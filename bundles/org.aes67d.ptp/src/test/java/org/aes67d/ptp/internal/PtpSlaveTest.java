package org.aes67d.ptp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.aes67d.api.ptp.PtpState;
import org.aes67d.api.ptp.PtpStatus;
import org.aes67d.ptp.internal.engine.PtpPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DS component outside a framework: config mapping, identity, status script, live changes. */
class PtpSlaveTest {

    /** A PtpConfig whose methods return the annotation defaults unless overridden (as DS would). */
    static PtpConfig config(Map<String, Object> values) {
        return (PtpConfig) Proxy.newProxyInstance(PtpConfig.class.getClassLoader(), new Class<?>[] {PtpConfig.class},
                (proxy, m, args) -> values.containsKey(m.getName()) ? values.get(m.getName()) : m.getDefaultValue());
    }

    @Test
    void settingsFromConfig() {
        PtpConfig c = config(Map.of("ptp_mode", "AUTO", "ptp_domain", 5, "ptp_priority1", 200));
        PtpPort.Settings s = PtpSlave.settings(c, 42);
        assertEquals(PtpPort.Mode.AUTO, s.mode());
        assertEquals(5, s.domain());
        assertEquals(200, s.priority1());
        assertEquals(128, s.priority2());
        assertEquals(-3, s.logSyncInterval());
        assertEquals(1, s.logAnnounceInterval());
        assertEquals(5_000_000_000L, s.announceTimeoutCapNs());
        assertEquals(128, PtpSlave.settings(config(Map.of("ptp_mode", "master")), 1).priority1());
        assertEquals(248, PtpSlave.settings(config(Map.of("ptp_mode", "slave")), 1).priority1());
        assertEquals(PtpPort.Mode.SLAVE, PtpPort.Mode.parse("bogus"));
        assertEquals(PtpPort.Mode.MASTER, PtpPort.Mode.parse(" master "));
        assertEquals("eth0", PtpSlave.firstInterface("eth0,eth1"));
        assertEquals("lo", PtpSlave.firstInterface(""));
    }

    @Test
    void clockIdentity() {
        assertArrayEquals(new byte[] {0, 0x1b, 0x21, 1, 2, 3}, PtpSlave.parseMac("00:1B:21:01:02:03"));
        assertNull(PtpSlave.parseMac("00:1B:21"));
        assertNull(PtpSlave.parseMac("zz:1B:21:01:02:03"));
        assertEquals(0x001B21FFFE010203L, PtpSlave.clockIdentity("00-1b-21-01-02-03", "lo"));
        // lo has no MAC: random, locally administered, unicast, and different each time
        long a = PtpSlave.clockIdentity("00:00:00:00:00:00", "lo");
        long b = PtpSlave.clockIdentity("00:00:00:00:00:00", "lo");
        assertNotEquals(a, b);
        assertEquals(0x02L, (a >>> 56) & 0x03);
    }

    @Test
    void statusScriptRunsWithTheStateWord(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.txt");
        Path script = dir.resolve("ptp_status.sh");
        Files.writeString(script, "#!/bin/sh\necho \"$1\" >> " + out + "\n");
        assertNull(PtpSlave.runScript(script.toString(), PtpState.LOCKED), "not executable yet: not run");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Process p = PtpSlave.runScript(script.toString(), PtpState.LOCKING);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals("locking\n", Files.readString(out));
        assertNull(PtpSlave.runScript("", PtpState.LOCKED));
        assertNull(PtpSlave.runScript(dir.resolve("missing.sh").toString(), PtpState.LOCKED));
    }

    /** Activation in master mode on lo (needs root for 319/320): listener, script, live domain/DSCP. */
    @Test
    void componentLifecycle(@TempDir Path dir) throws Exception {
        PtpNodeLoopbackTest.portsFree();
        Path out = dir.resolve("states.txt");
        Path script = dir.resolve("s.sh");
        Files.writeString(script, "#!/bin/sh\necho \"$1\" >> " + out + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Map<String, Object> v = new HashMap<>(Map.of("ptp_mode", "master", "interface_name", "lo",
                "ptp_status_script", script.toString(), "ptp_dscp", 46));
        PtpSlave c = new PtpSlave();
        LinkedBlockingQueue<PtpStatus> seen = new LinkedBlockingQueue<>();
        c.addListener(seen::add);
        c.activate(config(new HashMap<>(v))); // a copy: DS hands out immutable configs
        try {
            PtpStatus s = seen.poll(10, TimeUnit.SECONDS);
            while (s != null && s.state() != PtpState.LOCKED) {
                s = seen.poll(10, TimeUnit.SECONDS);
            }
            assertTrue(s != null, "no locked status: " + c.details());
            assertEquals(s.grandmasterId(), c.status().grandmasterId());
            assertEquals("master", c.details().get("port_state"));
            assertEquals(46, c.details().get("dscp"));
            long t = System.nanoTime();
            assertEquals(c.ptpTimeNanos(t), c.ptpTimeNanos(t)); // stable reading
            assertTrue(Math.abs(c.localNanos(c.ptpTimeNanos(t)) - t) <= 1);
            // AES67 media clock: samples since the epoch at 48 kHz
            long media = c.mediaClock(t, 48_000);
            assertEquals(Math.floorDiv(c.ptpTimeNanos(t), 1_000_000_000L) * 48_000, media - media % 48_000, 48_000);

            Object nodeBefore = c.details().get("clock_id");
            v.put("ptp_domain", 7);
            v.put("ptp_dscp", 48);
            c.modified(config(v));
            assertEquals(7, c.details().get("domain"));
            assertEquals(48, c.details().get("dscp"));
            assertEquals(nodeBefore, c.details().get("clock_id"), "domain/DSCP changed without a restart");

            // the script ran (asynchronously) with "locked": wait for its output with a deadline
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(Files.exists(out) && Files.readString(out).contains("locked"))
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(Files.readString(out).contains("locked"));
        } finally {
            c.deactivate();
        }
        assertEquals(PtpState.UNLOCKED, c.state());
        assertEquals("disabled", c.details().get("port_state"));
    }
}
