package org.aes67d.driver.userspace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import org.aes67d.api.driver.StreamRejectedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the caller asked wrong is a StreamRejectedException (REST: 400) with a reason. */
class RejectionTest {
    @TempDir
    Path media;

    @Test
    void rejectsWhatCannotPlay() throws Exception {
        try (Harness h = new Harness(media, false)) {
            Path stereo = media.resolve("stereo.wav");
            Harness.writePrbsWav(stereo, 48000, 2, 24, 100, 1);
            Path flt = media.resolve("float.wav");
            Harness.writePrbsWav(flt, 48000, 2, 24, 100, 1);
            byte[] b = Files.readAllBytes(flt);
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(20, (short) 3);
            Files.write(flt, b);

            StreamRejectedException e = assertThrows(StreamRejectedException.class, () -> h.driver.startSource(
                    Harness.stream(0, "239.69.10.1", 5004, "L24", 48000, 2, 48, 0, "file:" + flt)));
            assertTrue(e.getMessage().contains("not integer PCM"), e.getMessage());
            e = assertThrows(StreamRejectedException.class, () -> h.driver.startSource(
                    Harness.stream(0, "239.69.10.1", 5004, "L24", 48000, 8, 48, 0, "file:" + stereo)));
            assertEquals("invalid io: WAV file has 2 channels, the stream map has 8", e.getMessage());
            e = assertThrows(StreamRejectedException.class, () -> h.driver.startSource(
                    Harness.stream(0, "239.69.10.1", 5004, "L24", 48000, 2, 48, 0, "jack:system")));
            assertTrue(e.getMessage().contains("no audio backend"), e.getMessage());
            e = assertThrows(StreamRejectedException.class, () -> h.driver.startSource(
                    Harness.stream(0, "239.69.10.1", 5004, "L24", 96000, 2, 48, 0, "Audio Device")));
            assertTrue(e.getMessage().contains("Audio Device runs at 48000"), e.getMessage());
            e = assertThrows(StreamRejectedException.class, () -> h.driver.startSource(
                    Harness.stream(0, "239.69.10.1", 5004, "L20", 48000, 2, 48, 0, "Audio Device")));
            assertTrue(e.getMessage().contains("invalid codec"), e.getMessage());
            e = assertThrows(StreamRejectedException.class, () -> h.driver.startSource(
                    Harness.stream(0, "239.69.10.1", 5004, "L24", 48000, 2, 48, 0, "file:/etc/passwd")));
            assertEquals("invalid io: path outside media_dir", e.getMessage());
            e = assertThrows(StreamRejectedException.class, () -> h.driver.startSink(
                    Harness.stream(0, "239.69.10.1", 5004, "L24", 48000, 2, 48, 480, "tone:1000")));
            assertTrue(e.getMessage().contains("sources only"), e.getMessage());
        }
    }
}
