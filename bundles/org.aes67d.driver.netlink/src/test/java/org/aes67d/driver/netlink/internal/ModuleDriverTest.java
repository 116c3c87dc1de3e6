package org.aes67d.driver.netlink.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.aes67d.api.driver.DriverException;
import org.aes67d.api.driver.StreamDescription;
import org.aes67d.api.driver.StreamRejectedException;
import org.aes67d.api.ptp.PtpState;
import org.aes67d.api.ptp.PtpStatus;
import org.aes67d.api.session.SinkStatus;
import org.aes67d.driver.netlink.internal.sim.SimulatedModule;
import org.aes67d.driver.netlink.internal.transport.AfNetlinkTransport;
import org.aes67d.driver.netlink.internal.transport.ModuleNotLoadedException;
import org.aes67d.driver.netlink.internal.wire.Abi;
import org.aes67d.driver.netlink.internal.wire.ModulePtpConfig;
import org.aes67d.driver.netlink.internal.wire.ModulePtpStatus;
import org.aes67d.driver.netlink.internal.wire.MsgId;
import org.aes67d.driver.netlink.internal.wire.NlCodec;
import org.aes67d.driver.netlink.internal.wire.NlMessage;
import org.aes67d.driver.netlink.internal.wire.StreamInfo;
import org.aes67d.driver.netlink.internal.wire.StreamStatus;
import org.aes67d.driver.netlink.internal.wire.WireFuzzTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The whole driver against the simulated module over real loopback sockets. */
class ModuleDriverTest {
    static final int PID = 0x1234;
    static final Duration DEADLINE = Duration.ofSeconds(15);

    private SimulatedModule sim;
    private ModuleDriver driver;
    private final List<String> calls = new CopyOnWriteArrayList<>();

    static ModuleDriver.Settings settings(int timeoutMillis) {
        return settings(timeoutMillis, 300);
    }

    static ModuleDriver.Settings settings(int timeoutMillis, int pollMillis) {
        return new ModuleDriver.Settings("lo", "", 48000, 48, 1024, 0, 3, 46, timeoutMillis, pollMillis, 100);
    }

    ModuleDriver driver(Abi abi, int timeoutMillis) throws Exception {
        return driver(abi, timeoutMillis, 300);
    }

    ModuleDriver driver(Abi abi, int timeoutMillis, int pollMillis) throws Exception {
        sim = new SimulatedModule(abi);
        driver = new ModuleDriver(() -> sim.transport(PID), settings(timeoutMillis, pollMillis), new Recorder());
        return driver;
    }

    /** Records the listener calls in {@link #calls}. */
    private final class Recorder implements ModuleDriver.Listener {
        @Override
        public void connected(ModuleDriver d) {
            calls.add("connected");
        }

        @Override
        public void lost(ModuleDriver d, String reason) {
            calls.add("lost: " + reason);
        }

        @Override
        public void ptpChanged(PtpStatus status) {
            calls.add("ptp " + status.state().wireName());
        }
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    static boolean poll(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }

    static StreamDescription source(int id, String codec, int channels, int frames) {
        return new StreamDescription(id, "239.1.0." + (1 + id), 5004, codec, 48000, channels, frames, 98, 15, 34, 0,
                "Audio Device", java.util.stream.IntStream.range(0, channels).boxed().toList());
    }

    static StreamDescription sink(int id, String address) {
        return new StreamDescription(id, address, 5004, "L24", 48000, 2, 48, 98, 0, 0, 96, "Audio Device",
                List.of(0, 1));
    }

