package org.aes67d.driver.netlink.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The netlink driver's settings: {@code driver} (PID {@code org.aes67d.netlink}), the daemon.conf keys the C++
 * daemon gives the module (from the driver, PTP and session records the config bridge fills), and the transport
 * (PID {@code org.aes67d.netlink.transport}, e.g. {@code deploy/org.aes67d.netlink.transport.cfg}).
 */
@ObjectClassDefinition(name = "aes67d netlink driver",
        description = "sources, sinks and PTP on the Merging RAVENNA/AES67 kernel module")
public @interface NetlinkConfig {
    @AttributeDefinition(description = "auto: the module while it answers, else the user-space driver; "
            + "netlink: always the module (errors while it is away); userspace: never the module",
            options = {@Option(value = "auto", label = "auto"), @Option(value = "netlink", label = "netlink"),
                @Option(value = "userspace", label = "userspace")})
    String driver() default "auto";

    @AttributeDefinition(description = "netlink: the kernel (AF_NETLINK); simulated or simulated-abi1: a "
            + "simulated module in the daemon (driver 2.x or 1.x layout), for working without the module")
    String transport() default "netlink";

    @AttributeDefinition(description = "network interface(s) given to the module (two names: ST 2022-7)")
    String interface_name() default "lo";

    @AttributeDefinition(description = "preferred own IPv4 address")
    String ip_addr() default "";

    @AttributeDefinition(description = "sample rate applied when PTP locks")
    int sample_rate() default 48000;

    @AttributeDefinition(description = "TIC frame size at 1FS (module range 1..192)")
    int tic_frame_size_at_1fs() default 48;

    @AttributeDefinition(description = "largest TIC frame size (module range tic..1024)")
    int max_tic_frame_size() default 1024;

    @AttributeDefinition(description = "playout delay in samples (at most 4000)")
    int playout_delay() default 0;

    @AttributeDefinition(description = "PTP domain of the module's clock")
    int ptp_domain() default 0;

    @AttributeDefinition(description = "DSCP of the module's PTP packets")
    int ptp_dscp() default 48;

    @AttributeDefinition(description = "run with unlocked|locking|locked on every PTP state change of the module")
    String ptp_status_script() default "./scripts/ptp_status.sh";

    @AttributeDefinition(description = "reply timeout in ms (the C++ daemon: 1000)")
    int netlink_timeout_ms() default 1000;

    @AttributeDefinition(description = "PTP status poll interval in ms (the C++ daemon: about 10 000)")
    int netlink_poll_ms() default 10_000;

    @AttributeDefinition(description = "interval in ms of Hello attempts while the module is away")
    int netlink_retry_ms() default 2000;

    @AttributeDefinition(description = "auto: interval in ms at which the user-space driver looks for the module "
            + "(/sys/module/MergingRavennaALSA, then a Hello)")
    int netlink_probe_ms() default 5000;

    @AttributeDefinition(description = "auto: how long in ms the module may stay silent before the user-space "
            + "driver takes over again")
    int netlink_fallback_ms() default 6000;

    @AttributeDefinition(description = "simulated transport only: whether the simulated module is loaded "
            + "(false plays rmmod, true insmod)")
    boolean simulated_loaded() default true;
}
