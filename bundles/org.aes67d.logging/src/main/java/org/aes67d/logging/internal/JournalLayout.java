package org.aes67d.logging.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;

/**
 * Log lines for a stdout that is the systemd journal: every line starts with its syslog priority, {@code <3>}
 * error, {@code <4>} warning, {@code <6>} info, {@code <7>} debug (sd-daemon(3)), which journald strips and
 * stores, so {@code journalctl -p warning} works. Each line of a stack trace carries it too (journald makes an
 * entry of every line). No timestamp: the journal stamps each entry itself.
 */
final class JournalLayout extends LayoutBase<ILoggingEvent> {
    static final String PATTERN = "%-5level [%thread] %logger{24} - %msg%n";

    private final PatternLayout lines = new PatternLayout();

    @Override
    public void start() {
        lines.setContext(getContext());
        lines.setPattern(PATTERN);
        lines.start();
        super.start();
    }

    @Override
    public void stop() {
        lines.stop();
        super.stop();
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        String text = lines.doLayout(event);
        String prefix = "<" + priority(event.getLevel()) + ">";
        StringBuilder out = new StringBuilder(text.length() + 16);
        int from = 0;
        while (from < text.length()) {
            int nl = text.indexOf('\n', from);
            int end = nl < 0 ? text.length() : nl + 1;
            out.append(prefix).append(text, from, end);
            from = end;
        }
        return out.toString();
    }

    static int priority(Level level) {
        if (level.isGreaterOrEqual(Level.ERROR)) {
            return 3;
        }
        if (level.isGreaterOrEqual(Level.WARN)) {
            return 4;
        }
        return level.isGreaterOrEqual(Level.INFO) ? 6 : 7;
    }

    /** Whether this process's stdout is the journal stream systemd connected (see {@link #isJournal}). */
    static boolean stdoutIsJournal() {
        return isJournal(System.getenv("JOURNAL_STREAM"), Path.of("/proc/self/fd/1"));
    }

    /**
     * systemd sets {@code JOURNAL_STREAM=<device>:<inode>} of the stream it gives a service as stdout/stderr
     * (systemd.exec(5)). A child whose stdout was redirected elsewhere inherits the variable, so it counts only
     * when {@code stdout} (followed to its file or socket) is that device and inode.
     */
    static boolean isJournal(String journalStream, Path stdout) {
        if (journalStream == null) {
            return false;
        }
        int colon = journalStream.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        try {
            long dev = Long.parseUnsignedLong(journalStream.substring(0, colon).trim());
            long ino = Long.parseUnsignedLong(journalStream.substring(colon + 1).trim());
            return ((Number) Files.getAttribute(stdout, "unix:dev")).longValue() == dev
                    && ((Number) Files.getAttribute(stdout, "unix:ino")).longValue() == ino;
        } catch (NumberFormatException | IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
