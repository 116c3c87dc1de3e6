package org.aes67d.rtsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Seeded fuzzing: never an exception, consumed within bounds, and whatever parses re-encodes stably. */
class RtspParserFuzzTest {
    private static final long SEED = 2326;
    private final RtspParser parser = new RtspParser(512, 1024);

    @Test
    void randomBytes() {
        Random r = new Random(SEED);
        for (int n = 0; n < 50_000; n++) {
            byte[] data = new byte[r.nextInt(200)];
            r.nextBytes(data);
            check(data);
        }
    }

    @Test
    void mutatedValidMessages() {
        Random r = new Random(SEED + 1);
        String[] seeds = {
            "DESCRIBE rtsp://127.0.0.1:8854/by-name/Daemon%20007f0100%20mic RTSP/1.0\r\nCSeq: 312\r\n"
                    + "Accept: application/sdp\r\n\r\n",
            "RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: application/sdp\r\nContent-Length: 10\r\n\r\nv=0\no=- 1\n",
            "ANNOUNCE rtsp://h/by-name/x RTSP/1.0\nCSeq: 9\nContent-Length: 3\n\nv=0OPTIONS * RTSP/1.0\r\n\r\n",
        };
        String alphabet = "\r\n :$%0123456789ACDELNOPRSTUV/-";
        int parsedCount = 0;
        for (int n = 0; n < 100_000; n++) {
            byte[] data = seeds[r.nextInt(seeds.length)].getBytes(StandardCharsets.ISO_8859_1);
            int edits = 1 + r.nextInt(3);
            for (int i = 0; i < edits; i++) {
                int at = r.nextInt(data.length);
                switch (r.nextInt(3)) {
                    case 0 -> data[at] = (byte) alphabet.charAt(r.nextInt(alphabet.length()));
                    case 1 -> data[at] = (byte) r.nextInt(256);
                    default -> data = Arrays.copyOf(data, at); // truncate
                }
                if (data.length == 0) {
                    break;
                }
            }
            parsedCount += check(data);
        }
        assertTrue(parsedCount > 10_000, "only " + parsedCount + " parsed: mutations too destructive");
    }

    private int check(byte[] data) {
        RtspParser.Result res = parser.parse(data, 0, data.length);
        if (!(res instanceof RtspParser.Parsed p)) {
            return 0;
        }
        assertTrue(p.consumed() > 0 && p.consumed() <= data.length);
        byte[] once = p.message().encode();
        RtspParser.Parsed again = assertInstanceOf(RtspParser.Parsed.class, parser.parse(once, 0, once.length),
                () -> "re-encoded message does not parse: " + new String(once, StandardCharsets.ISO_8859_1));
        assertArrayEquals(once, again.message().encode());
        return 1;
    }
}
