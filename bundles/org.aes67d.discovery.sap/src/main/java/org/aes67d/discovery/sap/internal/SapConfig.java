package org.aes67d.discovery.sap.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Fed by the config bridge from daemon.conf (method names are the daemon.conf keys). */
@ObjectClassDefinition(name = "AES67 SAP", description = "SAP (RFC 2974) announcements and browsing")
public @interface SapConfig {
    @AttributeDefinition(description = "SAP group to announce on and listen to")
    String sap_mcast_addr() default "239.255.255.255";

    @AttributeDefinition(description = "Seconds between announcements (0 = RFC 2974 automatic)")
    int sap_interval() default 30;

    @AttributeDefinition(description = "Network interface (the first of two names is used)")
    String interface_name() default "lo";

    @AttributeDefinition(description = "Address to announce from (empty = the interface's first IPv4 address)")
    String ip_addr() default "";

    /**
     * Not a daemon.conf key yet: further groups to listen on, comma-separated (e.g. 224.2.127.254 next to the
     * default 239.255.255.255). Empty here falls back to the framework property {@code org.aes67d.sap.extra_groups}.
     */
    @AttributeDefinition(description = "More SAP groups to listen on, comma-separated (announcements use only sap_mcast_addr)")
    String sap_extra_groups() default "";
}
