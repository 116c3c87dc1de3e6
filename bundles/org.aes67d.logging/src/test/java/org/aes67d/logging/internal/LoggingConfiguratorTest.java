package org.aes67d.logging.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.sun.jna.LastErrorException;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.net.SyslogAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;

class LoggingConfiguratorTest {
    private static final int DAEMON_WARNING = 3 * 8 + 4;
    private static final int DAEMON_INFO = 3 * 8 + 6;
    // <PRI>Mmm dd hh:mm:ss (RFC 3164 timestamp, day padded with a space)
    private static final Pattern LOCAL_HEADER = Pattern.compile("<\\d+>[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d aes67-daemon\\[\\d+\\]: .*", Pattern.DOTALL);

    // A private context per test: the global one belongs to the test JVM.
    private LoggerContext ctx;
    private Logger log;

    @BeforeEach
    void setUp() {
        ctx = new LoggerContext();
        // Normally set by logback's SLF4J provider; ConsoleAppender fails without it.
        ctx.setMDCAdapter(new LogbackMDCAdapter());
        log = ctx.getLogger("org.aes67d.test.Stream");
    }

    @AfterEach
    void tearDown() {
        ctx.stop();
    }

    @Test
    void udpModeSendsToServerWithDaemonFacility() throws Exception {
        try (DatagramSocket server = udpServer()) {
            String target = LoggingConfigurator.apply(ctx, new LoggingConfigurator.Settings(2, "udp", "127.0.0.1:" + server.getLocalPort()), "/nonexistent");
            assertEquals("udp syslog 127.0.0.1:" + server.getLocalPort(), target);
            assertInstanceOf(SyslogAppender.class, rootAppenders().get(0));

            log.warn("PTP unlocked on {}", "eth0");
            String msg = receiveContaining(server, "PTP unlocked");
            assertTrue(msg.startsWith("<" + DAEMON_WARNING + ">"), msg);
            assertTrue(msg.contains("aes67-daemon[" + ProcessHandle.current().pid() + "]: org.aes67d.test.Stream - PTP unlocked on eth0"), msg);
        }
    }

    @Test
    void severityWarningDropsInfoAndKeepsWarn() throws Exception {
        try (DatagramSocket server = udpServer()) {
            LoggingConfigurator.apply(ctx, new LoggingConfigurator.Settings(3, "udp", "127.0.0.1:" + server.getLocalPort()), "/nonexistent");
            assertEquals(Level.WARN, ctx.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());

            log.info("info-must-not-appear");
            log.warn("warn-must-appear");
            // Loopback UDP keeps order: if the INFO had been sent it would arrive first.
            String first = receive(server);
            assertTrue(first.contains("warn-must-appear"), first);
            assertTrue(first.startsWith("<" + DAEMON_WARNING + ">"), first);
            assertFalse(log.isInfoEnabled());
        }
    }

    @Test
    void localModeWritesRfc3164ToUnixSocket(@TempDir Path dir) {
        Path sock = dir.resolve("log.sock");
        try (UnixDatagramReceiver receiver = new UnixDatagramReceiver(sock, 5000)) {
            String target = LoggingConfigurator.apply(ctx, new LoggingConfigurator.Settings(2, "", "ignored"), sock.toString());
            assertEquals("local syslog " + sock, target);
            assertInstanceOf(UnixSyslogAppender.class, rootAppenders().get(0));

            // apply() itself logs "Logging to ... at level INFO" first
            assertTrue(receiver.receive().contains("Logging to local syslog"));
            log.info("stream übertragen: {} Kanäle", 8);
            String msg = receiver.receive();
            assertTrue(LOCAL_HEADER.matcher(msg).matches(), msg);
            assertTrue(msg.startsWith("<" + DAEMON_INFO + ">"), msg);
            assertTrue(msg.endsWith(": org.aes67d.test.Stream - stream übertragen: 8 Kanäle"), msg);

            log.debug("below level");
            log.error("failed", new IllegalStateException("boom"));
            String err = receiver.receive();
            assertTrue(err.startsWith("<27>"), err);
            assertTrue(err.endsWith("failed (java.lang.IllegalStateException: boom)"), err);
        }
    }

