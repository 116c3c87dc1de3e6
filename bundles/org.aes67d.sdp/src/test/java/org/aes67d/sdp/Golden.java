package org.aes67d.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The golden SDP files under src/test/resources/golden. */
final class Golden {
    static final List<String> LOCAL = List.of("local-l24-48k-2ch.sdp", "local-l16-48k-8ch-125us.sdp",
            "local-am824-48k-2ch.sdp", "local-l24-44k1-48.sdp", "local-dup.sdp", "local-traceable.sdp",
            "local-unicast.sdp");
    static final List<String> FOREIGN = List.of("dante.sdp", "ravenna.sdp", "ravenna-range.sdp", "st2110-30.sdp",
            "plain-rtp.sdp", "gstreamer-static-pt.sdp", "crlf.sdp", "mcast-no-ttl.sdp", "unicast.sdp", "dup.sdp",
            "lawo-dup.sdp", "dante-dup.sdp", "ravenna-dup.sdp");

    private Golden() {
    }

    static List<String> all() {
        return java.util.stream.Stream.concat(LOCAL.stream(), FOREIGN.stream()).toList();
    }

    /** The exact file content; a missing file fails the test. */
    static String text(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no golden file " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SessionDescription parse(String name) {
        try {
            return SdpParser.parse(text(name));
        } catch (SdpParseException e) {
            throw new AssertionError(name + ": " + e.getMessage(), e);
        }
    }
}
