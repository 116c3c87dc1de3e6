package org.aes67d.sdp.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/** Reads RFC 7273 {@code ts-refclk} values; anything it does not recognise yields empty/false, never an error. */
public final class RefClock {
    private RefClock() {
    }

    public static Optional<String> grandmaster(String tsRefclk) {
        String[] f = ptpFields(tsRefclk);
        return f.length >= 2 && eui64(f[1]) ? Optional.of(f[1].toUpperCase(Locale.ROOT)) : Optional.empty();
    }

    public static OptionalInt domain(String tsRefclk) {
        String[] f = ptpFields(tsRefclk);
        if (f.length < 3 || !eui64(f[1])) {
            return OptionalInt.empty();
        }
        // AES67 writes the bare number; RFC 7273 also allows "domain-nmbr=N".
        String d = f[2].startsWith("domain-nmbr=") ? f[2].substring(12) : f[2];
        int n = Numbers.parseInt(d, 0, 255);
        return n < 0 ? OptionalInt.empty() : OptionalInt.of(n);
    }

    public static boolean traceable(String tsRefclk) {
        String[] f = ptpFields(tsRefclk);
        // "ptp=IEEE1588-2008:traceable" (RFC 7273) and "ptp=traceable" (seen in the field, flagged by sdpoker).
        return (f.length == 2 && f[1].equalsIgnoreCase("traceable"))
                || (f.length == 1 && f[0].equalsIgnoreCase("traceable"));
    }

    /** The colon-separated fields after {@code ptp=}, or none when the clock is not PTP. */
    private static String[] ptpFields(String tsRefclk) {
        if (tsRefclk == null || !tsRefclk.regionMatches(true, 0, "ptp=", 0, 4)) {
            return new String[0];
        }
        return tsRefclk.substring(4).split(":", -1);
    }

    private static boolean eui64(String s) {
        if (s.length() != 23) {
            return false;
        }
        for (int i = 0; i < 23; i++) {
            char c = s.charAt(i);
            boolean ok = i % 3 == 2 ? c == '-' : Character.digit(c, 16) >= 0 && c < 128;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
