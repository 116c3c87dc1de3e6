package org.aes67d.sdp;

import java.util.Objects;
import org.aes67d.sdp.internal.Numbers;

/**
 * A {@code c=} line.
 *
 * @param address IPv4 dotted quad or IPv6 address
 * @param ttl multicast TTL from {@code /ttl}, 0 when absent (always 0 for IPv6, where the suffix is no TTL)
 */
public record Connection(String address, int ttl) {
    public Connection {
        Objects.requireNonNull(address, "address");
        if (ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("ttl out of 0..255: " + ttl);
        }
    }

    /** {@code IP6} when the address contains a colon, else {@code IP4}. */
    public String addressType() {
        return address.indexOf(':') >= 0 ? "IP6" : "IP4";
    }

    /** True for 224.0.0.0/4 and ff00::/8. */
    public boolean multicast() {
        if (address.indexOf(':') >= 0) {
            return address.regionMatches(true, 0, "ff", 0, 2);
        }
        long ip = Numbers.ipv4(address);
        return ip >= 0 && (ip >>> 28) == 0xE;
    }
}
