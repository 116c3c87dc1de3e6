package org.aes67d.discovery.mdns.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Fed by the config bridge from daemon.conf (method names are the daemon.conf keys). */
@ObjectClassDefinition(name = "AES67 mDNS / RAVENNA", description = "Publishes sources, sinks and the node; browses RAVENNA sessions")
public @interface MdnsConfig {
    @AttributeDefinition(description = "Publish and browse over mDNS")
    boolean mdns_enabled() default true;

    @AttributeDefinition(description = "Port of the RTSP server the published sessions point at")
    int rtsp_port() default 8854;

    @AttributeDefinition(description = "Network interface (the first of two names is used)")
    String interface_name() default "lo";

    @AttributeDefinition(description = "Address to answer with (empty = the interface's first IPv4 address)")
    String ip_addr() default "";

    @AttributeDefinition(description = "Node name (read-only, derived)")
    String node_id() default "";
}
