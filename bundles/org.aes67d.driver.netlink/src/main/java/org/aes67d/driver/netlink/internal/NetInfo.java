package org.aes67d.driver.netlink.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/**
 * What the module needs to know about the NIC: its IPv4 (host order, as the module wants it), its MAC, and the MAC
 * of a unicast destination (from the ARP table, as the C++ daemon does).
 *
 * @param ip own IPv4 as a host-order integer, 0 when the interface has none
 * @param mac 6 bytes, zeros when the interface has none (loopback)
 */
record NetInfo(int ip, byte[] mac) {
    private static final byte[] NO_MAC = new byte[6];

    /** The first interface of a comma list; its preferred address when it has it, else its first IPv4. */
    static NetInfo of(String interfaceNames, String preferredIp) {
        String name = interfaceNames.split(",", -1)[0].trim();
        try {
            NetworkInterface nif = NetworkInterface.getByName(name);
            if (nif == null) {
                return new NetInfo(0, NO_MAC);
            }
            int ip = 0;
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet4Address) {
                    int v = toInt(a.getAddress());
                    if (ip == 0 || a.getHostAddress().equals(preferredIp)) {
                        ip = v;
                    }
                }
            }
            byte[] mac = nif.getHardwareAddress();
            return new NetInfo(ip, mac == null || mac.length != 6 ? NO_MAC : mac);
        } catch (SocketException e) {
            return new NetInfo(0, NO_MAC);
        }
    }

    static int toInt(byte[] a) {
        return (a[0] & 0xFF) << 24 | (a[1] & 0xFF) << 16 | (a[2] & 0xFF) << 8 | (a[3] & 0xFF);
    }

    /** Dotted IPv4 to a host-order integer; null when it is not one. */
    static Integer parseIpv4(String s) {
        String[] p = s.trim().split("\\.", -1);
        if (p.length != 4) {
            return null;
        }
        int v = 0;
        for (String x : p) {
            if (x.isEmpty() || x.length() > 3 || !x.chars().allMatch(Character::isDigit) || Integer.parseInt(x) > 255) {
                return null;
            }
            v = v << 8 | Integer.parseInt(x);
        }
        return v;
    }

    static boolean isMulticast(int ip) {
        return (ip >>> 28) == 0xE;
    }

    /** {@code 01:00:5E} and the low 23 bits of the group. */
    static byte[] multicastMac(int group) {
        return new byte[] {1, 0, 0x5E, (byte) ((group >> 16) & 0x7F), (byte) (group >> 8), (byte) group};
    }

    /** The MAC of a unicast neighbour from {@code /proc/net/arp}, or zeros when it is not there yet. */
    static byte[] arpMac(int ip) {
        String dotted = (ip >>> 24) + "." + ((ip >> 16) & 0xFF) + "." + ((ip >> 8) & 0xFF) + "." + (ip & 0xFF);
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/arp"));
            for (String line : lines) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && f[0].equals(dotted)) {
                    String[] h = f[3].split(":");
                    if (h.length == 6) {
                        byte[] mac = new byte[6];
                        for (int i = 0; i < 6; i++) {
                            mac[i] = (byte) Integer.parseInt(h[i], 16);
                        }
                        return mac;
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no ARP table or an odd line: zeros, the module then sends to no MAC
        }
        return NO_MAC.clone();
    }
}
