package org.aes67d.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.aes67d.api.session.SessionException;
import org.aes67d.api.session.Sink;
import org.aes67d.api.session.Source;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ValidationTest {
    private static Source src(String name, String io, int packet, String codec, String address, int ttl, int pt,
            int dscp, List<Integer> map) {
        return new Source(0, true, name, io, packet, codec, address, ttl, pt, dscp, false, map);
    }

    static Stream<Arguments> badSources() {
        List<Integer> ok = List.of(0, 1);
        List<Integer> tooMany = new ArrayList<>(IntStream.range(0, 64).boxed().toList());
        tooMany.add(0);
        return Stream.of(
                Arguments.of(new Source(64, true, "n", "Audio Device", 48, "L24", "", 15, 98, 34, false, ok), "invalid stream id"),
                Arguments.of(new Source(-1, true, "n", "Audio Device", 48, "L24", "", 15, 98, 34, false, ok), "invalid stream id"),
                Arguments.of(src("", "Audio Device", 48, "L24", "", 15, 98, 34, ok), "invalid name: empty"),
                Arguments.of(src("  ", "Audio Device", 48, "L24", "", 15, 98, 34, ok), "invalid name: empty"),
                Arguments.of(src("a\nm=audio", "Audio Device", 48, "L24", "", 15, 98, 34, ok), "invalid name: control characters"),
                Arguments.of(src("x".repeat(65), "Audio Device", 48, "L24", "", 15, 98, 34, ok), "invalid name: longer than 64 characters"),
                Arguments.of(src("n", "", 48, "L24", "", 15, 98, 34, ok), "invalid io: empty"),
                Arguments.of(src("n", "Audio Device", 47, "L24", "", 15, 98, 34, ok), "invalid max_samples_per_packet 47 (6, 12, 16, 48, 96, 192)"),
                Arguments.of(src("n", "Audio Device", 48, "L20", "", 15, 98, 34, ok), "invalid codec \"L20\" (L16, L24, AM824)"),
                Arguments.of(src("n", "Audio Device", 48, "L24", "239.1.0", 15, 98, 34, ok), "invalid address \"239.1.0\" (an IPv4 address, or empty for the default)"),
                Arguments.of(src("n", "Audio Device", 48, "L24", "0.0.0.0", 15, 98, 34, ok), "invalid address \"0.0.0.0\" (an IPv4 address, or empty for the default)"),
                Arguments.of(src("n", "Audio Device", 48, "L24", "", 0, 98, 34, ok), "invalid ttl 0 (1..255)"),
                Arguments.of(src("n", "Audio Device", 48, "L24", "", 256, 98, 34, ok), "invalid ttl 256 (1..255)"),
                Arguments.of(src("n", "Audio Device", 48, "L24", "", 15, 95, 34, ok), "invalid payload_type 95 (96..127)"),
                Arguments.of(src("n", "Audio Device", 48, "L24", "", 15, 128, 34, ok), "invalid payload_type 128 (96..127)"),
                Arguments.of(src("n", "Audio Device", 48, "L24", "", 15, 98, 48, ok), "invalid dscp 48 (46, 34, 26, 0)"),
                Arguments.of(src("n", "Audio Device", 48, "L24", "", 15, 98, 34, Collections.emptyList()), "invalid map: 1..64 channels"),
                Arguments.of(src("n", "Audio Device", 48, "L24", "", 15, 98, 34, tooMany), "invalid map: 1..64 channels"),
                Arguments.of(src("n", "Audio Device", 48, "L24", "", 15, 98, 34, List.of(0, 64)), "invalid map: channel 64 outside 0..63"),
                Arguments.of(src("n", "Audio Device", 48, "L24", "", 15, 98, 34, List.of(-1)), "invalid map: channel -1 outside 0..63"),
                Arguments.of(src("n", "Audio Device", 48, "L24", "", 15, 98, 34, List.of(3, 3)), "invalid map: channel 3 twice"));
    }

    @ParameterizedTest
    @MethodSource("badSources")
    void everySourceFieldIsChecked(Source s, String message) {
        assertEquals(message, assertThrows(SessionException.class, () -> Validation.source(s)).getMessage());
    }

    static Stream<Arguments> badSinks() {
        List<Integer> ok = List.of(0, 1);
        return Stream.of(
                Arguments.of(new Sink(64, "n", "Audio Device", true, "", "v=0", 96, false, ok), "invalid stream id"),
                Arguments.of(new Sink(0, "", "Audio Device", true, "", "v=0", 96, false, ok), "invalid name: empty"),
                Arguments.of(new Sink(0, "n", "Audio Device", true, "", " ", 96, false, ok), "cannot parse SDP: empty"),
                Arguments.of(new Sink(0, "n", "Audio Device", false, "ftp://host/x", "", 96, false, ok), "invalid URL"),
                Arguments.of(new Sink(0, "n", "Audio Device", false, "http//nohost", "", 96, false, ok), "invalid URL"),
                Arguments.of(new Sink(0, "n", "Audio Device", false, "http://[bad", "", 96, false, ok), "invalid URL"),
                Arguments.of(new Sink(0, "n", "Audio Device", true, "", "v=0", -1, false, ok), "invalid delay -1 (0..384000 samples)"),
                Arguments.of(new Sink(0, "n", "Audio Device", true, "", "v=0", 96, false, List.of(1, 1)), "invalid map: channel 1 twice"));
    }

    @ParameterizedTest
    @MethodSource("badSinks")
    void everySinkFieldIsChecked(Sink s, String message) {
        assertEquals(message, assertThrows(SessionException.class, () -> Validation.sink(s)).getMessage());
    }

    @org.junit.jupiter.api.Test
    void aSinkMapHasOneEntryPerStreamChannel() {
        StreamFormat eight = new StreamFormat("239.1.0.1", 5004, "L24", 48000, 8, 48, 98, 0);
        Sink two = new Sink(0, "n", "Audio Device", true, "", "v=0", 96, false, List.of(2, 3));
        assertEquals("invalid map: 2 entries for 8 channels (one device channel per stream channel)",
                assertThrows(SessionException.class, () -> Validation.sinkFitsStream(two, eight)).getMessage());
    }

    @org.junit.jupiter.api.Test
    void delayMustCoverAPacketAndAtMostASecond() throws Exception {
        Validation.sinkDelay(48, 48, 48000);
        assertEquals("invalid delay 47: below the source's packet size (48 samples)",
                assertThrows(SessionException.class, () -> Validation.sinkDelay(47, 48, 48000)).getMessage());
        assertEquals("invalid delay 48001: above one second (48000 samples)",
                assertThrows(SessionException.class, () -> Validation.sinkDelay(48001, 48, 48000)).getMessage());
    }
}
