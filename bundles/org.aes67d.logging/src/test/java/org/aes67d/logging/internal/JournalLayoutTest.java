package org.aes67d.logging.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;

class JournalLayoutTest {
    private LoggerContext ctx;

    @BeforeEach
    void setUp() {
        ctx = new LoggerContext();
        ctx.setMDCAdapter(new LogbackMDCAdapter());
    }

    @AfterEach
    void tearDown() {
        ctx.stop();
    }

    @Test
    void everyLineCarriesItsSyslogPriority() {
        String out = captureStdout(() -> {
            ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = LoggingConfigurator.console(ctx, true);
            Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
            root.addAppender(appender);
            root.setLevel(Level.TRACE);
            Logger log = ctx.getLogger("org.aes67d.test.Journal");
            log.error("engine stalled");
            log.warn("PTP unlocked");
            log.info("sink 3 receiving");
            log.debug("detail");
            log.trace("more detail");
            log.error("with a cause", new IllegalStateException("boom"));
            appender.stop();
        });
        List<String> lines = out.lines().toList();
        assertTrue(lines.get(0).startsWith("<3>ERROR") && lines.get(0).endsWith("org.aes67d.test.Journal - engine stalled"),
                lines.get(0));
        assertTrue(lines.get(1).startsWith("<4>WARN"), lines.get(1));
        assertTrue(lines.get(2).startsWith("<6>INFO"), lines.get(2));
        assertTrue(lines.get(3).startsWith("<7>DEBUG"), lines.get(3));
        assertTrue(lines.get(4).startsWith("<7>TRACE"), lines.get(4));
        // journald makes an entry of each line: the stack trace's lines keep the error's priority.
        List<String> trace = lines.subList(5, lines.size());
        assertTrue(trace.size() > 2, out);
        assertTrue(trace.get(1).startsWith("<3>java.lang.IllegalStateException: boom"), trace.get(1));
        trace.forEach(l -> assertTrue(l.startsWith("<3>"), l));
    }

    @Test
    void plainStdoutHasNoPrefix() {
        String out = captureStdout(() -> {
            ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = LoggingConfigurator.console(ctx, false);
            Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
            root.addAppender(appender);
            ctx.getLogger("x").warn("PTP unlocked");
            appender.stop();
        });
        assertTrue(out.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN .*PTP unlocked\\R"), out);
    }

    @Test
    void journalOnlyWhenStdoutIsTheStreamSystemdNamed(@TempDir Path dir) throws IOException {
        Path stdout = Files.writeString(dir.resolve("stdout"), "");
        Path other = Files.writeString(dir.resolve("other"), "");
        String stream = Files.getAttribute(stdout, "unix:dev") + ":" + Files.getAttribute(stdout, "unix:ino");
        assertTrue(JournalLayout.isJournal(stream, stdout));
        assertFalse(JournalLayout.isJournal(stream, other), "stdout redirected elsewhere by a parent");
        assertFalse(JournalLayout.isJournal(null, stdout));
        assertFalse(JournalLayout.isJournal("", stdout));
        assertFalse(JournalLayout.isJournal("12", stdout));
        assertFalse(JournalLayout.isJournal("a:b", stdout));
        assertFalse(JournalLayout.isJournal(stream, dir.resolve("missing")));
    }

    @Test
    void prioritiesFollowSdDaemon() {
        assertEquals(3, JournalLayout.priority(Level.ERROR));
        assertEquals(4, JournalLayout.priority(Level.WARN));
        assertEquals(6, JournalLayout.priority(Level.INFO));
        assertEquals(7, JournalLayout.priority(Level.DEBUG));
        assertEquals(7, JournalLayout.priority(Level.TRACE));
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
