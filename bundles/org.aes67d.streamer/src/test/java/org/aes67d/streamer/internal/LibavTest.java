package org.aes67d.streamer.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LibavTest {
    @Test
    void aMissingLibavcodecIsAClearErrorNotACrash() {
        Libav.UnavailableException e = assertThrows(Libav.UnavailableException.class,
                () -> Libav.load(new Libav.Layout(998, 999, 0, 0)));
        assertTrue(e.getMessage().startsWith("AAC encoder unavailable: no libavcodec found (tried libavcodec.so.998)"),
                e.getMessage());
    }

    @Test
    void adtsHeadersCarryTheirLength() {
        Adts a = new Adts(48000, 2);
        byte[] f = new byte[Adts.HEADER + 300];
        a.header(f, 300);
        assertTrue(Adts.frameLength(f, 0) == 307);
        assertTrue((f[0] & 0xFF) == 0xFF && (f[1] & 0xFF) == 0xF1 && (f[2] & 0xFF) == 0x4C && (f[3] & 0xFF) == 0x80);
    }
}
