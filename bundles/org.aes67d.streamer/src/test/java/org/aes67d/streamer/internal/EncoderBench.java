package org.aes67d.streamer.internal;

/**
 * How fast one encoding thread is: seconds of audio per second of CPU, per channel count. A benchmark (prints
 * figures), not a test: {@code bench/encoder-speed.sh}.
 */
public final class EncoderBench {
    private EncoderBench() {
    }

    public static void main(String[] args) throws Exception {
        Libav av = Libav.load();
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int channels : new int[] {2, 8}) {
            try (AacEncoder enc = new AacEncoder(av, 48000, channels)) {
                float[][] planes = new float[channels][AacEncoder.FRAME];
                long n = 0;
                long[] bytes = new long[1];
                int frames = seconds * 48000 / AacEncoder.FRAME;
                long cpu0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < frames; i++) {
                    for (int f = 0; f < AacEncoder.FRAME; f++, n++) {
                        for (int c = 0; c < channels; c++) {
                            planes[c][f] = (float) (0.125 * Math.sin(2 * Math.PI * (1000 + 100 * c) * n / 48000));
                        }
                    }
                    enc.encode(planes, f -> bytes[0] += f.length);
                }
                double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
                System.out.printf("%d ch: %d s of audio in %.2f s CPU = %.1fx real time (%.1f channels per"
                        + " core), %.0f kbit/s%n", channels, seconds, cpu, seconds / cpu,
                        channels * seconds / cpu, bytes[0] * 8.0 / seconds / 1000);
            }
        }
    }
}
