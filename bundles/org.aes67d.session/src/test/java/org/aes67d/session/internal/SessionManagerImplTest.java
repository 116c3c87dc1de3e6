package org.aes67d.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.aes67d.api.discovery.RemoteSource;
import org.aes67d.api.discovery.SourceAnnouncer;
import org.aes67d.api.discovery.SourceBrowser;
import org.aes67d.api.driver.Driver;
import org.aes67d.api.driver.DriverException;
import org.aes67d.api.driver.StreamDescription;
import org.aes67d.api.driver.StreamRejectedException;
import org.aes67d.api.session.SessionException;
import org.aes67d.api.session.Sink;
import org.aes67d.api.session.SinkStatus;
import org.aes67d.api.session.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionManagerImplTest {
    @TempDir
    Path dir;

    private SessionManagerImpl manager(Path statusFile) {
        SessionManagerImpl m = new SessionManagerImpl();
        m.activate(TestConfig.withStatusFile(statusFile.toString()));
        return m;
    }

    static Source source(int id, String name) {
        return new Source(id, true, name, "Audio Device", 48, "L24", "", 15, 98, 34, false, List.of(0, 1));
    }

    static Sink sink(int id, String name, String sdp) {
        return new Sink(id, name, "Audio Device", true, "", sdp, 96, false, List.of(0, 1));
    }

    @Test
    void putOnAnExistingIdUpdatesAndListsAreInIdOrder() throws Exception {
        SessionManagerImpl m = manager(dir.resolve("status.json"));
        m.putSource(source(5, "five"));
        m.putSource(source(1, "one"));
        m.putSource(source(63, "last"));
        m.putSource(new Source(5, true, "five", "Audio Device", 96, "L16", "", 15, 98, 34, false, List.of(0)));
        assertEquals(List.of(1, 5, 63), m.sources().stream().map(Source::id).toList());
        Source five = m.sources().get(1);
        assertEquals("L16", five.codec());
        assertEquals(96, five.maxSamplesPerPacket());
        assertEquals("239.1.0.6", five.address(), "default address is rtp_mcast_base + id");
        assertEquals(48000, five.sampleRate(), "listed with the rate in use");
    }

    @Test
    void errorsLeaveStateUntouched() throws Exception {
        Path file = dir.resolve("status.json");
        SessionManagerImpl m = manager(file);
        m.putSource(source(0, "a"));
        m.putSource(source(1, "b"));
        byte[] before = Files.readAllBytes(file);
        List<Source> listed = m.sources();
        assertEquals("stream name in use", assertThrows(SessionException.class, () -> m.putSource(source(2, "a"))).getMessage());
        assertEquals("stream name in use", assertThrows(SessionException.class, () -> m.putSource(source(1, "a"))).getMessage());
        assertEquals("invalid stream id", assertThrows(SessionException.class, () -> m.putSource(source(64, "c"))).getMessage());
        assertEquals("stream not in use", assertThrows(SessionException.class, () -> m.removeSource(7)).getMessage());
        assertEquals("stream not in use", assertThrows(SessionException.class, () -> m.sourceSdp(7)).getMessage());
        assertEquals(listed, m.sources());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(file)));
    }

    @Test
    void aSinkFetchedFromItsUrlReportsUseSdpTrueAndTheFetchedSdp() throws Exception {
        com.sun.net.httpserver.HttpServer http = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = SdpSupportTest.LOCAL_L24.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        http.createContext("/sdp", ex -> {
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        http.start();
        try {
            SessionManagerImpl m = manager(dir.resolve("status.json"));
            String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/sdp";
            m.putSink(new Sink(0, "fetched", "Audio Device", false, url, "", 96, false, List.of(0, 1)));
            Sink listed = m.sinks().get(0);
            assertTrue(listed.useSdp(), "the C++ daemon stores and reports use_sdp true after a fetch");
            assertEquals(SdpSupportTest.LOCAL_L24, listed.sdp());
            assertEquals(url, listed.source());
        } finally {
            http.stop(0);
        }
    }

    @Test
    void sourceAndSinkNamesAreSeparateSpaces() throws Exception {
        SessionManagerImpl m = manager(dir.resolve("status.json"));
        m.putSource(source(0, "same"));
        m.putSink(sink(0, "same", SdpSupportTest.LOCAL_L24));
        assertEquals(1, m.sinks().size());
    }

    @Test
    void everyChangeIsOnDiskBeforeItReturnsAndReloads() throws Exception {
        Path file = dir.resolve("status.json");
        SessionManagerImpl m = manager(file);
        for (int i = 0; i < 64; i++) {
            m.putSource(source(i, "src " + i));
            // another device's session: a sink of one of our own would follow its source in the background
            m.putSink(sink(i, "sink " + i, REMOTE));
        }
        m.removeSource(10);
        m.removeSink(20);
        SessionManagerImpl again = manager(file);
        assertEquals(63, again.sources().size());
        assertEquals(63, again.sinks().size());
        assertEquals(m.sources(), again.sources());
        assertEquals(m.sinks(), again.sinks());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temp or rejected files left");
        }
    }

    @Test
    void aCorruptEntryIsRejectedTheRestKeptAndTheFileCopied() throws Exception {
        Path file = dir.resolve("status.json");
        Files.writeString(file, """
                {"sources": [
                  {"id": 0, "enabled": true, "name": "good", "io": "Audio Device", "max_samples_per_packet": 48,
                   "codec": "L24", "address": "", "ttl": 15, "payload_type": 98, "dscp": 34,
                   "refclk_ptp_traceable": false, "map": [0, 1]},
                  {"id": 1, "enabled": true, "name": "bad codec", "io": "Audio Device", "max_samples_per_packet": 48,
                   "codec": "L20", "address": "", "ttl": 15, "payload_type": 98, "dscp": 34,
                   "refclk_ptp_traceable": false, "map": [0, 1]},
                  {"id": 2, "name": "missing keys"}
                ], "sinks": []}
                """);
        SessionManagerImpl m = manager(file);
        assertEquals(List.of("good"), m.sources().stream().map(Source::name).toList());
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("status.json.rejected-")));
        }
    }

    @Test
    void unparseableFileStartsEmptyAndIsKept() throws Exception {
        Path file = dir.resolve("status.json");
        Files.writeString(file, "{\"sources\": [");
        SessionManagerImpl m = manager(file);
        assertTrue(m.sources().isEmpty());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count());
        }
    }

    @Test
    void announcersHearAddsUpdatesAndRemovals() throws Exception {
        SessionManagerImpl m = manager(dir.resolve("status.json"));
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        m.bindAnnouncer(new SourceAnnouncer() {
            @Override
            public void sourceUpdated(Source s, String sdp) {
                heard.add("updated " + s.id() + " " + sdp.lines().filter(l -> l.startsWith("s=")).findFirst().orElse(""));
            }

            @Override
            public void sourceRemoved(Source s, String sdp) {
                heard.add("removed " + s.id());
            }
        });
        m.putSource(source(3, "three"));
        assertEquals("updated 3 s=Daemon 007f0100 three", heard.poll(5, TimeUnit.SECONDS));
        Source off = new Source(3, false, "three", "Audio Device", 48, "L24", "", 15, 98, 34, false, List.of(0, 1));
        m.putSource(off);
        assertEquals("removed 3", heard.poll(5, TimeUnit.SECONDS));
        m.removeSource(3); // already disabled: nothing more to withdraw
        m.putSource(source(4, "four"));
        assertEquals("updated 4 s=Daemon 007f0100 four", heard.poll(5, TimeUnit.SECONDS));
        m.removeSource(4);
        assertEquals("removed 4", heard.poll(5, TimeUnit.SECONDS));
        assertFalse(heard.poll(100, TimeUnit.MILLISECONDS) != null);
    }

    @Test
    void eachSourceRunsAtItsOwnRate() throws Exception {
        SessionManagerImpl m = manager(dir.resolve("status.json"));
        m.putSource(new Source(0, true, "hi-res", "Audio Device", 48, "L24", "", 15, 98, 34, false, List.of(0, 1), 96000));
        m.putSource(source(1, "default"));
        assertTrue(m.sourceSdp(0).contains("a=rtpmap:98 L24/96000/2\na=sync-time:0\na=framecount:48\na=ptime:0.5\n"));
        assertTrue(m.sourceSdp(1).contains("a=rtpmap:98 L24/48000/2\n"));
        assertEquals("invalid sample_rate 22050 (44100, 48000, 88200, 96000, 176400, 192000, 352800, 384000)",
                assertThrows(SessionException.class, () -> m.putSource(new Source(2, true, "x", "Audio Device", 48,
                        "L24", "", 15, 98, 34, false, List.of(0), 22050))).getMessage());
        assertEquals(96000, manager(dir.resolve("status.json")).sources().get(0).sampleRate(), "persisted");
    }

    /** A source of another device (10.18.0.5) as its SAP announcement carries it. */
    static final String REMOTE = SdpSupportTest.LOCAL_L24.replace("127.0.0.1", "10.18.0.5");

    /** A SAP browser that lists {@code heard}. */
    private static SourceBrowser browser(List<RemoteSource> heard) {
        return new SourceBrowser() {
            @Override
            public String protocol() {
                return "SAP";
            }

            @Override
            public List<RemoteSource> remoteSources() {
                return heard;
            }
        };
    }

    private static RemoteSource heard(String announcer, String sdp) {
        return new RemoteSource("SAP", "sap:" + announcer + "-" + sdp.hashCode(), "zero", "", announcer,
                sdp.replace("\n", "\r\n"), 0, 30);
    }

    @Test
    void aSinkFollowsItsSourcesNewSdpAndOnlyThatSink() throws Exception {
        SessionManagerImpl m = manager(dir.resolve("status.json"));
        String other = REMOTE.replace("o=- 8323328 1", "o=- 8323329 1").replace("s=Daemon 007f0100 zero", "s=other");
        m.putSink(sink(0, "follows", REMOTE));
        m.putSink(sink(1, "unrelated", other));
        String newer = REMOTE.replace("o=- 8323328 1 ", "o=- 8323328 2 ")
                .replace("c=IN IP4 239.1.0.1/15", "c=IN IP4 239.1.0.99/15");
        List<RemoteSource> heard = new java.util.ArrayList<>(List.of(heard("10.18.0.5", newer)));
        m.bindBrowser(browser(heard));
        m.updateSinksFromBrowsers();
        assertTrue(m.sinks().get(0).sdp().contains("239.1.0.99"), m.sinks().get(0).sdp());
        assertEquals(other, m.sinks().get(1).sdp());
        assertTrue(Files.readString(dir.resolve("status.json")).contains("239.1.0.99"), "persisted");

        // Switched off: the next change is not followed.
        m.modified(TestConfig.withStatusFile(dir.resolve("status.json").toString()).withAutoSinksUpdate(false));
        heard.set(0, heard("10.18.0.5", newer.replace("239.1.0.99", "239.1.0.77")));
        m.updateSinksFromBrowsers();
        assertTrue(m.sinks().get(0).sdp().contains("239.1.0.99"));
    }

    @Test
    void unchangedSdpsAreNotParsedAgainAndChangedOnesAre() throws Exception {
        SessionManagerImpl m = manager(dir.resolve("status.json"));
        m.putSource(source(0, "zero"));
        m.putSink(sink(0, "from our source", m.sourceSdp(0)));
        m.putSink(sink(1, "from another device", REMOTE));
        // one browsed source under a fixed id, as a browser lists it: a fresh String on every call
        String[] text = {REMOTE.replace("\n", "\r\n")};
        m.bindBrowser(new SourceBrowser() {
            @Override
            public String protocol() {
                return "SAP";
            }

            @Override
            public List<RemoteSource> remoteSources() {
                return List.of(new RemoteSource("SAP", "sap:remote", "zero", "", "10.18.0.5",
                        new String(text[0].toCharArray()), 0, 30));
            }
        });
        m.updateSinksFromBrowsers();
        long first = m.autoUpdateParses();
        assertEquals(4, first, "two sinks, one local source, one browsed source");
        m.updateSinksFromBrowsers();
        m.updateSinksFromBrowsers();
        assertEquals(first, m.autoUpdateParses(), "nothing changed, nothing parsed");

        // Totals after two passes, not per pass: the announcing thread runs passes of its own every 2 s.
        text[0] = REMOTE.replace("o=- 8323328 1 ", "o=- 8323328 2 ").replace("239.1.0.1/15", "239.1.0.99/15")
                .replace("\n", "\r\n");
        m.updateSinksFromBrowsers();
        m.updateSinksFromBrowsers();
        assertTrue(m.sinks().get(1).sdp().contains("239.1.0.99/15"), "followed");
        assertEquals(first + 2, m.autoUpdateParses(), "the browsed source's new text, then its sink's");

        m.putSource(new Source(0, true, "zero", "Audio Device", 48, "L16", "", 15, 98, 34, false, List.of(0, 1)));
        m.updateSinksFromBrowsers();
        m.updateSinksFromBrowsers();
        assertEquals(m.sourceSdp(0), m.sinks().get(0).sdp(), "followed");
        assertEquals(first + 4, m.autoUpdateParses(), "our source's new SDP, then its sink's");
    }

    @Test
    void spoofedAnnouncementsCannotTakeOverASink() throws Exception {
        Path file = dir.resolve("status.json");
        SessionManagerImpl m = manager(file);
        m.putSource(source(0, "zero"));
        String ours = m.sourceSdp(0);
        m.putSink(sink(0, "from our source", ours));
        m.putSink(sink(1, "from another device", REMOTE));
        String remoteV2 = REMOTE.replace("o=- 8323328 1 ", "o=- 8323328 2 ");
        List<RemoteSource> heard = new java.util.ArrayList<>(List.of(
                // our own origin, mangled as in the campaign, and announced from our address
                heard("127.0.0.1", ours.replace("IN IP4 127.0.0.1\n", "IN IP5 127.0.0.1\n")
                        .replace("239.1.0.1/15", "239.1.0.66/15")),
                // our own origin, well-formed: only our session manager speaks for it
                heard("127.0.0.1", ours.replace("239.1.0.1/15", "239.1.0.65/15")),
                heard("10.18.0.9", ours.replace("239.1.0.1/15", "239.1.0.64/15")),
                // the other device's origin, from a third host
                heard("10.18.0.9", remoteV2.replace("239.1.0.1/15", "239.1.0.67/15")),
                heard("", remoteV2.replace("239.1.0.1/15", "239.1.0.63/15")),
                // from its origin, but text the lenient parser would have had to guess at
                heard("10.18.0.5", remoteV2.replace("c=IN IP4 239.1.0.1/15", " c=IN IP4 239.1.0.68/15")),
                heard("10.18.0.5", remoteV2.replace("t=0 0\n", "").replace("239.1.0.1/15", "239.1.0.69/15")),
                heard("10.18.0.5", remoteV2.replace("o=- 8323328 2 ", "o=-  8323328 2 ")
                        .replace("239.1.0.1/15", "239.1.0.70/15")),
                heard("10.18.0.5", remoteV2.replace("a=ptime:1\n", "a=ptime:1\na=ptime:5\n")
                        .replace("239.1.0.1/15", "239.1.0.71/15")),
                heard("10.18.0.5", remoteV2.replace("IN IP4 10.18.0.5\ns=", "IN IP4 010.18.0.5\ns=")
                        .replace("239.1.0.1/15", "239.1.0.72/15")),
                heard("10.18.0.5", remoteV2.replace("c=IN IP4 239.1.0.1/15", "c=IN IP4 239.1.0.73/15")
                        .replace("a=recvonly", "a=recvonly\nbogus line"))));
        m.bindBrowser(browser(heard));
        byte[] before = Files.readAllBytes(file);
        m.updateSinksFromBrowsers();
        assertEquals(ours, m.sinks().get(0).sdp());
        assertEquals(REMOTE, m.sinks().get(1).sdp());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(file)), "nothing saved");

        // our own source changes: its sink follows the source itself, whatever the network says
        m.putSource(new Source(0, true, "zero", "Audio Device", 48, "L16", "", 15, 98, 34, false, List.of(0, 1)));
        m.updateSinksFromBrowsers();
        assertEquals(m.sourceSdp(0), m.sinks().get(0).sdp());
        assertTrue(m.sinks().get(0).sdp().contains("L16/48000/2"));

        // the other device's honest new version, from its own address, is followed
        heard.add(heard("10.18.0.5", remoteV2.replace("239.1.0.1/15", "239.1.0.99/15")));
        m.updateSinksFromBrowsers();
        assertTrue(m.sinks().get(1).sdp().contains("239.1.0.99/15"), m.sinks().get(1).sdp());
    }

    @Test
    void sdpVersionChangesOnEveryUpdate() throws Exception {
        SessionManagerImpl m = manager(dir.resolve("status.json"));
        m.putSource(source(0, "zero"));
        String first = m.sourceSdp(0).lines().filter(l -> l.startsWith("o=")).findFirst().orElseThrow();
        m.putSource(source(0, "zero"));
        String second = m.sourceSdp(0).lines().filter(l -> l.startsWith("o=")).findFirst().orElseThrow();
        assertTrue(first.startsWith("o=- 8323328 "), first);
        assertFalse(first.equals(second), first + " vs " + second);
    }

    /** A driver that refuses every stream with the given failure, for the REST error texts. */
    private static Driver refusing(DriverException failure) {
        return new Driver() {
            @Override
            public void startSource(StreamDescription d) throws DriverException {
                throw failure;
            }

            @Override
            public void stopSource(int id) {
            }

            @Override
            public void startSink(StreamDescription d) throws DriverException {
                throw failure;
            }

            @Override
            public void stopSink(int id) {
            }

            @Override
            public SinkStatus sinkStatus(int id) {
                return SinkStatus.IDLE;
            }
        };
    }

    @Test
    void driverFailuresKeepTheDriversCategoryAndWords() throws Exception {
        SessionManagerImpl m = manager(dir.resolve("status.json"));
        // the kernel module's -401, as the C++ daemon reports it: "(driver) command failed", a 400
        m.bindDriver(refusing(new StreamRejectedException("command failed", "driver")));
        SessionException e = assertThrows(SessionException.class, () -> m.putSource(source(1, "one")));
        assertEquals("driver", e.category());
        assertEquals("command failed", e.getMessage());
        assertTrue(e.isClientError());
        // a timeout of the module: the daemon's own code, a 500
        m.bindDriver(refusing(new DriverException("failed to receive response from driver", null, "daemon")));
        e = assertThrows(SessionException.class, () -> m.putSource(source(1, "one")));
        assertEquals("daemon", e.category());
        assertEquals("failed to receive response from driver", e.getMessage());
        assertFalse(e.isClientError());
        // a driver without a category: described as a daemon error about the driver, as before
        m.bindDriver(refusing(new DriverException("socket closed", null)));
        e = assertThrows(SessionException.class, () -> m.putSource(source(1, "one")));
        assertEquals("daemon", e.category());
        assertEquals("driver: socket closed", e.getMessage());
        assertEquals(List.of(), m.sources(), "nothing kept after a refusal");
    }

    @Test
    void aSinkHandsTheSendersMediaClockOffsetToTheDriver() throws Exception {
        SessionManagerImpl m = manager(dir.resolve("status.json"));
        BlockingQueue<StreamDescription> started = new LinkedBlockingQueue<>();
        m.bindDriver(new Driver() {
            @Override
            public void startSource(StreamDescription d) {
                started.add(d);
            }

            @Override
            public void stopSource(int id) {
            }

            @Override
            public void startSink(StreamDescription d) {
                started.add(d);
            }

            @Override
            public void stopSink(int id) {
            }

            @Override
            public SinkStatus sinkStatus(int id) {
                return SinkStatus.IDLE;
            }
        });
        m.putSink(sink(2, "from a device", SdpSupportTest.LOCAL_L24.replace("a=mediaclk:direct=0",
                "a=mediaclk:direct=3000000000")));
        StreamDescription d = started.poll(5, TimeUnit.SECONDS);
        assertEquals(2, d.id());
        assertEquals(3_000_000_000L, d.rtpTimestampOffset());
        m.putSource(source(1, "ours"));
        assertEquals(0L, started.poll(5, TimeUnit.SECONDS).rtpTimestampOffset());
    }
}
