package org.aes67d.config.internal;

/** Strict dotted-quad parsing (InetAddress would accept host names and odd forms such as "1.2"). */
final class Ipv4 {
    private Ipv4() {
    }

    /** The four bytes of a dotted-quad address, or null if {@code text} is not one. */
    static byte[] parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }
}