    @ParameterizedTest
    @EnumSource(Abi.class)
    void startUpIsTheCppDaemonsSequenceAndTheAbiIsProbed(Abi abi) throws Exception {
        driver(abi, 1000);
        assertNull(driver.connectOnce());
        assertEquals(List.of("Hello", "GetPTPStatus", "Start", "Reset", "SetInterfaceName", "SetPTPConfig",
                "SetTICFrameSizeAt1FS", "SetPlayoutDelay", "SetMaxTICFrameSize"), sim.commands());
        assertEquals(abi, driver.abi());
        assertEquals(PID, sim.daemonPid());
        assertEquals("lo", sim.interfaceName());
        assertEquals(new ModulePtpConfig(3, 46), sim.ptpConfig());
        assertEquals(48, sim.ticFrameSize());
        assertEquals(1024, sim.maxTicFrameSize());
        NlMessage helloAnswer = sim.lastAnswer();
        assertNotNull(helloAnswer, "the Hello event was answered");
        assertEquals(MsgId.HELLO, helloAnswer.id());
        assertEquals(0, helloAnswer.payload().length);
        assertEquals(List.of("connected", "ptp unlocked"), calls);
        assertEquals("AB-AB-AB-AB-AB-AB-AB-AB", driver.ptpStatus().grandmasterId());
    }

    @Test
    void sourcesAndSinksGoToTheModuleWithTheirFields() throws Exception {
        driver(Abi.ABI_2, 1000);
        assertNull(driver.connectOnce());
        sim.clearCommands();
        driver.startSource(source(0, "L24", 2, 48));
        StreamInfo s = sim.streams().get(0);
        assertTrue(s.source());
        assertEquals(0xEF010001, s.destIp());
        assertArrayEquals(new byte[] {1, 0, 0x5E, 1, 0, 1}, s.destMac());
        assertEquals(0x7F000001, s.srcIp());
        assertEquals(15, s.ttl());
        assertEquals(34, s.dscp());
        assertEquals(3, s.wordLength());
        assertArrayEquals(new int[] {0, 1}, s.routing());
        assertEquals(48000, s.samplingRate());

        driver.startSource(source(0, "L16", 2, 48)); // same id: an update
        assertEquals(List.of("Add_RTPStream", "Remove_RTPStream", "Add_RTPStream"), sim.commands());
        assertEquals(1, sim.streams().size());
        assertEquals("L16", sim.streams().get(0).codec());

        assertEquals(0, sim.streams().get(0).rtpTimestampOffset(), "a source's offset is 0, as the C++ daemon's");

        // the sender's a=mediaclk:direct=N reaches the module as m_ui32RTPTimestampOffset (@121, u32 LE)
        StreamDescription withOffset = sink(3, "239.2.0.9");
        withOffset = new StreamDescription(3, withOffset.address(), withOffset.port(), withOffset.codec(),
                withOffset.sampleRate(), withOffset.channels(), withOffset.framesPerPacket(), withOffset.payloadType(),
                0, 0, withOffset.delay(), withOffset.io(), withOffset.map(), 0xDEADBEEFL);
        driver.startSink(withOffset);
        StreamInfo k = sim.streams().get(1);
        assertFalse(k.source());
        assertEquals(96, k.playoutDelay());
        assertEquals(48, k.frameSize());
        assertEquals(0, k.srcIp());
        assertEquals(0xDEADBEEF, k.rtpTimestampOffset());
        byte[] wire = k.encode(Abi.ABI_2);
        assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBE, (byte) 0xAD, (byte) 0xDE},
                java.util.Arrays.copyOfRange(wire, 121, 125));
        sim.setSinkFlags(StreamStatus.RECEIVING | StreamStatus.SEQ_ID_ERROR);
        SinkStatus st = driver.sinkStatus(3);
        assertTrue(st.receivingRtpPacket());
        assertTrue(st.seqIdError());
        assertFalse(st.muted());
        assertEquals(48, st.minTime());
        assertEquals(SinkStatus.IDLE, driver.sinkStatus(4));

