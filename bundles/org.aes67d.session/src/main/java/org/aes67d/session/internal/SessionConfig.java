package org.aes67d.session.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Fed by the config bridge from daemon.conf (method names are the daemon.conf keys). */
@ObjectClassDefinition(name = "AES67 sessions", description = "Sources, sinks and the status file")
public @interface SessionConfig {
    @AttributeDefinition(description = "File holding sources and sinks (empty = none)")
    String status_file() default "./status.json";

    @AttributeDefinition(description = "Node name used in SDP s= lines")
    String node_id() default "";

    @AttributeDefinition(description = "Local IPv4 address used in SDP o= and source-filter")
    String ip_addr() default "127.0.0.1";

    @AttributeDefinition(description = "Multicast address of source 0; source N gets this + N")
    String rtp_mcast_base() default "239.1.0.1";

    @AttributeDefinition(description = "RTP port of sources")
    int rtp_port() default 5004;

    @AttributeDefinition(description = "Network interface; two comma-separated names enable ST 2022-7")
    String interface_name() default "lo";

    @AttributeDefinition(description = "Multicast address of source 0 on the secondary network (ST 2022-7)")
    String rtp_mcast_base_sec() default "239.1.0.1";

    @AttributeDefinition(description = "RTP port of sources on the secondary network (ST 2022-7)")
    int rtp_port_sec() default 5004;

    @AttributeDefinition(description = "Sample rate of sources")
    int sample_rate() default 48000;

    @AttributeDefinition(description = "PTP domain written into SDP")
    int ptp_domain() default 0;

    @AttributeDefinition(description = "Re-create a sink when the source it was made from announces a new SDP")
    boolean auto_sinks_update() default true;

    @AttributeDefinition(description = "Folder that file: and pipe: streams are confined to")
    String media_dir() default "./media";
}
