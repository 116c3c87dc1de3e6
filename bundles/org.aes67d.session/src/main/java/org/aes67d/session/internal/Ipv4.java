package org.aes67d.session.internal;

/** Dotted-quad IPv4 addresses as 32-bit numbers. */
final class Ipv4 {
    private Ipv4() {
    }

    /** The address as an unsigned 32-bit value, or -1 when {@code text} is not a dotted quad. */
    static long parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return -1;
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return -1;
            }
            int b = Integer.parseInt(p);
            if (b > 255) {
                return -1;
            }
            v = (v << 8) | b;
        }
        return v;
    }

    static String format(long v) {
        return ((v >> 24) & 0xFF) + "." + ((v >> 16) & 0xFF) + "." + ((v >> 8) & 0xFF) + "." + (v & 0xFF);
    }

    static boolean isMulticast(long v) {
        return (v >> 28) == 0xE;
    }
}
