package org.aes67d.discovery.sap.internal;

import java.util.random.RandomGenerator;

/**
 * RFC 2974 section 3.1 announcement interval, used when {@code sap_interval} is 0: the base interval grows with
 * the number of announcements on the group so that together they stay under 4000 bit/s, and is never below 300 s;
 * each transmission is then moved by a random offset of up to a third of the base, so announcers do not
 * synchronise.
 */
final class SapInterval {
    static final int BANDWIDTH_LIMIT_BPS = 4000;
    static final long MIN_INTERVAL_SECONDS = 300;

    private SapInterval() {
    }

    /** {@code max(300, 8 * adsOnGroup * adSizeBytes / 4000)} seconds. */
    static long baseSeconds(int adsOnGroup, int adSizeBytes) {
        long bits = 8L * Math.max(1, adsOnGroup) * Math.max(0, adSizeBytes);
        return Math.max(MIN_INTERVAL_SECONDS, bits / BANDWIDTH_LIMIT_BPS);
    }

    /** The base plus a uniform offset in [-base/3, +base/3], in milliseconds. */
    static long randomizedMillis(long baseSeconds, RandomGenerator random) {
        long baseMillis = baseSeconds * 1000;
        long third = baseMillis / 3;
        return baseMillis - third + random.nextLong(2 * third + 1);
    }
}
