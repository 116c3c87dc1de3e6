package org.aes67d.discovery.sap.internal;

import java.util.List;

/**
 * Everything the SAP engine needs, resolved from the component configuration.
 *
 * @param group the announcement group ({@code sap_mcast_addr})
 * @param extraGroups more groups to listen on (never announced to)
 * @param port UDP port, 9875 outside tests
 * @param interfaceName the interface to send and join on (the first of {@code interface_name})
 * @param ipAddr the address to send from and to write as origin; "" = the interface's first IPv4 address
 * @param intervalSeconds {@code sap_interval}, 0 = RFC 2974 automatic
 */
record SapSettings(String group, List<String> extraGroups, int port, String interfaceName, String ipAddr,
        int intervalSeconds) {
    static final int SAP_PORT = 9875;

    SapSettings {
        extraGroups = List.copyOf(extraGroups);
    }

    /** Same sockets: only the interval differs. */
    boolean sameNetwork(SapSettings o) {
        return group.equals(o.group) && extraGroups.equals(o.extraGroups) && port == o.port
                && interfaceName.equals(o.interfaceName) && ipAddr.equals(o.ipAddr);
    }
}
