package org.aes67d.logging.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Logging settings, pushed by the config bridge under PID org.aes67d.logging (editable in the Web Console). */
@ObjectClassDefinition(name = "AES67 daemon logging",
        description = "Log level and destination (stdout, local syslog or remote syslog over UDP).")
public @interface LoggingConfig {

    @AttributeDefinition(name = "Severity", type = AttributeType.INTEGER,
            description = "Lowest severity that is logged. Fatal is logged as error.",
            options = {
                @Option(value = "0", label = "trace"),
                @Option(value = "1", label = "debug"),
                @Option(value = "2", label = "info"),
                @Option(value = "3", label = "warning"),
                @Option(value = "4", label = "error"),
                @Option(value = "5", label = "fatal")
            })
    int severity() default 2;

    // "_" maps to "." in the property name: syslog.proto
    @AttributeDefinition(name = "Syslog protocol", required = false,
            description = "'none' logs to stdout, empty logs to the local syslog (/dev/log), 'udp' sends to the syslog server.",
            options = {
                @Option(value = "none", label = "none (stdout)"),
                @Option(value = "", label = "local syslog (/dev/log)"),
                @Option(value = "udp", label = "remote syslog over UDP")
            })
    String syslog_proto() default "none";

    @AttributeDefinition(name = "Syslog server",
            description = "host:port of the remote syslog server, used only when the protocol is udp.")
    String syslog_server() default "255.255.255.254:1234";
}
