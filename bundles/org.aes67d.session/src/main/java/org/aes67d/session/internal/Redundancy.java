package org.aes67d.session.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/**
 * ST 2022-7 as the session manager sees it: on when {@code interface_name} names two interfaces (compat.md
 * section 2) and the second one has an IPv4 address (the config bundle refuses a pair whose second is missing, so
 * an address gone later only turns redundancy off, as in the C++ daemon).
 */
final class Redundancy {
    private Redundancy() {
    }

    /** The first IPv4 address of the secondary interface, or null when redundancy is off. */
    static String secondaryIp(SessionConfig c) {
        String[] names = c.interface_name().split(",", -1);
        if (names.length < 2 || names[1].isBlank()) {
            return null;
        }
        try {
            NetworkInterface nif = NetworkInterface.getByName(names[1].trim());
            if (nif != null) {
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            // no such interface: a single leg
        }
        return null;
    }

    /**
     * The secondary destination of a source, as the C++ daemon picks it: {@code rtp_mcast_base_sec + id}, or the
     * source's own address when it has one (the same group on the other network).
     */
    static String secondaryAddress(SessionConfig c, String ownAddress, int id) {
        if (!ownAddress.isEmpty()) {
            return ownAddress;
        }
        return Ipv4.format((Ipv4.parse(c.rtp_mcast_base_sec()) + id) & 0xFFFFFFFFL);
    }
}