        driver.stopSource(0);
        driver.stopSink(3);
        assertEquals(List.of(), sim.streams());
    }

    @Test
    void moduleErrorsMapToTheCppDaemonsStatusAndText() throws Exception {
        driver(Abi.ABI_2, 1000);
        assertNull(driver.connectOnce());
        // 48 samples x 12 channels x 3 bytes = 1728 > 1460: the module answers -401 (command failed) -> 400
        StreamRejectedException e = assertThrows(StreamRejectedException.class,
                () -> driver.startSource(source(1, "L24", 12, 48)));
        // the C++ daemon's words only: REST makes "failed to add source 1 : (driver) command failed" of them
        assertEquals("command failed", e.getMessage());
        assertEquals("driver", e.category());
        // a refused update leaves the running stream in the module
        driver.startSource(source(1, "L24", 2, 48));
        assertThrows(StreamRejectedException.class, () -> driver.startSource(source(1, "L24", 12, 48)));
        assertEquals(1, sim.streams().size());
        assertEquals(2, sim.streams().get(0).channels());
        driver.stopSource(1);
        // refused by us before the module: codecs the module does not know
        assertThrows(StreamRejectedException.class, () -> driver.startSource(source(2, "L20", 2, 48)));
        assertEquals(List.of(), sim.streams());
    }

    @Test
    void aMissingReplyIsAClearErrorAfterOneSecondAndTheModuleIsGreetedAgain() throws Exception {
        driver(Abi.ABI_2, 1000, 60_000); // no PTP poll in between: the dropped reply is the sink's
        driver.start();
        assertTrue(poll(driver::ready));
        driver.startSource(source(0, "L24", 2, 48));
        sim.dropReplies(1);
        long t0 = System.nanoTime();
        DriverException e = assertThrows(DriverException.class, () -> driver.startSink(sink(1, "239.2.0.1")));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertFalse(e instanceof StreamRejectedException, "a timeout is a 500");
        assertEquals("failed to receive response from driver", e.getMessage());
        assertEquals("daemon", e.category());
        assertTrue(ms >= 950 && ms < 10_000, ms + " ms");
        // lost, greeted again, the source re-added
        assertTrue(poll(() -> calls.stream().anyMatch(c -> c.startsWith("lost: kernel module lost"))), calls::toString);
        assertTrue(poll(() -> driver.ready() && sim.streams().size() == 1), () -> sim.commands().toString());
        assertTrue(sim.commands().lastIndexOf("Hello") > 0);
    }

    @Test
    void staleAndMalformedRepliesAreSkippedOrGiveAClearError() throws Exception {
        driver(Abi.ABI_1, 300);
        assertNull(driver.connectOnce());
        sim.sendStaleReplyFirst();
        driver.startSource(source(0, "L24", 2, 48));
        assertEquals(1, sim.streams().size());
        assertEquals(402, sim.streams().get(0).encode(Abi.ABI_1).length);

        Random r = new Random(16);
        for (int i = 0; i < 4; i++) {
            byte[] garbage = new byte[r.nextInt(60)];
            r.nextBytes(garbage);
            sim.replyGarbage(garbage);
            ModuleLink l = linkOf();
            var err = assertThrows(org.aes67d.driver.netlink.internal.wire.ModuleError.class,
                    () -> l.command(MsgId.GET_SAMPLE_RATE, new byte[0]));
            assertTrue(err.code() == 65 || err.code() == 63, err.getMessage());
        }
        // a reply with a huge dataSize in its header
        byte[] huge = NlCodec.encode(0, MsgId.GET_SAMPLE_RATE, 0, NlCodec.int32(48000));
        huge[24] = (byte) 0xFF;
        huge[27] = (byte) 0x7F;
        sim.replyGarbage(huge);
        var err = assertThrows(org.aes67d.driver.netlink.internal.wire.ModuleError.class,
                () -> linkOf().command(MsgId.GET_SAMPLE_RATE, new byte[0]));
        assertEquals("(daemon) unexpected driver command response code", err.restText());
        assertEquals(48000, linkOf().command(MsgId.GET_SAMPLE_RATE, new byte[0]).int32(), "back in step");
    }

    private ModuleLink linkOf() throws Exception {
        var f = ModuleDriver.class.getDeclaredField("link");
        f.setAccessible(true);
        return (ModuleLink) f.get(driver);
    }

    @Test
    void eventsAreAnsweredAsTheCppDaemonAnswersThem() throws Exception {
        driver(Abi.ABI_2, 1000);
        driver.start();
        assertTrue(poll(driver::ready));
        assertEquals(-20, sim.sendEvent(MsgId.GET_MASTER_OUTPUT_VOLUME, new byte[0]).int32());
        assertEquals(0, sim.sendEvent(MsgId.SET_MASTER_OUTPUT_VOLUME, NlCodec.int32(-7)).payload().length);
        assertEquals(-7, sim.sendEvent(MsgId.GET_MASTER_OUTPUT_VOLUME, new byte[0]).int32());
        assertEquals(0, sim.sendEvent(MsgId.SET_MASTER_OUTPUT_SWITCH, NlCodec.int32(1)).payload().length);
        assertEquals(1, sim.sendEvent(MsgId.GET_MASTER_OUTPUT_SWITCH, new byte[0]).int32());
        NlMessage unknown = sim.sendEvent(77, new byte[0]);
        assertEquals(77, unknown.id());
        assertArrayEquals(new byte[4], unknown.payload());
        // an ALSA application asks for 96 kHz: the driver applies it with a SetSampleRate command
        assertEquals(0, sim.sendEvent(MsgId.SET_SAMPLE_RATE, NlCodec.int32(96000)).payload().length);
        assertTrue(poll(() -> sim.sampleRate() == 96000 && driver.currentRate() == 96000));
        assertEquals(PID, sim.sendEvent(MsgId.HELLO, new byte[0]).pid());
    }

    @Test
    void malformedEventsAreIgnoredAndTheNextEventIsAnswered() throws Exception {
        driver(Abi.ABI_2, 1000);
        assertNull(driver.connectOnce());
        Random r = new Random(0x29);
        byte[] valid = NlCodec.encodeInt(0, MsgId.SET_MASTER_OUTPUT_VOLUME, -3);
        for (int i = 0; i < 200; i++) {
            byte[] b = WireFuzzTest.mutate(r, valid);
            if (b.length >= 40 && b[20] == 0 && b[21] == 0 && b[22] == 0 && b[23] == 0) {
                b[20] = -1; // an event with an error code is not answered; keep the channel free of answers
            }
            sim.sendRawEvent(b);
        }
        // the burst may take the event thread a while on a busy machine: wait until it answers again
        assertTrue(poll(() -> {
            try {
                NlMessage m = sim.sendEvent(MsgId.HELLO, new byte[0]);
                return m != null && m.id() == MsgId.HELLO;
            } catch (java.io.IOException e) {
                return false;
            }
        }));
        // whatever the bytes did to the cached values, the event thread is alive and answers in order
        assertEquals(0, sim.sendEvent(MsgId.SET_MASTER_OUTPUT_VOLUME, NlCodec.int32(-9)).payload().length);
        NlMessage a = sim.sendEvent(MsgId.GET_MASTER_OUTPUT_VOLUME, new byte[0]);
        assertEquals(MsgId.GET_MASTER_OUTPUT_VOLUME, a.id());
        assertEquals(-9, a.int32());
        assertTrue(driver.ready());
    }

    @Test
    void ptpStatusComesFromTheModuleAndLockAppliesTheRate() throws Exception {
        driver(Abi.ABI_2, 1000);
        driver.start();
        assertTrue(poll(driver::ready));
        assertEquals(PtpState.UNLOCKED, driver.ptpState());
        sim.clearCommands();
        sim.setPtpStatus(new ModulePtpStatus(ModulePtpStatus.LOCKED,
                new byte[] {0, 0x1D, (byte) 0xC1, (byte) 0xFF, (byte) 0xFE, 0x50, 0x36, 0x33}, 12));
        assertTrue(poll(() -> driver.ptpState() == PtpState.LOCKED));
        PtpStatus s = driver.ptpStatus();
        assertEquals("00-1D-C1-FF-FE-50-36-33", s.grandmasterId());
        assertEquals(12, s.jitter());
        assertTrue(poll(() -> sim.commands().contains("SetSampleRate")), () -> sim.commands().toString());
        List<String> c = sim.commands();
        int i = c.indexOf("SetSampleRate");
        assertEquals(List.of("GetPTPConfig", "GetPTPStatus", "SetSampleRate"), c.subList(i - 2, i + 1));
        // the listener hears of the lock after the SetSampleRate reply, on the monitor thread
        assertTrue(poll(() -> calls.contains("ptp locked")), calls::toString);
    }

    @Test
    void unloadedModuleGivesClearErrorsStreamsDownAndReHelloWhenBack() throws Exception {
        driver(Abi.ABI_2, 1000);
        driver.start();
        assertTrue(poll(driver::ready));
        driver.startSource(source(0, "L24", 2, 48));
        driver.startSink(sink(0, "239.2.0.1"));
        sim.setLoaded(false);
        assertEquals(SinkStatus.IDLE, driver.sinkStatus(0)); // no reply: down
        assertTrue(poll(() -> !driver.ready()));
        assertEquals(PtpStatus.unlocked(), driver.ptpStatus());
        DriverException e = assertThrows(DriverException.class, () -> driver.startSource(source(1, "L24", 2, 48)));
        assertEquals("failed to send command to driver", e.getMessage());
        assertEquals("daemon", e.category());
        assertTrue(driver.takeRefusedWhileAway());
        assertEquals(SinkStatus.IDLE, driver.sinkStatus(0));
        sim.setLoaded(true);
        // both in the module and both handles back in the driver (the module has the sink a moment before the
        // driver has its handle)
        assertTrue(poll(() -> driver.ready() && sim.streams().size() == 2 && driver.streamsInModule() == 2),
                () -> sim.commands().toString());
        assertTrue(driver.sinkStatus(0).receivingRtpPacket());
        // told after the connection is complete, on the monitor thread
        assertTrue(poll(() -> calls.stream().filter("connected"::equals).count() == 2), calls::toString);
    }

    @Test
    void noModuleAndSilentModuleAreClearReasons() throws Exception {
        ModuleDriver none = new ModuleDriver(() -> {
            throw new ModuleNotLoadedException("kernel module not loaded (test)");
        }, settings(1000), null);
        assertEquals("kernel module not loaded (test)", none.connectOnce());
        assertFalse(none.ready());
        if (!java.nio.file.Files.exists(java.nio.file.Path.of(ModuleDriver.SYSFS))) {
            // the real transport on this kernel: the auto-selection's reason
            ModuleDriver real = new ModuleDriver(AfNetlinkTransport::new, settings(1000), null);
            String why = real.connectOnce();
            assertTrue(why.startsWith("kernel module not loaded (socket(AF_NETLINK, SOCK_RAW, 31) failed"), why);
            assertEquals("AF_NETLINK pid " + ProcessHandle.current().pid(), real.describe());
        }

        driver(Abi.ABI_2, 1000);
        sim.setLoaded(false);
        long t0 = System.nanoTime();
        String why = driver.connectOnce();
        assertTrue(why.startsWith("Hello: failed to receive response from driver"), why);
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 10_000);
    }

    @Test
    void shutdownRemovesStreamsStopsAndSaysBye() throws Exception {
        driver(Abi.ABI_2, 1000);
        assertNull(driver.connectOnce());
        driver.startSource(source(0, "L24", 2, 48));
        sim.clearCommands();
        driver.close();
        assertEquals(List.of("Remove_RTPStream", "Stop", "Bye"), sim.commands());
        // the driver waited for its answer to the Bye event before closing; the module records it a moment later
        assertTrue(poll(() -> sim.lastAnswer().id() == MsgId.BYE && sim.daemonPid() == 0));
        driver = null;
    }

    @Test
    void settingsChangeLiveOrRestartTheModule() throws Exception {
        driver(Abi.ABI_2, 1000);
        driver.start();
        assertTrue(poll(driver::ready));
        driver.startSource(source(0, "L24", 2, 48));
        driver.update(new ModuleDriver.Settings("lo", "", 96000, 48, 1024, 480, 5, 48, 1000, 300, 100));
        assertEquals(96000, sim.sampleRate());
        assertEquals(480, sim.playoutDelay());
        assertEquals(new ModulePtpConfig(5, 48), sim.ptpConfig());
        sim.clearCommands();
        driver.update(new ModuleDriver.Settings("lo", "", 96000, 96, 2048, 480, 5, 48, 1000, 300, 100));
        assertTrue(poll(() -> sim.ticFrameSize() == 96 && driver.ready() && sim.streams().size() == 1),
                () -> sim.commands().toString());
        assertEquals(1024, sim.maxTicFrameSize(), "clamped as the C++ daemon does");
        assertTrue(sim.commands().containsAll(List.of("Remove_RTPStream", "Stop", "Bye", "Hello", "Start", "Reset")));
    }
}
