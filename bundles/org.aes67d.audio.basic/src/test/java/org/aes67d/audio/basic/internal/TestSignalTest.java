package org.aes67d.audio.basic.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.aes67d.api.audio.AudioFormat;
import org.aes67d.api.audio.AudioInput;
import org.aes67d.api.audio.AudioOutput;
import org.junit.jupiter.api.Test;

/** test:prbs -> verify: without a network: each kind of damage is reported exactly. */
class TestSignalTest {
    private static final int CH = 2;

    private final AudioInput source = new TestSignalBackend().openInput("test:prbs", new AudioFormat(48000, CH));
    private final AudioOutput sink = new VerifyBackend().openOutput("verify:", new AudioFormat(48000, CH));

    private int[] frames(int n) {
        int[] b = new int[n * CH];
        source.read(b, 0, n);
        return b;
    }

    private void play(int[] b) {
        sink.write(b, 0, b.length / CH);
    }

    private long count(String key) {
        return ((Number) sink.details().get(key)).longValue();
    }

    @Test
    void everySampleDiffersAndCarriesItsPosition() {
        Set<Integer> seen = new HashSet<>();
        for (int n = 0; n < TestSignal.PERIOD; n++) {
            for (int c = 0; c < 4; c++) {
                int s = TestSignal.sample(n, c);
                assertEquals(0, s & 0xFF, "left-justified 24 bits");
                assertEquals(n, TestSignal.position(s, c));
                assertTrue(TestSignal.matches(s & 0xFFFF0000, n, c), "an L16 copy matches too");
            }
            seen.add(TestSignal.sample(n, 0));
        }
        assertEquals(TestSignal.PERIOD, seen.size(), "no two frames alike on a channel");
    }

    @Test
    void aCleanSignalHasNoErrorsAndSilenceBeforeItIsNotCounted() {
        play(new int[100 * CH]); // before the stream starts
        for (int i = 0; i < 100; i++) {
            play(frames(48));
        }
        play(new int[1000 * CH]); // after it stopped: not a gap
        Map<String, Object> d = sink.details();
        assertEquals(true, d.get("locked"));
        assertEquals(4800L, d.get("frames_ok"));
        assertEquals(0L, d.get("lost_frames"));
        assertEquals(0L, d.get("error_frames"));
        assertEquals(0L, d.get("shifts"));
        assertEquals(1000L, d.get("silent_now_frames"));
    }

    @Test
    void lossABitFlipAndA576FrameShiftAreReportedExactly() {
        play(frames(4800));
        frames(48); // a lost packet: the sink plays silence in its place, the positions go on
        play(new int[48 * CH]);
        play(frames(480));
        int[] b = frames(48);
        b[17 * CH + 1] ^= 1 << 12; // one bit of one sample
        play(b);
        play(frames(480));
        play(new int[576 * CH]); // the slip: 576 frames of silence, and everything after them 576 frames late
        play(frames(4800));
        assertEquals(48L + 576, count("lost_frames"));
        assertEquals(1, count("error_frames"));
        assertEquals(1, count("sample_errors"));
        assertEquals(1, count("shifts"));
        assertEquals(576, count("last_shift_frames"));
        assertEquals(4800L + 480 + 47 + 480 + 4800, count("frames_ok"));
        assertTrue(sink.details().get("last_error") instanceof String);
    }

    @Test
    void repeatedAudioIsOneShiftAndWhatFollowsIsInPlace() {
        int[] b = frames(1000);
        play(b);
        play(Arrays.copyOfRange(b, 600 * CH, 1000 * CH)); // 400 frames played twice: from then on 400 frames late
        play(frames(100));
        assertEquals(1, count("shifts"));
        assertEquals(400, count("last_shift_frames"));
        assertEquals(1500, count("frames_ok"));
        assertEquals(0, count("error_frames") + count("lost_frames"));
    }

    @Test
    void schemesAreOneWay() {
        assertThrows(IllegalArgumentException.class,
                () -> new TestSignalBackend().openOutput("test:prbs", new AudioFormat(48000, 2)));
        assertThrows(IllegalArgumentException.class,
                () -> new VerifyBackend().openInput("verify:", new AudioFormat(48000, 2)));
        assertThrows(IllegalArgumentException.class,
                () -> new TestSignalBackend().openInput("test:sine", new AudioFormat(48000, 2)));
    }
}
