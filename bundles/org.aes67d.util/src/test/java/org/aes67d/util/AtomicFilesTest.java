package org.aes67d.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @Test
    void replacesContentAndLeavesNoTempFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("daemon.conf");
        Files.writeString(f, "old");
        AtomicFiles.write(f, "new".getBytes(StandardCharsets.UTF_8));
        assertEquals("new", Files.readString(f));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void aCrashBeforeTheRenameLeavesTheOldFileIntact(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("daemon.conf");
        Files.writeString(f, "{\"ptp_domain\": 1}");
        // What write() leaves behind if the process dies after writing the temp file and before the rename.
        Path tmp = Files.createTempFile(dir, ".daemon.conf.", ".tmp");
        Files.writeString(tmp, "{\"ptp_dom");          // half-written new content, then "crash": no rename
        assertEquals("{\"ptp_domain\": 1}", Files.readString(f));
        Files.delete(tmp);
        assertThrows(IOException.class, () -> AtomicFiles.rename(tmp, f)); // nothing to rename: old file stays
        assertEquals("{\"ptp_domain\": 1}", Files.readString(f));
    }

    @Test
    void failingWriteKeepsTheOldFile(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("sub");
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside"), "x");
        // Renaming a file over a non-empty directory fails: the old "file" (directory) must be untouched
        // and the temp file removed.
        assertThrows(IOException.class, () -> AtomicFiles.write(target, "new".getBytes(StandardCharsets.UTF_8)));
        assertEquals("x", Files.readString(target.resolve("inside")));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }
}
