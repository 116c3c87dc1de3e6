package org.aes67d.driver.userspace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The catch-up pace on its own, driven by media positions the test chooses (no clock, no thread, so no host
 * stall can touch it): an on-time stream is never held, a backlog leaves at exactly SPEED x real time, and a
 * late wake-up sends at most the credit at once.
 */
class CatchUpTest {
    private static final long T0 = 48_000L * 1_700_000_000L; // a media position like PTP time's

    /** Packets that leave at once at a fresh start or after a long wait: the credit plus the packet itself. */
    private static int burst(int rate, int fpp) {
        return (int) (Math.max(fpp, (long) rate * CatchUp.BURST_MILLIS / 1000) / fpp) + 1;
    }

    @ParameterizedTest(name = "{0} Hz, {1} frames")
    @CsvSource({"48000, 6", "48000, 48", "48000, 192", "44100, 48", "96000, 12"})
    void anOnTimeStreamIsNeverHeld(int rate, int fpp) {
        CatchUp c = new CatchUp(rate, fpp);
        for (long m = T0; m < T0 + rate * 2L; m += fpp) {
            assertTrue(c.allows(m), "packet at " + (m - T0));
            c.sent(m);
            assertTrue(c.nextAllowed() <= m + fpp, "the next on-time packet is not held");
        }
    }

    @ParameterizedTest(name = "{0} Hz, {1} frames")
    @CsvSource({"48000, 6", "48000, 48", "44100, 48", "96000, 12"})
    void aBacklogLeavesAtSpeedTimesRealTime(int rate, int fpp) {
        CatchUp c = new CatchUp(rate, fpp);
        long next = T0; // boundary of the oldest due packet
        c.sent(next - fpp); // on time until here
        long media = T0 + rate / 2; // a 500 ms stall: that much backlog
        int sentNow = 0;
        int maxAtOnce = 0;
        long start = media;
        // the clock loop, waking exactly when the stream asks (as it does with a spin-waiting pacer)
        while (next <= media) {
            int atOnce = 0;
            while (next <= media && c.allows(media)) {
                c.sent(media);
                next += fpp;
                atOnce++;
                sentNow++;
            }
            maxAtOnce = Math.max(maxAtOnce, atOnce);
            if (next > media) {
                break;
            }
            long wake = c.nextAllowed();
            assertTrue(wake > media, "asks for a later wake-up");
            media = wake;
            // never ahead of the pace: SPEED packet times per packet time, plus the first burst
            assertTrue(sentNow <= burst(rate, fpp) + (media - start) * CatchUp.SPEED / fpp,
                    sentNow + " packets by " + (media - start));
        }
        long took = media - start;
        long backlog = rate / 2;
        // what the first burst did not send goes at SPEED while new packets come due at 1x: caught up after
        // (backlog - burst) / (SPEED - 1), within a packet
        long expected = (backlog - (long) burst(rate, fpp) * fpp) / (CatchUp.SPEED - 1);
        assertTrue(Math.abs(took - expected) <= fpp, "caught up after " + took + " samples, expected " + expected);
        assertEquals(burst(rate, fpp), maxAtOnce, "at most the credit at once");
        // the packet after the catch-up keeps the pace (at most a quarter packet late); from then on, on time
        long paced = next + (fpp + CatchUp.SPEED - 1) / CatchUp.SPEED;
        assertTrue(c.allows(paced), "the next boundary held a quarter packet at most");
        c.sent(paced);
        assertTrue(c.allows(next + fpp), "on time again");
    }

    @ParameterizedTest(name = "{0} Hz, {1} frames")
    @CsvSource({"48000, 6", "48000, 48"})
    void aLateWakeUpSendsAtMostTheCredit(int rate, int fpp) {
        CatchUp c = new CatchUp(rate, fpp);
        long media = T0;
        c.sent(media);
        for (int wake = 0; wake < 100; wake++) {
            media += rate / 100; // the loop wakes 10 ms late each time: the credit refills (5 ms) and more is due
            int atOnce = 0;
            while (c.allows(media)) {
                c.sent(media);
                atOnce++;
            }
            assertEquals(burst(rate, fpp), atOnce, "wake-up " + wake);
        }
    }
}
