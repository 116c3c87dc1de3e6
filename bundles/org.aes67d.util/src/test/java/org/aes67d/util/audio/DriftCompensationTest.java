package org.aes67d.util.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A device clock off by a known rate against the media clock, simulated in media time (deterministic, no
 * sleeping): the device thread moves 256-frame periods and timestamps them, the engine moves 48-frame packets. The
 * drift estimate must converge, the margin must never run dry after the start, and the resampled 1 kHz sine must
 * have the expected frequency and an SNR of at least 120 dB. With equal clocks the samples pass untouched.
 */
class DriftCompensationTest {
    private static final int RATE = 48000;
    private static final int PERIOD = 256;
    private static final int PACKET = 48;
    private static final int TARGET = 512;
    private static final double AMPLITUDE = 0.5 * 2147483648.0;
    private static final double PHASE = 0.3; // the first sample is not 0, so the start of the output shows

    record Run(int[] out, int outFrames, DriftEstimator estimator, EndpointStatus status, double expectedHz,
            double convergedSeconds, long[] at10s) {
    }

    /**
     * {@code seconds} of media time with the device {@code ppm} fast; capture (device produces) or playback
     * (device consumes). The producer writes a 1 kHz sine at its own rate; the output is recorded.
     */
    static Run simulate(double ppm, boolean capture, double seconds, double hz, boolean quantize24) {
        double deviceRate = RATE * (1 + ppm * 1e-6);
        EndpointStatus status = new EndpointStatus("sim", capture ? "capture" : "playback", 1, RATE);
        RingBridge bridge = new RingBridge(1, TARGET, 8192, true, status);
        DriftEstimator estimator = new DriftEstimator(RATE, 0.1);
        bridge.compensate(estimator, capture, RATE);
        int[] out = new int[(int) (seconds * Math.max(RATE, deviceRate)) + 4096];
        int outFrames = 0;
        int[] buf = new int[PERIOD];
        long produced = 0;
        long device = 0; // device periods
        long engine = 0; // engine packets
        double converged = 0;
        long[] at10s = null;
        double end = seconds;
        while (true) {
            double tDevice = device * PERIOD / deviceRate;
            double tEngine = engine * PACKET / (double) RATE;
            double t = Math.min(tDevice, tEngine);
            if (t > end) {
                break;
            }
            if (t >= 10 && at10s == null) {
                at10s = new long[] {status.underrunFrames(), status.overrunFrames()};
            }
            boolean deviceTurn = tDevice <= tEngine;
            int n = deviceTurn ? PERIOD : PACKET;
            boolean producerTurn = deviceTurn == capture;
            if (producerTurn) {
                for (int i = 0; i < n; i++) { // the producer believes it runs at the nominal rate
                    double v = AMPLITUDE * Math.sin(2 * Math.PI * hz * (produced + i) / RATE + PHASE);
                    int s = (int) Math.rint(v);
                    buf[i] = quantize24 ? s & 0xFFFFFF00 : s;
                }
                produced += n;
                bridge.put(buf, 0, n);
            } else {
                bridge.take(out, outFrames, n);
                outFrames += n;
            }
            if (deviceTurn) {
                estimator.period(Math.round(t * 1e9), PERIOD); // the media clock at the period's start
                if (Math.abs(estimator.ppm() - ppm) > 0.1 || estimator.updates() == 0) {
                    converged = t;
                }
                device++;
            } else {
                engine++;
            }
        }
        // the producer's samples are at its rate, the consumer's at the other: the tone moves by the ratio
        double expected = capture ? hz * deviceRate / RATE : hz * RATE / deviceRate;
        return new Run(out, outFrames, estimator, status, expected, converged, at10s);
    }

    @ParameterizedTest(name = "{0} ppm, capture {1}")
    @CsvSource({"100, true", "-100, true", "100, false", "-100, false"})
    void driftIsMeasuredAndCompensated(double ppm, boolean capture) {
        Run r = simulate(ppm, capture, 60, 1000, false);
        assertEquals(ppm, r.estimator.ppm(), 0.1, "drift estimate");
        assertTrue(r.status.resampling(), "resampling");
        assertEquals(1, r.status.resamplerEngagements(), "the resampler took over once and stayed");
        assertTrue(r.convergedSeconds < 30, "the estimate stays within 0.1 ppm only from " + r.convergedSeconds + " s");
        // from 10 s on, no frame may be missing or dropped
        assertEquals(r.at10s[0], r.status.underrunFrames(), "underruns after 10 s");
        assertEquals(r.at10s[1], r.status.overrunFrames(), "overruns after 10 s");
        int from = r.outFrames - RATE / 2;
        double[] fit = SineFit.fit(r.out, from, RATE / 2, r.expectedHz, RATE);
        System.out.printf("[figure] drift %+.0f ppm %s: estimate %+.4f ppm (within 0.1 ppm from %.1f s), tone %.4f Hz "
                + "(expected %.4f), SNR %.1f dB, underruns %d frames (all in the first 10 s)%n", ppm,
                capture ? "capture" : "playback", r.estimator.ppm(), r.convergedSeconds, fit[0], r.expectedHz, fit[1],
                r.status.underrunFrames());
        assertEquals(r.expectedHz, fit[0], r.expectedHz * 1e-6, "frequency");
        assertTrue(fit[1] >= 120, "SNR " + fit[1] + " dB");
    }

