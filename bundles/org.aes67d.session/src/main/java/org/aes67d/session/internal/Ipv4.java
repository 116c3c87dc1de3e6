package org.aes67d.session.internal;

/** Dotted-quad IPv4 addresses as 32-bit numbers. */
final class Ipv4 {
    private Ipv4() {
    }

    /**
     * The address as an unsigned 32-bit value, or -1 when {@code text} is not a dotted quad (1-3 digits, at most
     * 255, per part). A loop over the characters: every GET /api/sources parses the multicast base per source.
     */
    static long parse(String text) {
        long v = 0;
        int parts = 0;
        int digits = 0;
        int part = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                part = part * 10 + (c - '0');
                if (++digits > 3 || part > 255) {
                    return -1;
                }
            } else if (c == '.' && digits > 0 && parts < 4) {
                v = (v << 8) | part;
                parts++;
                digits = 0;
                part = 0;
            } else {
                return -1;
            }
        }
        return parts == 4 ? v : -1;
    }

    static String format(long v) {
        return ((v >> 24) & 0xFF) + "." + ((v >> 16) & 0xFF) + "." + ((v >> 8) & 0xFF) + "." + (v & 0xFF);
    }

    static boolean isMulticast(long v) {
        return (v >> 28) == 0xE;
    }
}
