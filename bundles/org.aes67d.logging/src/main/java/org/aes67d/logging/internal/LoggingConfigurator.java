package org.aes67d.logging.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.net.SyslogAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;

/**
 * Applies the daemon's logging configuration (PID org.aes67d.logging) to logback's root logger:
 * level from {@code severity}, one appender chosen by {@code syslog.proto}. Never throws on bad
 * values: anything unusable falls back to stdout and is reported through the log itself.
 */
@Component(configurationPid = LoggingConfigurator.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = LoggingConfig.class)
public class LoggingConfigurator {
    static final String PID = "org.aes67d.logging";
    static final String APPENDER_NAME = "aes67d";
    static final String CONSOLE_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n";

    private static final AtomicBoolean NOT_LOGBACK_REPORTED = new AtomicBoolean();

    /** The configuration values, decoupled from the annotation type so tests can build them. */
    record Settings(int severity, String proto, String server) {
        static Settings of(LoggingConfig c) {
            return new Settings(c.severity(), c.syslog_proto(), c.syslog_server());
        }
    }

    @Activate
    @Modified
    void activate(LoggingConfig config) {
        LoggerContext ctx = logback();
        if (ctx != null) {
            apply(ctx, Settings.of(config), UnixSyslogAppender.DEFAULT_SOCKET);
        }
    }

    /** Leave a plain stdout appender behind so nothing is lost while this bundle is stopped. */
    @Deactivate
    void deactivate() {
        LoggerContext ctx = logback();
        if (ctx != null) {
            replaceRootAppender(ctx, console(ctx), Level.INFO);
        }
    }

    /**
     * Reconfigures the root logger of {@code ctx}.
     *
     * @param localSocket unix socket path for local syslog (a parameter so tests can use a temp path)
     * @return where the output now goes, e.g. "stdout" or "udp syslog 10.0.0.1:514"
     */
    static String apply(LoggerContext ctx, Settings s, String localSocket) {
        String proto = s.proto() == null ? "none" : s.proto().trim();
        Appender<ILoggingEvent> appender = null;
        String target = null;
        String problem = null;
        switch (proto) {
            case "none":
                break;
            case "":
                appender = unixSyslog(ctx, localSocket); // prints its own stderr line when it fails
                target = "local syslog " + localSocket;
                if (appender == null) {
                    problem = "local syslog " + localSocket + " is not usable";
                }
                break;
            case "udp":
                try {
                    String[] hostPort = parseServer(s.server());
                    appender = udpSyslog(ctx, hostPort[0], Integer.parseInt(hostPort[1]));
                    target = "udp syslog " + s.server();
                    if (appender == null) {
                        problem = "cannot send to syslog server '" + s.server() + "' (unknown host?)";
                    }
                } catch (IllegalArgumentException e) {
                    problem = e.getMessage();
                }
                break;
            default:
                problem = "unknown syslog.proto '" + proto + "' (expected none, empty or udp)";
        }
        if (appender == null) {
            boolean journal = JournalLayout.stdoutIsJournal();
            appender = console(ctx, journal);
            target = journal ? "stdout, the systemd journal (lines with their priority)" : "stdout";
        }
        Level level = level(s.severity());
        replaceRootAppender(ctx, appender, level);

        // Reported after the switch, so the message reaches the (fallback) output.
        Logger log = ctx.getLogger(LoggingConfigurator.class);
        if (problem != null) {
            log.error("Logging configuration: {}; logging to stdout instead", problem);
        }
        log.info("Logging to {} at level {}", target, level);
        return target;
    }

    /** severity 0 trace .. 4 error; 5 (fatal) and above are logged as error. */
    static Level level(int severity) {
        switch (severity) {
            case 0: return Level.TRACE;
            case 1: return Level.DEBUG;
            case 2: return Level.INFO;
            case 3: return Level.WARN;
            default: return severity < 0 ? Level.TRACE : Level.ERROR;
        }
    }

