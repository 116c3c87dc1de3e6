package org.aes67d.ptp.internal.message;

/** Conversions between PTP timestamps (48-bit seconds + ns), ns longs and clock identity texts. */
public final class Timestamps {
    public static final long NS_PER_S = 1_000_000_000L;
    /** Largest seconds value whose ns count fits a long (year 2262 on the PTP epoch). */
    private static final long MAX_SECONDS = Long.MAX_VALUE / NS_PER_S - 1;

    private Timestamps() {
    }

    /** @return ns since the epoch, or {@link Long#MIN_VALUE} if the value does not fit a long */
    public static long toNanos(long seconds, int nanos) {
        if (seconds < 0 || seconds > MAX_SECONDS || nanos < 0 || nanos >= NS_PER_S) {
            return Long.MIN_VALUE;
        }
        return seconds * NS_PER_S + nanos;
    }

    /** Clock identity as {@code XX-XX-XX-XX-XX-XX-XX-XX} (the REST API's and SDP's form). */
    public static String identityText(long id) {
        StringBuilder sb = new StringBuilder(23);
        for (int shift = 56; shift >= 0; shift -= 8) {
            int v = (int) (id >>> shift) & 0xFF;
            sb.append(Character.toUpperCase(Character.forDigit(v >> 4, 16)))
              .append(Character.toUpperCase(Character.forDigit(v & 0xF, 16)));
            if (shift > 0) {
                sb.append('-');
            }
        }
        return sb.toString();
    }

    /**
     * EUI-64 clock identity from a 48-bit MAC (7.5.2.2.2: OUI, then FF-FE, then the rest).
     *
     * @return 0 if the MAC is missing or all zeros (loopback)
     */
    public static long identityFromMac(byte[] mac) {
        if (mac == null || mac.length != 6) {
            return 0;
        }
        boolean zero = true;
        for (byte x : mac) {
            zero &= x == 0;
        }
        if (zero) {
            return 0;
        }
        long id = 0;
        for (int i = 0; i < 3; i++) {
            id = (id << 8) | (mac[i] & 0xFF);
        }
        id = (id << 16) | 0xFFFE;
        for (int i = 3; i < 6; i++) {
            id = (id << 8) | (mac[i] & 0xFF);
        }
        return id;
    }
}