    @Test
    void localReceiverReallyTimesOut(@TempDir Path dir) {
        // Guards the test above: receive() must fail, not hang or return garbage, when nothing is sent.
        try (UnixDatagramReceiver receiver = new UnixDatagramReceiver(dir.resolve("quiet.sock"), 200)) {
            assertThrows(LastErrorException.class, receiver::receive);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nohost", "h:99999", ":514", "host:", "host:port"})
    void malformedServerFallsBackToStdout(String server) {
        String out = captureStdout(() -> {
            String target = LoggingConfigurator.apply(ctx, new LoggingConfigurator.Settings(2, "udp", server), "/nonexistent");
            assertEquals("stdout", target);
            log.info("still-visible");
        });
        assertInstanceOf(ConsoleAppender.class, rootAppenders().get(0));
        assertTrue(out.contains("ERROR") && out.contains("syslog.server '" + server + "'"), out);
        assertTrue(out.contains("still-visible"), out);
    }

    @Test
    void missingLocalSocketFallsBackToStdout(@TempDir Path dir) {
        String out = captureStdout(() -> {
            String target = LoggingConfigurator.apply(ctx, new LoggingConfigurator.Settings(2, "", ""), dir.resolve("absent").toString());
            assertEquals("stdout", target);
            log.warn("after-fallback");
        });
        assertTrue(out.contains("after-fallback"), out);
    }

    @Test
    void reapplyReplacesAppenderInsteadOfAdding() throws Exception {
        try (DatagramSocket server = udpServer()) {
            LoggingConfigurator.apply(ctx, new LoggingConfigurator.Settings(2, "udp", "127.0.0.1:" + server.getLocalPort()), "/nonexistent");
            Appender<ILoggingEvent> udp = rootAppenders().get(0);
            captureStdout(() -> LoggingConfigurator.apply(ctx, new LoggingConfigurator.Settings(2, "none", ""), "/nonexistent"));
            assertEquals(1, rootAppenders().size());
            assertInstanceOf(ConsoleAppender.class, rootAppenders().get(0));
            assertFalse(udp.isStarted(), "old appender must be stopped");
        }
    }

    @Test
    void severityMapping() {
        assertEquals(Level.TRACE, LoggingConfigurator.level(0));
        assertEquals(Level.DEBUG, LoggingConfigurator.level(1));
        assertEquals(Level.INFO, LoggingConfigurator.level(2));
        assertEquals(Level.WARN, LoggingConfigurator.level(3));
        assertEquals(Level.ERROR, LoggingConfigurator.level(4));
        assertEquals(Level.ERROR, LoggingConfigurator.level(5));
        assertEquals(3, UnixSyslogAppender.severity(Level.ERROR));
        assertEquals(4, UnixSyslogAppender.severity(Level.WARN));
        assertEquals(6, UnixSyslogAppender.severity(Level.INFO));
        assertEquals(7, UnixSyslogAppender.severity(Level.DEBUG));
    }

    private static DatagramSocket udpServer() throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.setSoTimeout(5000);
        return s;
    }

    private static String receive(DatagramSocket s) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[8192], 8192);
        s.receive(p);
        return new String(p.getData(), 0, p.getLength(), UTF_8);
    }

    /** Skips other datagrams (apply() announces itself); fails via SocketTimeoutException if the text never comes. */
    private static String receiveContaining(DatagramSocket s, String text) throws Exception {
        while (true) {
            String msg = receive(s);
            if (msg.contains(text)) {
                return msg;
            }
        }
    }

    private List<Appender<ILoggingEvent>> rootAppenders() {
        List<Appender<ILoggingEvent>> list = new ArrayList<>();
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(list::add);
        return list;
    }

    private static String captureStdout(Runnable r) {
        PrintStream original = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(original);
        }
        return buf.toString(UTF_8);
    }
}