    /**
     * Splits "host:port" at the last colon ("[::1]:514" works for IPv6).
     *
     * @throws IllegalArgumentException with a readable message for anything else
     */
    static String[] parseServer(String server) {
        int colon = server == null ? -1 : server.lastIndexOf(':');
        if (colon <= 0 || colon == server.length() - 1) {
            throw new IllegalArgumentException("syslog.server '" + server + "' is not host:port");
        }
        String host = server.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(server.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535 || host.isBlank()) {
            throw new IllegalArgumentException("syslog.server '" + server + "' has no valid host and port (1-65535)");
        }
        return new String[] {host, Integer.toString(port)};
    }

    static ConsoleAppender<ILoggingEvent> console(LoggerContext ctx) {
        return console(ctx, JournalLayout.stdoutIsJournal());
    }

    /** @param journal stdout is the systemd journal: lines carry their priority, {@code <3>} etc. */
    static ConsoleAppender<ILoggingEvent> console(LoggerContext ctx, boolean journal) {
        Encoder<ILoggingEvent> encoder;
        if (journal) {
            JournalLayout layout = new JournalLayout();
            layout.setContext(ctx);
            layout.start();
            LayoutWrappingEncoder<ILoggingEvent> e = new LayoutWrappingEncoder<>();
            e.setContext(ctx);
            e.setLayout(layout);
            e.start();
            encoder = e;
        } else {
            PatternLayoutEncoder e = new PatternLayoutEncoder();
            e.setContext(ctx);
            e.setPattern(CONSOLE_PATTERN);
            e.start();
            encoder = e;
        }
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>(); // target: System.out
        appender.setContext(ctx);
        appender.setName(APPENDER_NAME);
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }

    /** @return the started appender, or null if logback could not start it (e.g. unknown host) */
    private static SyslogAppender udpSyslog(LoggerContext ctx, String host, int port) {
        SyslogAppender appender = new SyslogAppender();
        appender.setContext(ctx);
        appender.setName(APPENDER_NAME);
        appender.setSyslogHost(host);
        appender.setPort(port);
        appender.setFacility("DAEMON");
        // logback writes "<PRI>Mmm dd hh:mm:ss hostname " itself; this is the RFC 3164 tag + text.
        appender.setSuffixPattern("aes67-daemon[" + ProcessHandle.current().pid() + "]: %logger - %msg");
        appender.start();
        return appender.isStarted() ? appender : null;
    }

    private static UnixSyslogAppender unixSyslog(LoggerContext ctx, String socketPath) {
        UnixSyslogAppender appender = new UnixSyslogAppender();
        appender.setContext(ctx);
        appender.setName(APPENDER_NAME);
        appender.setSocketPath(socketPath);
        appender.start();
        return appender.isStarted() ? appender : null;
    }

    /** Attaches the new appender before detaching the old ones, so no event falls in between. */
    private static void replaceRootAppender(LoggerContext ctx, Appender<ILoggingEvent> next, Level level) {
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        List<Appender<ILoggingEvent>> old = new ArrayList<>();
        root.iteratorForAppenders().forEachRemaining(old::add);
        root.addAppender(next);
        root.setLevel(level);
        // jmDNS (embedded in the mDNS bundle) logs every malformed packet at WARN with a stack trace: megabytes a
        // minute under a flood. The mDNS bundle counts them and logs a summary line instead.
        ctx.getLogger("javax.jmdns").setLevel(Level.ERROR);
        for (Appender<ILoggingEvent> a : old) {
            root.detachAppender(a);
            a.stop();
        }
    }

    private static LoggerContext logback() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext) {
            return (LoggerContext) factory;
        }
        if (NOT_LOGBACK_REPORTED.compareAndSet(false, true)) {
            LoggerFactory.getLogger(LoggingConfigurator.class).warn(
                    "SLF4J provider is {}, not logback: logging configuration (PID {}) is ignored",
                    factory.getClass().getName(), PID);
        }
        return null;
    }
}
