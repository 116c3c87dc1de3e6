package org.aes67d.logging.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;

/**
 * Sends RFC 3164 style lines to the local syslog daemon over a unix datagram socket
 * ({@code /dev/log} by default), e.g. {@code <30>Mar  7 14:02:11 aes67-daemon[812]: org.x.Foo - started}.
 * <p>
 * If the socket cannot be opened, {@link #start()} prints one line to stderr and leaves the appender
 * stopped so the caller can use stdout instead. A failing send is retried once on a fresh socket (the
 * syslog daemon may have restarted), otherwise the line goes to stdout. Nothing is thrown into the
 * logging call.
 */
public class UnixSyslogAppender extends AppenderBase<ILoggingEvent> {
    static final int FACILITY_DAEMON = 3;
    static final String DEFAULT_SOCKET = "/dev/log";

    // "ppd": day of month padded with a space to two characters, as RFC 3164 wants ("Mar  7").
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);

    private final String tag = "aes67-daemon[" + ProcessHandle.current().pid() + "]: ";
    private String socketPath = DEFAULT_SOCKET;
    private int fd = -1;
    private boolean sendFailureReported;

    public String getSocketPath() {
        return socketPath;
    }

    public void setSocketPath(String socketPath) {
        this.socketPath = socketPath;
    }

    @Override
    public void start() {
        String error = open();
        if (error != null) {
            System.err.println("aes67d logging: local syslog " + socketPath + " unusable (" + error + "), logging to stdout");
            return;
        }
        super.start();
    }

    // Same monitor as AppenderBase.doAppend, so the socket is not closed under a send in progress.
    @Override
    public synchronized void stop() {
        super.stop();
        closeSocket();
    }

    @Override
    protected void append(ILoggingEvent event) {
        String line = format(event);
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        if (send(bytes)) {
            return;
        }
        closeSocket();
        if (open() == null && send(bytes)) {
            sendFailureReported = false;
            return;
        }
        if (!sendFailureReported) {
            sendFailureReported = true;
            System.err.println("aes67d logging: sending to " + socketPath + " failed, writing to stdout until it works again");
        }
        System.out.println(line.substring(line.indexOf('>') + 1)); // the <PRI> prefix means nothing on a terminal
    }

    /** The datagram text, without trailing newline (syslog daemons add their own framing). */
    String format(ILoggingEvent event) {
        StringBuilder sb = new StringBuilder(160);
        sb.append('<').append(FACILITY_DAEMON * 8 + severity(event.getLevel())).append('>');
        STAMP.formatTo(Instant.ofEpochMilli(event.getTimeStamp()).atZone(ZoneId.systemDefault()), sb);
        sb.append(' ').append(tag).append(event.getLoggerName()).append(" - ").append(event.getFormattedMessage());
        IThrowableProxy t = event.getThrowableProxy();
        if (t != null) { // one line only; full stack traces belong to stdout/debugging
            sb.append(" (").append(t.getClassName()).append(": ").append(t.getMessage()).append(')');
        }
        return sb.toString();
    }

    /** Syslog severity: 3 error, 4 warning, 6 informational, 7 debug. */
    static int severity(Level level) {
        switch (level.toInt()) {
            case Level.ERROR_INT: return 3;
            case Level.WARN_INT: return 4;
            case Level.INFO_INT: return 6;
            default: return 7;
        }
    }

    /** @return null on success, otherwise why the socket could not be opened */
    private String open() {
        try {
            LibC.SockaddrUn addr = new LibC.SockaddrUn(socketPath);
            LibC libc = LibC.INSTANCE;
            int s = libc.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM, 0);
            try {
                libc.connect(s, addr, addr.size());
            } catch (LastErrorException e) {
                libc.close(s);
                throw e;
            }
            fd = s;
            return null;
        } catch (LastErrorException | IllegalArgumentException e) {
            return e.getMessage();
        } catch (LinkageError e) { // JNA or its native part not available on this platform
            return "JNA unavailable: " + e;
        }
    }

    private boolean send(byte[] bytes) {
        if (fd < 0) {
            return false;
        }
        try {
            LibC.INSTANCE.send(fd, bytes, new NativeLong(bytes.length), 0);
            return true;
        } catch (LastErrorException e) {
            return false;
        }
    }

    private void closeSocket() {
        if (fd >= 0) {
            LibC.INSTANCE.close(fd);
            fd = -1;
        }
    }
}
