package org.aes67d.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class RtspUrisTest {
    @Test
    void encodesSpacesAndUnicode() {
        assertEquals("/by-name/Daemon%20007f0100%20Mic%C3%A9%3F%25", RtspUris.encodePath("/by-name/Daemon 007f0100 Micé?%"));
        assertEquals("/by-name/Daemon 007f0100 Micé?%",
                RtspUris.decodePath("/by-name/Daemon%20007f0100%20Mic%C3%A9%3F%25"));
    }

    @Test
    void plusIsNotASpaceInAPath() {
        assertEquals("/a+b", RtspUris.decodePath("/a+b"));
    }

    @Test
    void malformedPercentEncoding() {
        assertNull(RtspUris.decodePath("/a%2"));
        assertNull(RtspUris.decodePath("/a%zz"));
        assertNull(RtspUris.decodePath("/a%C3"), "not UTF-8");
    }

    @Test
    void pathOfUri() {
        assertEquals("/by-id/3", RtspUris.pathOf("rtsp://10.0.0.1:8854/by-id/3"));
        assertEquals("/by-id/3", RtspUris.pathOf("RTSP://host/by-id/3?x=1"));
        assertEquals("/", RtspUris.pathOf("rtsp://host"));
        assertEquals("/x", RtspUris.pathOf("/x"));
        assertNull(RtspUris.pathOf("rtsp:///x"));
        assertNull(RtspUris.pathOf("*"));
        assertNull(RtspUris.pathOf("http"));
    }
}
