package org.aes67d.api.driver;

/**
 * Audio levels of one stream, per channel, as linear fractions of full scale (1.0 = 0 dBFS): {@code peak} is the
 * sample peak with a meter's fall-back (about 20 dB in 1.7 s, so a peak stays visible to a reader a few times a
 * second), {@code rms} the root mean square over about 300 ms. {@code ageNanos} is how long ago the stream last
 * carried audio (a source that does not send, a sink that does not play, have old levels).
 *
 * @since 1.3
 */
public record StreamLevels(float[] peak, float[] rms, long ageNanos) {
    public StreamLevels {
        peak = peak.clone();
        rms = rms.clone();
    }

    @Override
    public float[] peak() {
        return peak.clone();
    }

    @Override
    public float[] rms() {
        return rms.clone();
    }

    public int channels() {
        return peak.length;
    }

    /** {@code level} in dBFS, at least -200 (silence). */
    public static double dbfs(float level) {
        return level <= 1e-10f ? -200 : 20 * Math.log10(level);
    }
}
