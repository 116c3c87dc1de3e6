package org.aes67d.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class TableAndLineTest {
    @Test
    void columnsAreAsWideAsTheirWidestCellAndControlCharactersAreShownAsQuestionMarks() {
        Table t = new Table("id", "name");
        t.row(0, "a");
        t.row(12, "evil\u001b[2Jname\n");
        assertEquals("id  name\n0   a\n12  evil?[2Jname?\n", t.toString());
    }

    @Test
    void linesEndAtLfOrCrLfAndTheStreamEndsWithNull() throws IOException {
        InputStream in = new ByteArrayInputStream("aes67:ptp\r\nsecond\nlast".getBytes(StandardCharsets.UTF_8));
        assertEquals("aes67:ptp", LocalShell.readLine(in));
        assertEquals("second", LocalShell.readLine(in));
        assertEquals("last", LocalShell.readLine(in));
        assertNull(LocalShell.readLine(in));
    }

    @Test
    void aLineLongerThanTheLimitIsRefused() {
        byte[] huge = new byte[LocalShell.MAX_LINE + 2];
        java.util.Arrays.fill(huge, (byte) 'x');
        assertThrows(IOException.class, () -> LocalShell.readLine(new ByteArrayInputStream(huge)));
    }

    @Test
    void aFailureReadsAsItsTextAlone() {
        assertEquals("failed to remove source 9 : (daemon) source not in use",
                new CommandFailure("failed to remove source 9 : (daemon) source not in use").toString());
    }
}
