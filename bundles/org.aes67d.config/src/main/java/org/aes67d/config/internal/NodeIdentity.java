package org.aes67d.config.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Address, MAC and node id of the daemon, derived from the configured interface as the C++ daemon does.
 *
 * @param ipAddr dotted quad of the address in use
 * @param macAddr colon-separated MAC, all zeros when the interface has none (loopback)
 * @param nodeId custom node id, or "Daemon " + hex of the address bytes in the order b, a, d, c
 */
public record NodeIdentity(String ipAddr, String macAddr, String nodeId) {

    /** Derives the identity; {@code preferredIp} wins when it is one of the interface's IPv4 addresses. */
    public static NodeIdentity of(String interfaceNames, String preferredIp, String customNodeId)
            throws SocketException {
        String[] names = interfaceNames.split(",", -1);
        String primary = names[0].trim();
        if (names.length > 1) {
            secondaryAddress(names[1].trim()); // ST 2022-7: the second network must be there too
        }
        NetworkInterface nif = NetworkInterface.getByName(primary);
        if (nif == null) {
            throw new SocketException("no network interface named '" + primary + "'");
        }
        List<String> addresses = new ArrayList<>();
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
            if (a instanceof Inet4Address) {
                addresses.add(a.getHostAddress());
            }
        }
        if (addresses.isEmpty()) {
            throw new SocketException("network interface '" + primary + "' has no IPv4 address");
        }
        String ip = addresses.contains(preferredIp) ? preferredIp : addresses.get(0);
        byte[] mac = nif.getHardwareAddress();
        return new NodeIdentity(ip, formatMac(mac), customNodeId.isEmpty() ? derivedNodeId(ip) : customNodeId);
    }

    /** The first IPv4 address of the ST 2022-7 secondary interface; refuses a missing interface or address. */
    static String secondaryAddress(String name) throws SocketException {
        NetworkInterface nif = name.isEmpty() ? null : NetworkInterface.getByName(name);
        if (nif == null) {
            throw new SocketException("no network interface named '" + name + "' (the secondary, ST 2022-7)");
        }
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
            if (a instanceof Inet4Address) {
                return a.getHostAddress();
            }
        }
        throw new SocketException("network interface '" + name + "' (the secondary, ST 2022-7) has no IPv4 address");
    }

    /** "Daemon " + 8 lower-case hex digits of bytes b, a, d, c of a.b.c.d (127.0.0.1 gives "Daemon 007f0100"). */
    public static String derivedNodeId(String ip) {
        byte[] a = Ipv4.parse(ip);
        return String.format("Daemon %02x%02x%02x%02x", a[1] & 0xFF, a[0] & 0xFF, a[3] & 0xFF, a[2] & 0xFF);
    }

    static String formatMac(byte[] mac) {
        if (mac == null || mac.length != 6) {
            return "00:00:00:00:00:00";
        }
        StringBuilder sb = new StringBuilder();
        for (byte b : mac) {
            if (sb.length() > 0) {
                sb.append(':');
            }
            sb.append(String.format("%02x", b & 0xFF));
        }
        return sb.toString();
    }
}
