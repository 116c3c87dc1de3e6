package org.aes67d.audio.basic.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.aes67d.api.audio.AudioFormat;
import org.aes67d.api.audio.AudioInput;

/** {@code tone:<hz>[@<dBFS>]}: the same sine on every channel, quantised to 24 bits. */
final class ToneInput implements AudioInput {
    static final double DEFAULT_DBFS = -18; // EBU R68 alignment level
    private static final Pattern TONE =
            Pattern.compile("tone:(\\d{1,6}(?:\\.\\d{1,3})?)(?:@(-?\\d{1,3}(?:\\.\\d{1,2})?))?");

    private final int channels;
    private final double step;
    private final double amplitude;
    private double phase;

    ToneInput(String io, AudioFormat format) {
        Matcher m = TONE.matcher(io);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected tone:<hz>[@<dBFS>], got " + io);
        }
        double hz = Double.parseDouble(m.group(1));
        double db = m.group(2) == null ? DEFAULT_DBFS : Double.parseDouble(m.group(2));
        if (hz <= 0 || hz >= format.sampleRate() / 2.0 || db > 0) {
            throw new IllegalArgumentException("tone needs 0 < hz < " + format.sampleRate() / 2 + " and dBFS <= 0");
        }
        channels = format.channels();
        step = hz / format.sampleRate();
        amplitude = Math.pow(10, db / 20) * 0x7FFFFF;
    }

    @Override
    public void read(int[] samples, int offset, int frames) {
        int i = offset;
        for (int f = 0; f < frames; f++) {
            int v = (int) Math.round(amplitude * Math.sin(2 * Math.PI * phase)) << 8;
            phase += step;
            if (phase >= 1) {
                phase -= 1; // keep the phase small so precision never degrades
            }
            for (int c = 0; c < channels; c++) {
                samples[i++] = v;
            }
        }
    }

    @Override
    public void close() {
        // nothing held
    }
}
