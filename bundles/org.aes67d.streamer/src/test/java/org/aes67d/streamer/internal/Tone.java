package org.aes67d.streamer.internal;

/** Measures a decoded sine: level, frequency, and the largest deviation from a fitted sine (a gap shows up). */
final class Tone {
    final double rmsDbfs;
    final double frequency;
    /** Largest |sample - fitted sine| over the range, relative to full scale. */
    final double worstDeviation;

    private Tone(double rmsDbfs, double frequency, double worstDeviation) {
        this.rmsDbfs = rmsDbfs;
        this.frequency = frequency;
        this.worstDeviation = worstDeviation;
    }

    /** Channel {@code ch} of {@code channels}, frames {@code from..to}, at {@code rate}. */
    static Tone measure(float[] s, int channels, int ch, int from, int to, int rate) {
        double sum = 0;
        int crossings = 0;
        int first = -1;
        int last = -1;
        for (int f = from; f < to; f++) {
            double x = s[f * channels + ch];
            sum += x * x;
            if (f > from && s[(f - 1) * channels + ch] < 0 && x >= 0) {
                crossings++;
                if (first < 0) {
                    first = f;
                }
                last = f;
            }
        }
        double rms = Math.sqrt(sum / (to - from));
        double freq = crossings > 1 ? (crossings - 1) * (double) rate / (last - first) : 0;
        // fit a sine of that frequency through the crossings' phase and amplitude sqrt(2) * rms
        double amp = rms * Math.sqrt(2);
        double worst = 0;
        for (int f = first; f >= 0 && f < to; f++) {
            double expected = amp * Math.sin(2 * Math.PI * freq * (f - first) / rate);
            worst = Math.max(worst, Math.abs(s[f * channels + ch] - expected));
        }
        return new Tone(20 * Math.log10(rms * Math.sqrt(2)), freq, worst);
    }

    @Override
    public String toString() {
        return String.format("%.2f dBFS peak-equivalent, %.2f Hz, worst deviation %.4f", rmsDbfs, frequency,
                worstDeviation);
    }
}
