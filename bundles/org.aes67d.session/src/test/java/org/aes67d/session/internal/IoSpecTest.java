package org.aes67d.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;

import org.aes67d.api.session.SessionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoSpecTest {
    @TempDir
    Path dir;
    Path media;

    @BeforeEach
    void setUp() throws Exception {
        media = Files.createDirectories(dir.resolve("media"));
        Files.writeString(media.resolve("in.wav"), "x");
        Files.writeString(dir.resolve("secret.txt"), "x");
    }

    private String resolve(String io, boolean source) throws SessionException {
        return IoSpec.resolve(io, media, source, 48000);
    }

    private String error(String io, boolean source) {
        return assertThrows(SessionException.class, () -> resolve(io, source)).getMessage();
    }

    @Test
    void mediaPathsAreMadeAbsoluteInsideMediaDir() throws Exception {
        Path real = media.toRealPath();
        assertEquals("file:" + real.resolve("in.wav"), resolve("file:in.wav", true));
        assertEquals("file:" + real.resolve("in.wav"), resolve("file:" + media.resolve("in.wav"), true));
        assertEquals("file:" + real.resolve("rec/out.wav"), resolve("file:rec/out.wav", false));
        assertEquals("pipe:" + real.resolve("fifo"), resolve("pipe:fifo", false));
        assertEquals("Audio Device", resolve("Audio Device", true));
    }

    @Test
    void nothingOutsideMediaDirIsReachable() throws Exception {
        assertEquals("invalid io: path outside media_dir", error("file:../secret.txt", true));
        assertEquals("invalid io: path outside media_dir", error("file:" + dir.resolve("secret.txt"), true));
        assertEquals("invalid io: path outside media_dir", error("file:/etc/passwd", true));
        assertEquals("invalid io: path outside media_dir", error("file:in/../../secret.txt", false));
        assertEquals("invalid io: path outside media_dir", error("pipe:.", false));
        Files.createSymbolicLink(media.resolve("escape"), dir);
        assertEquals("invalid io: path outside media_dir", error("file:escape/secret.txt", true));
        assertEquals("invalid io: path outside media_dir", error("file:escape/new.wav", false));
        assertEquals("invalid io: no file missing.wav in media_dir", error("file:missing.wav", true));
        assertEquals("invalid io: empty path", error("file:", true));
        assertEquals("invalid io: media_dir " + dir.resolve("none") + " does not exist",
                assertThrows(SessionException.class, () -> IoSpec.resolve("file:x", dir.resolve("none"), true, 48000)).getMessage());
    }

    @Test
    void tonesAreChecked() throws Exception {
        assertEquals("tone:1000@-18", resolve("tone:1000@-18", true));
        assertEquals("tone:440", resolve("tone:440", true));
        assertEquals("invalid io: tone: is for sources only", error("tone:440", false));
        assertEquals("invalid io: expected tone:<hz>[@<dBFS>], e.g. tone:1000@-18", error("tone:abc", true));
        assertEquals("invalid io: tone frequency must be above 0 and below 24000 Hz", error("tone:24000", true));
        assertEquals("invalid io: tone level must be at most 0 dBFS", error("tone:1000@3", true));
        assertEquals("invalid io \"Speakers\" (Audio Device, file:<path>, pipe:<path>, tone:<hz>[@<dBFS>])", error("Speakers", true));
        assertEquals("jack:system", resolve("jack:system", true));
    }
}
