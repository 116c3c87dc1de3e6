package org.aes67d.driver.userspace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.aes67d.api.driver.StreamDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The virtual Audio Device: channels by map, time-aligned positions, and the loopback binding as a relay. */
class DeviceTest {
    @TempDir
    Path media;

    private static StreamDescription mapped(int id, String group, int port, int delay, List<Integer> map) {
        return new StreamDescription(id, group, port, "L24", 48000, map.size(), 48, 97, 16, 0, delay,
                "Audio Device", map);
    }

    static int pattern(long pos, int ch) {
        return (int) (((pos & (VirtualDevice.FRAMES - 1)) * 64 + ch + 1) << 8);
    }

    @Test
    void playbackChannelsArriveOnCaptureChannelsExactlyDelayLater() throws Exception {
        try (Harness h = new Harness(media, false)) {
            VirtualDevice dev = h.driver.engine().device();
            for (long p = 0; p < VirtualDevice.FRAMES; p++) {
                for (int c = 0; c < 64; c++) {
                    dev.putPlayback(p, c, pattern(p, c));
                }
            }
            int delay = 4800; // 100 ms: beyond any stall of a loaded host, the check is about positions
            h.driver.startSink(mapped(0, "239.69.11.1", 5012, delay, List.of(10, 11, 63)));
            h.driver.startSource(mapped(0, "239.69.11.1", 5012, 0, List.of(3, 5, 0)));
            SinkStream sink = h.driver.engine().sink(0);
            Harness.await(() -> sink.buffer().packets() > 500, 10, "500 packets");
            h.assumeNoStallBeyond(delay, 48000, 0);
            long now = h.clock.mediaClock(System.nanoTime(), 48000);
            int[] src = {3, 5, 0};
            int[] dst = {10, 11, 63};
            for (long q = now - 8000; q < now - 1000; q++) {
                for (int k = 0; k < 3; k++) {
                    assertEquals(pattern(q - delay, src[k]), dev.getCapture(q, dst[k]), "position " + q + " ch " + k);
                }
                assertEquals(0, dev.getCapture(q, 12), "unmapped capture channels stay silent");
            }
        }
    }

    @Test
    void loopbackBindingRelaysASinkIntoASource() throws Exception {
        try (Harness h = new Harness(media, true)) {
            Path in = media.resolve("in.wav");
            int[] ref = Harness.writePrbsWav(in, 48000, 2, 24, 24007, 9);
            // file -> A -> sink B on device ch 20,21 -> loopback -> source C from ch 20,21 -> sink D -> file
            // delays of 100 and 50 ms: beyond any stall of a loaded host (the test checks the relay, not timing)
            h.driver.startSink(Harness.stream(1, "239.69.11.3", 5014, "L24", 48000, 2, 48, 4800,
                    "file:" + media.resolve("out.wav")));
            h.driver.startSource(mapped(1, "239.69.11.3", 5014, 0, List.of(20, 21)));
            h.driver.startSink(new StreamDescription(2, "239.69.11.2", 5014, "L24", 48000, 2, 48, 97, 16, 0, 2400,
                    "Audio Device", List.of(20, 21)));
            h.driver.startSource(Harness.stream(2, "239.69.11.2", 5014, "L24", 48000, 2, 48, 0, "file:" + in));
            SinkStream d = h.driver.engine().sink(1);
            Harness.await(() -> d.buffer().packets() > 1700, 20, "1.7 s through the relay");
            h.assumeNoStallBeyond(2400, 48000, 1, 2);
            h.driver.stopSource(2);
            h.driver.stopSource(1);
            h.assumeRecordingComplete(1);
            h.driver.stopSink(2);
            h.driver.stopSink(1);
            int[] chs = new int[1];
            int[] rec = Harness.readWav(media.resolve("out.wav"), chs);
            Harness.Comparison c = Harness.compareLooped(ref, rec, 2, 0xFFFFFF00);
            assertTrue(c.bitExact(), c.toString());
            assertTrue(c.compared() > 2 * 48000, c.toString());
        }
    }
}
