package org.aes67d.audio.alsa.internal;

import org.aes67d.util.audio.PcmCodec;

/**
 * A parsed {@code alsa:<pcm>[?format=S16_LE|S24_3LE|S32_LE][&period=FRAMES][&periods=N]}. PCM names use
 * {@code : , =} ({@code hw:1,0}, {@code hw:CARD=USB,DEV=0}) but never {@code ?} or {@code &}.
 */
record AlsaSpec(String pcm, PcmCodec format, int period, int periods) {
    static final int MIN_PERIOD = 16;
    static final int MAX_PERIOD = 8192;

    /** Parses {@code io}; {@code period}/{@code periods} default to the backend's configuration. */
    static AlsaSpec parse(String io, int defaultPeriod, int defaultPeriods) {
        String rest = io.startsWith("alsa:") ? io.substring(5) : io;
        int q = rest.indexOf('?');
        String pcm = (q < 0 ? rest : rest.substring(0, q)).trim();
        if (pcm.isEmpty()) {
            throw new IllegalArgumentException("expected alsa:<pcm>[?format=...&period=...&periods=...], e.g. "
                    + "alsa:hw:1,0 or alsa:plughw:0?format=S16_LE");
        }
        PcmCodec format = null;
        int period = defaultPeriod;
        int periods = defaultPeriods;
        if (q >= 0) {
            for (String option : rest.substring(q + 1).split("&")) {
                int eq = option.indexOf('=');
                String key = eq < 0 ? option : option.substring(0, eq);
                String value = eq < 0 ? "" : option.substring(eq + 1);
                switch (key) {
                    case "format" -> {
                        format = PcmCodec.named(value);
                        if (format == null) {
                            throw new IllegalArgumentException("alsa format \"" + value + "\" (" + PcmCodec.names()
                                    + ")");
                        }
                    }
                    case "period" -> period = number(key, value, MIN_PERIOD, MAX_PERIOD);
                    case "periods" -> periods = number(key, value, 2, 32);
                    default -> throw new IllegalArgumentException("alsa option \"" + key
                            + "\" (format, period, periods)");
                }
            }
        }
        return new AlsaSpec(pcm, format, period, periods);
    }

    private static int number(String key, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("alsa " + key + " \"" + value + "\" (" + min + ".." + max + ")");
    }
}
