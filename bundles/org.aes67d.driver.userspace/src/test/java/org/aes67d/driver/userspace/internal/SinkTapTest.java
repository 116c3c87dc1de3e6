package org.aes67d.driver.userspace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.aes67d.api.audio.AudioBackend;
import org.aes67d.api.driver.SinkAudioTap;
import org.aes67d.audio.basic.internal.ToneBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tone source -> RTP on lo -> a sink on the Audio Device, with taps: what they get, and what they cannot break. */
class SinkTapTest {
    @TempDir
    Path media;

    /** Keeps the first second it is given and checks positions follow each other; allocates nothing per call. */
    static final class RecordingTap implements SinkAudioTap {
        final List<String> events = new CopyOnWriteArrayList<>();
        final int[] kept = new int[48000 * 2];
        volatile int keptFrames;
        volatile long frames;
        volatile long jumps;
        volatile int channels;
        private long next = Long.MIN_VALUE;

        @Override
        public void sinkStarted(int sinkId, int sampleRate, int ch) {
            events.add("started " + sinkId + " " + sampleRate + " " + ch);
        }

        @Override
        public void sinkStopped(int sinkId) {
            events.add("stopped " + sinkId);
        }

        @Override
        public void played(int sinkId, long position, int[] samples, int n, int ch) {
            if (next != Long.MIN_VALUE && position != next) {
                jumps++;
            }
            next = position + n;
            channels = ch;
            int k = keptFrames;
            int copy = Math.min(n, kept.length / ch - k);
            System.arraycopy(samples, 0, kept, k * ch, copy * ch);
            keptFrames = k + copy;
            frames += n;
        }
    }

    @Test
    void tapsGetWhatTheSinkPlaysAndABrokenTapCannotStopIt() throws Exception {
        SinkTaps taps = new SinkTaps();
        Map<String, AudioBackend> backends = Map.of("tone", new ToneBackend());
        Engine engine = new Engine(new Engine.Settings(48000, 64, false, 48, 50_000, 1, 60), new LockedClock());
        EngineDriver driver = new EngineDriver(engine, Net.of("lo", ""), media, 1024, backends::get, taps);
        engine.start();
        RecordingTap early = new RecordingTap();
        SinkAudioTap broken = new SinkAudioTap() {
            @Override
            public void sinkStarted(int sinkId, int sampleRate, int channels) {
            }

            @Override
            public void sinkStopped(int sinkId) {
            }

            @Override
            public void played(int sinkId, long position, int[] samples, int frames, int channels) {
                throw new IllegalStateException("a consumer bug");
            }
        };
        try {
            taps.add(early);
            taps.add(broken);
            driver.startSink(Harness.stream(3, "239.69.14.3", 5014, "L24", 48000, 2, 48, 480, "Audio Device"));
            driver.startSource(Harness.stream(3, "239.69.14.3", 5014, "L24", 48000, 2, 48, 0, "tone:1000@-18"));
            Harness.await(() -> early.keptFrames == early.kept.length / 2, 30, "1 s through the tap");
            RecordingTap late = new RecordingTap();
            taps.add(late); // registered while the sink plays: introduced to it first
            Harness.await(() -> late.frames > 4800, 30, "the late tap fed");
            assertEquals(List.of("started 3 48000 2"), late.events);
            assertEquals(2, early.channels);
            assertTrue(taps.failures() > 0, "the broken tap's exceptions are counted");
            long fed = early.frames;
            Harness.await(() -> early.frames > fed + 4800, 30, "the sink playing on after the broken tap threw");

            // the tone as played: 1 kHz at -18 dBFS. The first second is measured in 0.2 s windows; one must be
            // clean (on a loaded host the sink may conceal a late packet in another: that is the sink's business)
            int from = 0;
            while (from < early.keptFrames && early.kept[from * 2] == 0) {
                from++;
            }
            int n = 9600;
            List<String> windows = new java.util.ArrayList<>();
            boolean clean = false;
            for (int w = from; w + n <= early.keptFrames && !clean; w += n) {
                double sum = 0;
                int crossings = 0;
                for (int f = w; f < w + n; f++) {
                    double x = early.kept[f * 2] / 2147483648.0;
                    sum += x * x;
                    if (f > w && early.kept[(f - 1) * 2] < 0 && early.kept[f * 2] >= 0) {
                        crossings++;
                    }
                }
                double dbfs = 20 * Math.log10(Math.sqrt(2 * sum / n));
                windows.add(String.format("%.3f dBFS %d crossings", dbfs, crossings));
                clean = Math.abs(dbfs + 18) < 0.05 && Math.abs(crossings - 200) <= 1;
            }
            assertTrue(clean, "a clean 0.2 s of 1 kHz at -18 dBFS through the tap: " + windows);

            taps.remove(broken);
            driver.stopSink(3);
            assertEquals(List.of("started 3 48000 2", "stopped 3"), early.events);
            assertEquals(List.of("started 3 48000 2", "stopped 3"), late.events);
        } finally {
            driver.close();
        }
    }
}
