package org.aes67d.audio.alsa.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.aes67d.util.audio.DriftEstimator;
import org.aes67d.util.audio.EndpointStatus;
import org.aes67d.util.audio.RingBridge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An ALSA playback device on its own crystal, simulated in media time (deterministic, no sleeping): the engine
 * writes 48-frame packets at the media rate into the endpoint's bridge (built as {@link AlsaEndpoint} builds it),
 * a card with a buffer of 4 (or 8) periods of 96 frames plays a period at each of its boundaries at its own rate, and
 * the I/O thread does what {@link AlsaPlayback#pump} does: ask the {@link PlaybackFeed} for frames, write them
 * when the card has room, report the write. The signal is a counter (1, 2, 3, ...), so a lost, repeated or
 * interpolated frame shows.
 */
class PlaybackDriftTest {
    private static final int RATE = 48000;
    private static final int PERIOD = 96;
    private static final int PACKET = 48;

    static final class Run {
        EndpointStatus status;
        DriftEstimator drift;
        PlaybackFeed feed;
        long xruns;
        long xrunsAfterSettle;
        long underrunAtSettle = -1;
        long overrunAtSettle = -1;
        double engagedAt = -1;
        boolean confirmedAtEngage;
        boolean settledAtEngage;
        double ppmAtEngage;
        double pacedAt = -1;
        /** Frames the card played; only kept when asked (bit-exact checks). */
        int[] played;
        int playedFrames;
        int minFillAfterSettle = Integer.MAX_VALUE;
        int maxFillAfterSettle;
    }

    /**
     * {@code seconds} of media time with the card {@code ppm} fast, a working margin of {@code marginMs};
     * {@code paced}: the card runs on its clock (else it takes anything at once, as a file PCM does). The
     * counters are compared from {@code settleSeconds} on.
     */
    static Run simulate(double ppm, int marginMs, int periods, double seconds, boolean paced, boolean keep,
            double settleSeconds) {
        final int BUFFER = periods * PERIOD;
        double cardRate = RATE * (1 + ppm * 1e-6);
        int target = Math.max(2 * PERIOD, RATE * marginMs / 1000); // as AlsaEndpoint
        Run r = new Run();
        r.status = new EndpointStatus("sim", "playback", 1, RATE);
        RingBridge bridge = new RingBridge(1, target, 2 * target + 2 * PERIOD, false, r.status);
        r.drift = new DriftEstimator(RATE, 0.1);
        bridge.compensate(r.drift, false, RATE);
        r.feed = new PlaybackFeed(bridge, r.drift, RATE);
        r.feed.reopened();
        if (keep) {
            r.played = new int[(int) (seconds * cardRate) + 4 * BUFFER];
        }
        int[] packet = new int[PACKET];
        int[] chunk = new int[PERIOD];
        int[] card = new int[BUFFER]; // the card's buffer, a ring
        long cardWrite = 0;
        long cardRead = 0;
        boolean started = false;
        double startedAt = 0;
        long boundaries = 0;
        long counter = 1;
        long packets = 0;
        int pending = 0;
        int chunkFrames = 0;
        int offset = 0;
        while (true) {
            double tEngine = packets * PACKET / (double) RATE;
            double tCard = started ? startedAt + (boundaries + 1) * PERIOD / cardRate : Double.MAX_VALUE;
            double t = Math.min(tEngine, tCard);
            if (t > seconds) {
                break;
            }
            boolean settled = t >= settleSeconds;
            if (settled && r.underrunAtSettle < 0) {
                r.underrunAtSettle = r.status.underrunFrames();
                r.overrunAtSettle = r.status.overrunFrames();
            }
            if (tEngine <= tCard) {
                for (int i = 0; i < PACKET; i++) {
                    packet[i] = (int) counter++;
                }
                bridge.put(packet, 0, PACKET); // AlsaPlayback.write
                packets++;
            } else {
                boundaries++;
                int queued = (int) (cardWrite - cardRead);
                int n = Math.min(PERIOD, queued);
                for (int i = 0; i < n; i++) {
                    int v = card[(int) (cardRead++ % BUFFER)];
                    if (keep) {
                        r.played[r.playedFrames++] = v;
                    }
                }
                if (n < PERIOD) { // the card ran dry: an xrun, recovered; it starts again at the threshold
                    r.xruns++;
                    if (settled) {
                        r.xrunsAfterSettle++;
                    }
                    started = false;
                }
                if (settled) {
                    int fill = bridge.ring().fill();
                    r.minFillAfterSettle = Math.min(r.minFillAfterSettle, fill);
                    r.maxFillAfterSettle = Math.max(r.maxFillAfterSettle, fill);
                }
            }
            // the I/O thread: runs whenever it has something and the card room (AlsaPlayback.pump)
            while (true) {
                if (pending == 0) {
                    pending = r.feed.next(chunk, PERIOD);
                    chunkFrames = pending;
                    offset = 0;
                    if (pending == 0) {
                        break;
                    }
                }
                int room = BUFFER - (int) (cardWrite - cardRead);
                if (paced && room < PERIOD) {
                    break; // snd_pcm_wait: until a period of room
                }
                int n = paced ? Math.min(pending, room) : pending;
                for (int i = 0; i < n; i++) {
                    int v = chunk[offset + i];
                    if (paced) {
                        card[(int) (cardWrite % BUFFER)] = v;
                    } else if (keep) {
                        r.played[r.playedFrames++] = v; // a file PCM: written out at once
                    }
                    cardWrite++;
                }
                if (!paced) {
                    cardRead = cardWrite;
                }
                if (paced && !started && cardWrite - cardRead >= Math.min(BUFFER - PERIOD, target)) {
                    started = true;
                    startedAt = t;
                    boundaries = 0;
                }
                long avail = BUFFER - (cardWrite - cardRead);
                long nanos = Math.round(t * 1e9);
                r.feed.written(n, chunkFrames, PERIOD, avail, BUFFER, nanos, nanos);
                if (r.feed.paced() && r.pacedAt < 0) {
                    r.pacedAt = t;
                }
                offset += n;
                pending -= n;
                if (pending > 0) {
                    break;
                }
            }
            if (r.engagedAt < 0 && r.status.resampling()) {
                r.engagedAt = t;
                r.confirmedAtEngage = r.drift.confirmed();
                r.settledAtEngage = r.drift.settled();
                r.ppmAtEngage = r.drift.ppm();
            }
        }
        return r;
    }

    /** A long run at +-100 ppm with a 10 ms margin (8 periods of buffer): from 10 s on, not a frame missing or dropped, no xrun. */
    @ParameterizedTest(name = "{0} ppm")
    @CsvSource({"100", "-100"})
    void aDriftingCardNeverRunsDryOrOver(double ppm) {
        Run r = simulate(ppm, 10, 8, 600, true, false, 10);
        System.out.printf("[figure] ALSA playback %+.0f ppm, 10 ms margin, 8 x 96 frames, 600 s: paced from %.3f s, estimate %+.4f ppm,"
                + " resampling from %.1f s (confirmed %s, estimate then %+.3f ppm), ring fill %d..%d frames after"
                + " 10 s (target 480), xruns %d, underruns %d / overruns %d frames (all before 10 s)%n", ppm,
                r.pacedAt, r.drift.ppm(), r.engagedAt, r.confirmedAtEngage, r.ppmAtEngage, r.minFillAfterSettle,
                r.maxFillAfterSettle, r.xruns, r.status.underrunFrames(), r.status.overrunFrames());
        assertTrue(r.feed.paced(), "paced");
        assertTrue(r.pacedAt >= 0 && r.pacedAt < 1, "paced from " + r.pacedAt + " s");
        assertEquals(ppm, r.drift.ppm(), 0.1, "drift estimate");
        assertTrue(r.status.resampling(), "resampling");
        assertTrue(r.confirmedAtEngage && r.settledAtEngage, "engaged only with a settled, confirmed estimate");
        assertTrue(r.engagedAt >= 20 + 10, "engaged at " + r.engagedAt + " s: before the envelope and the hold");
        assertEquals(0, r.xruns, "card xruns");
        assertEquals(r.underrunAtSettle, r.status.underrunFrames(), "underruns after 10 s");
        assertEquals(r.overrunAtSettle, r.status.overrunFrames(), "overruns after 10 s");
        assertEquals(0, r.status.overrunFrames(), "overruns");
    }

    /**
     * The default 4 ms margin: +-100 ppm walks the fill out of half the margin before the resampler engages (about
     * 30 s), so it may be re-centred once; after that, nothing.
     */
    @ParameterizedTest(name = "{0} ppm")
    @CsvSource({"100", "-100"})
    void theDefaultMarginHoldsOnceResampling(double ppm) {
        Run r = simulate(ppm, 4, 4, 150, true, false, 45);
        System.out.printf("[figure] ALSA playback %+.0f ppm, 4 ms margin, 4 x 96 frames, 150 s: resampling from %.1f s, ring fill"
                + " %d..%d after 45 s (target 192), xruns %d, underruns %d / overruns %d frames (all before 45 s)%n",
                ppm, r.engagedAt, r.minFillAfterSettle, r.maxFillAfterSettle, r.xruns, r.status.underrunFrames(),
                r.status.overrunFrames());
        assertTrue(r.status.resampling(), "resampling");
        assertTrue(r.engagedAt > 0 && r.engagedAt < 45, "engaged at " + r.engagedAt);
        assertEquals(0, r.xrunsAfterSettle, "card xruns after 45 s");
        assertEquals(r.underrunAtSettle, r.status.underrunFrames(), "underruns after 45 s");
        assertEquals(r.overrunAtSettle, r.status.overrunFrames(), "overruns after 45 s");
    }

    /**
     * Equal clocks: never resampling; every frame the card plays is the stream's, in order, none lost; silence only
     * once, where the feed starts pacing and the ring fills to the margin.
     */
    @Test
    void equalClocksPassThroughBitExact() {
        Run r = simulate(0, 4, 4, 90, true, true, 5);
        assertTrue(r.feed.paced());
        assertFalse(r.status.resampling());
        assertTrue(r.engagedAt < 0, "never resampled");
        assertEquals(0, r.xruns);
        assertEquals(0, r.status.underrunFrames());
        assertEquals(0, r.status.overrunFrames());
        int gaps = 0;
        long expect = 1;
        boolean inGap = false;
        for (int i = 0; i < r.playedFrames; i++) {
            int v = r.played[i];
            if (v == 0) {
                if (!inGap) {
                    gaps++;
                }
                inGap = true;
                continue;
            }
            inGap = false;
            assertEquals(expect, v, "frame " + i + " played");
            expect++;
        }
        assertTrue(gaps <= 1, gaps + " runs of silence");
        assertTrue(expect > 89L * RATE, "played up to " + expect);
    }

    /** A device that takes anything at once (a file PCM) is never paced: exactly the stream, not a frame more. */
    @Test
    void anUnpacedDeviceGetsExactlyTheStream() {
        Run r = simulate(0, 4, 4, 40, false, true, 5);
        assertFalse(r.feed.paced(), "paced");
        assertFalse(r.status.resampling());
        assertTrue(r.playedFrames >= 40 * RATE, r.playedFrames + " frames written");
        for (int i = 0; i < r.playedFrames; i++) {
            assertEquals(i + 1, r.played[i], "frame " + i);
        }
    }
}
