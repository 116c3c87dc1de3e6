package org.aes67d.discovery.sap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class SapIntervalTest {
    @Test
    void neverBelowFiveMinutes() {
        assertEquals(300, SapInterval.baseSeconds(1, 500));
        assertEquals(300, SapInterval.baseSeconds(0, 0));
        // 150 ads of 1000 bytes = 1.2 Mbit: 300 s at 4000 bit/s, the break-even point
        assertEquals(300, SapInterval.baseSeconds(150, 1000));
    }

    @Test
    void growsWithTheLoadOnTheGroup() {
        assertEquals(2000, SapInterval.baseSeconds(1000, 1000));
        assertEquals(400, SapInterval.baseSeconds(200, 1000));
    }

    @Test
    void randomOffsetWithinAThirdOnBothSides() {
        Random r = new Random(7);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 10_000; i++) {
            long ms = SapInterval.randomizedMillis(300, r);
            min = Math.min(min, ms);
            max = Math.max(max, ms);
        }
        assertTrue(min >= 200_000 && max <= 400_000, min + ".." + max);
        assertTrue(min < 210_000 && max > 390_000, "the whole range is used: " + min + ".." + max);
    }
}
