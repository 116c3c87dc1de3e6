package org.aes67d.nmos.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Fed by the config bridge from daemon.conf (method names are the daemon.conf keys). */
@ObjectClassDefinition(name = "AES67 NMOS node", description = "IS-04 Node API and registration, IS-05 Connection API")
public @interface NmosConfig {
    @AttributeDefinition(description = "Run the NMOS node")
    boolean nmos_enabled() default false;

    @AttributeDefinition(description = "Registry host, used when DNS-SD finds none")
    String nmos_registry_address() default "127.0.0.1";

    @AttributeDefinition(description = "Registry port, used when DNS-SD finds none")
    int nmos_registry_port() default 3210;

    @AttributeDefinition(description = "Port of the Node API and the Connection API")
    int nmos_node_port() default 3218;

    @AttributeDefinition(description = "Label of the node and its device")
    String nmos_label() default "AES67 Daemon";

    @AttributeDefinition(description = "Browse DNS-SD for registries (_nmos-register._tcp) before the configured one")
    boolean nmos_dns_sd() default true;

    @AttributeDefinition(description = "Network interface (the first of two names is used)")
    String interface_name() default "lo";

    @AttributeDefinition(description = "Address to advertise (empty = the interface's first IPv4 address)")
    String ip_addr() default "";

    @AttributeDefinition(description = "MAC address of the interface (read-only, derived)")
    String mac_addr() default "00:00:00:00:00:00";

    @AttributeDefinition(description = "Node name (read-only, derived)")
    String node_id() default "";
}
