package org.aes67d.ptp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * PTP settings, PID org.aes67d.ptp ("_" maps to "." in the property name: ptp_domain reads ptp.domain).
 * The config bridge fills domain, DSCP, status script, interface and addresses from daemon.conf; the
 * other attributes are ours and keep their defaults unless set in Configuration Admin.
 */
@ObjectClassDefinition(name = "AES67 daemon PTP", description = "IEEE 1588-2008 ordinary clock (UDP/IPv4, E2E)")
public @interface PtpConfig {

    @AttributeDefinition(name = "Domain", min = "0", max = "127", description = "PTP domain number; changes live")
    int ptp_domain() default 0;

    @AttributeDefinition(name = "DSCP", min = "0", max = "63",
            description = "DSCP of sent PTP packets (AES67: 46 EF or 48 CS6); changes live")
    int ptp_dscp() default 48;

    @AttributeDefinition(name = "Status script", required = false,
            description = "run with unlocked|locking|locked on every lock state change, if executable")
    String ptp_status_script() default "./scripts/ptp_status.sh";

    @AttributeDefinition(name = "Interface", description = "network interface; of a 2022-7 pair the first is used")
    String interface_name() default "lo";

    @AttributeDefinition(name = "IP address", required = false,
            description = "preferred IPv4 address of the interface (empty: its first)")
    String ip_addr() default "";

    @AttributeDefinition(name = "MAC address", required = false,
            description = "MAC of the interface, source of the EUI-64 clock identity (zeros: taken from the "
                    + "interface, else random)")
    String mac_addr() default "00:00:00:00:00:00";

    @AttributeDefinition(name = "Mode", options = {
        @Option(value = "slave", label = "slave only (like the C++ daemon)"),
        @Option(value = "auto", label = "auto: grandmaster when no better master is heard"),
        @Option(value = "master", label = "master: always grandmaster")
    })
    String ptp_mode() default "slave";

    @AttributeDefinition(name = "Timestamps", options = {
        @Option(value = "kernel", label = "kernel software timestamps (SO_TIMESTAMPING), user-space if unavailable"),
        @Option(value = "user", label = "user space: System.nanoTime() next to the socket call")
    })
    String ptp_timestamping() default "kernel";

    @AttributeDefinition(name = "Priority 1", min = "-1", max = "255",
            description = "announced when grandmaster; -1: 248 in auto mode, 128 in master mode")
    int ptp_priority1() default -1;

    @AttributeDefinition(name = "Priority 2", min = "0", max = "255", description = "announced when grandmaster")
    int ptp_priority2() default 128;

    @AttributeDefinition(name = "log2 Sync interval", min = "-7", max = "4", description = "as master; -3 = 8/s")
    int ptp_log_sync_interval() default -3;

    @AttributeDefinition(name = "log2 Announce interval", min = "-3", max = "4",
            description = "as master; 1 = every 2 s")
    int ptp_log_announce_interval() default 1;

    @AttributeDefinition(name = "log2 min Delay_Req interval", min = "-7", max = "5",
            description = "as master (announced in Delay_Resp); a slave uses the master's; 0 = 1/s")
    int ptp_log_min_delay_req_interval() default 0;

    @AttributeDefinition(name = "Announce receipt timeout", min = "2", max = "10",
            description = "in announce intervals; the resulting time is capped at 5 s")
    int ptp_announce_receipt_timeout() default 3;

    @AttributeDefinition(name = "Lock threshold (ns)", min = "1",
            description = "|offset| under which the slave counts towards locked")
    long ptp_lock_threshold_ns() default 10_000;

    @AttributeDefinition(name = "Lock samples", min = "1",
            description = "consecutive samples under the threshold to become locked; once locked, only a step "
                    + "(an offset over 1 ms) unlocks")
    int ptp_lock_samples() default 8;
}
