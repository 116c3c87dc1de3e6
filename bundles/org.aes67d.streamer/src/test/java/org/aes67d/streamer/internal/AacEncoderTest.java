package org.aes67d.streamer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JNA encoder against Debian's libavcodec, judged by ffprobe and by decoding with ffmpeg. */
class AacEncoderTest {
    @TempDir
    Path work;

    @ParameterizedTest(name = "{0} Hz, {1} ch")
    @CsvSource({"48000, 1", "48000, 2", "44100, 2", "96000, 2", "48000, 6", "48000, 8"})
    void encodesAToneThatFfmpegDecodesAsAacLc(int rate, int channels) throws Exception {
        Ffmpeg.assumeInstalled();
        Libav av = Libav.load();
        ByteArrayOutputStream adts = new ByteArrayOutputStream();
        double amp = Math.pow(10, -18 / 20.0);
        int frames = rate * 2 / AacEncoder.FRAME;
        try (AacEncoder enc = new AacEncoder(av, rate, channels)) {
            float[][] planes = new float[channels][AacEncoder.FRAME];
            long n = 0;
            for (int i = 0; i < frames; i++) {
                for (int f = 0; f < AacEncoder.FRAME; f++, n++) {
                    for (int c = 0; c < channels; c++) {
                        planes[c][f] = (float) (amp * Math.sin(2 * Math.PI * 1000 * n / rate));
                    }
                }
                enc.encode(planes, adts::writeBytes);
            }
        }
        Path file = work.resolve("tone.aac");
        Files.write(file, adts.toByteArray());
        assertEquals("aac LC " + rate + " " + channels, Ffmpeg.probe(file));
        float[] pcm = Ffmpeg.decode(file, work);
        int decoded = pcm.length / channels;
        assertTrue(decoded > rate, "decoded " + decoded + " frames");
        for (int c = 0; c < channels; c++) {
            Tone t = Tone.measure(pcm, channels, c, rate / 4, decoded - rate / 4, rate);
            if (channels >= 6 && c == 3) {
                // 5.1 and 7.1 carry their fourth channel as AAC's LFE, band-limited far below 1 kHz (documented)
                assertTrue(t.rmsDbfs < -40, "LFE channel: " + t);
                continue;
            }
            assertEquals(-18, t.rmsDbfs, 0.5, "channel " + c + ": " + t);
            assertEquals(1000, t.frequency, 2, "channel " + c + ": " + t);
        }
    }
}
