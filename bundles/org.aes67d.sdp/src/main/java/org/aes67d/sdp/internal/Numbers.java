package org.aes67d.sdp.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Strict number parsing (no signs, no exponents, no overflow) and the two decimal formats we write. */
public final class Numbers {
    private static final MathContext TWELVE_DIGITS = new MathContext(12, RoundingMode.HALF_EVEN);

    private Numbers() {
    }

    /** Plain ASCII decimal within [min, max] (min >= 0), or -1. At most 9 digits, so it never overflows. */
    public static int parseInt(String s, int min, int max) {
        if (s.isEmpty() || s.length() > 9 || !digits(s)) {
            return -1;
        }
        int v = Integer.parseInt(s);
        return v >= min && v <= max ? v : -1;
    }

    /** Positive decimal like {@code 1}, {@code 0.125} or {@code .5} with at most 6 integer digits, or -1. */
    public static double parsePositiveDecimal(String s) {
        int dot = s.indexOf('.');
        String whole = dot < 0 ? s : s.substring(0, dot);
        String frac = dot < 0 ? "" : s.substring(dot + 1);
        boolean ok = whole.length() <= 6 && digits(whole) && frac.length() <= 17 && digits(frac)
                && (dot < 0 ? !whole.isEmpty() : !frac.isEmpty());
        if (!ok) {
            return -1;
        }
        double v = Double.parseDouble(s);
        return v > 0 ? v : -1;
    }

    /** u32 value of an IPv4 dotted quad, or -1. */
    public static long ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return -1;
        }
        long v = 0;
        for (String p : parts) {
            int octet = p.length() <= 3 ? parseInt(p, 0, 255) : -1;
            if (octet < 0) {
                return -1;
            }
            v = (v << 8) | octet;
        }
        return v;
    }

    /**
     * Like C++ {@code std::ostream} with precision 12 in default float format ({@code %.12g}) for values that need
     * no exponent: 12 significant digits, trailing zeros dropped. Rounds the exact binary value half-even like glibc.
     */
    public static String formatG12(double v) {
        return new BigDecimal(v).round(TWELVE_DIGITS).stripTrailingZeros().toPlainString();
    }

    /** Shortest text that parses back to the same double, without exponent or trailing zeros. */
    public static String formatExact(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
