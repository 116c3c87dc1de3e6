package org.aes67d.rtsp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Fed by the config bridge from daemon.conf (method names are the daemon.conf keys). */
@ObjectClassDefinition(name = "AES67 RTSP server", description = "DESCRIBE of local sources; ANNOUNCE on change")
public @interface RtspConfig {
    @AttributeDefinition(description = "TCP port of the RTSP server")
    int rtsp_port() default 8854;

    @AttributeDefinition(description = "Network interface (the first of two names is used)")
    String interface_name() default "lo";

    @AttributeDefinition(description = "Address in ANNOUNCE URLs (empty = the interface's first IPv4 address)")
    String ip_addr() default "";

    @AttributeDefinition(description = "Node name (read-only, derived)")
    String node_id() default "";
}