    /**
     * The whole band through the bridge (the interpolator alone: ResamplerQualityTest), once the fill correction
     * that follows the start of resampling is over; gated a little below the figures.
     */
    @ParameterizedTest(name = "{0} Hz")
    @CsvSource({"10000, 125", "20000, 115"})
    void higherTones(double hz, double minSnr) {
        Run r = simulate(100, true, 70, hz, false);
        double[] fit = SineFit.fit(r.out, r.outFrames - RATE / 4, RATE / 4, r.expectedHz, RATE);
        System.out.printf("[figure] drift +100 ppm capture, %.0f Hz tone: SNR %.1f dB%n", hz, fit[1]);
        assertTrue(fit[1] >= minSnr, "SNR " + fit[1]);
    }

    @ParameterizedTest(name = "capture {0}")
    @CsvSource({"true", "false"})
    void equalClocksPassThroughBitExact(boolean capture) {
        Run r = simulate(0, capture, 25, 1000, true);
        assertFalse(r.status.resampling());
        assertEquals(0, r.status.resamplerEngagements());
        // the output is the input, delayed: find the start and compare every sample after it
        int first = 0;
        while (r.out[first] == 0) {
            first++;
        }
        for (int i = first; i < r.outFrames; i++) {
            int want = (int) Math.rint(AMPLITUDE * Math.sin(2 * Math.PI * 1000 * (i - first) / RATE + PHASE))
                    & 0xFFFFFF00;
            assertEquals(want, r.out[i], "frame " + (i - first) + " after the start");
        }
        assertEquals(0, r.status.underrunFrames());
    }

    /** Least-squares sine fit at a searched frequency: returns {frequency, SNR in dB}. */
    static final class SineFit {
        private SineFit() {
        }

        static double[] fit(int[] y, int from, int n, double guessHz, int rate) {
            double lo = guessHz * (1 - 2e-4);
            double hi = guessHz * (1 + 2e-4);
            double g = (Math.sqrt(5) - 1) / 2;
            double a = hi - g * (hi - lo);
            double b = lo + g * (hi - lo);
            double fa = residual(y, from, n, a, rate)[0];
            double fb = residual(y, from, n, b, rate)[0];
            for (int i = 0; i < 48; i++) {
                if (fa < fb) {
                    hi = b;
                    b = a;
                    fb = fa;
                    a = hi - g * (hi - lo);
                    fa = residual(y, from, n, a, rate)[0];
                } else {
                    lo = a;
                    a = b;
                    fa = fb;
                    b = lo + g * (hi - lo);
                    fb = residual(y, from, n, b, rate)[0];
                }
            }
            double f = (lo + hi) / 2;
            double[] r = residual(y, from, n, f, rate);
            return new double[] {f, 10 * Math.log10(r[1] / r[0])};
        }

        /** {residual energy, signal energy} of the best a sin + b cos + c at {@code hz}. */
        static double[] residual(int[] y, int from, int n, double hz, int rate) {
            double ss = 0, sc = 0, s1 = 0, cc = 0, c1 = 0, ys = 0, yc = 0, y1 = 0;
            for (int i = 0; i < n; i++) {
                double w = 2 * Math.PI * hz * i / rate;
                double s = Math.sin(w);
                double c = Math.cos(w);
                double v = y[from + i];
                ss += s * s; sc += s * c; s1 += s; cc += c * c; c1 += c; ys += v * s; yc += v * c; y1 += v;
            }
            double[][] m = {{ss, sc, s1, ys}, {sc, cc, c1, yc}, {s1, c1, n, y1}};
            for (int i = 0; i < 3; i++) {
                for (int k = i + 1; k < 3; k++) {
                    double q = m[k][i] / m[i][i];
                    for (int j = i; j < 4; j++) {
                        m[k][j] -= q * m[i][j];
                    }
                }
            }
            double[] x = new double[3];
            for (int i = 2; i >= 0; i--) {
                double v = m[i][3];
                for (int j = i + 1; j < 3; j++) {
                    v -= m[i][j] * x[j];
                }
                x[i] = v / m[i][i];
            }
            double res = 0;
            double sig = 0;
            for (int i = 0; i < n; i++) {
                double w = 2 * Math.PI * hz * i / rate;
                double fitted = x[0] * Math.sin(w) + x[1] * Math.cos(w) + x[2];
                double e = y[from + i] - fitted;
                res += e * e;
                sig += fitted * fitted;
            }
            return new double[] {res, sig};
        }
    }
}
