package org.aes67d.driver.userspace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.aes67d.api.session.SinkStatus;
import org.aes67d.audio.basic.internal.TestSignal;
import org.aes67d.rtp.RtpHeader;
import org.aes67d.rtp.SampleCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in stream verifier: a hand-made sender of the {@code test:prbs} signal injects one of each fault, and
 * a {@code verify:} sink reports each exactly, in the RTP counters and in the signal check; and our own
 * {@code test:prbs} source through a {@code verify:} sink is clean.
 */
class VerifierTest {
    private static final int CH = 2;
    private static final int FPP = 48;
    /** Packets on the wire; the slip (the sender's timestamps jump 576 frames ahead, content goes on) at SLIP. */
    private static final int PACKETS = 200;
    private static final int SLIP = 120;

    @TempDir
    Path media;

    private static final class Sender implements AutoCloseable {
        final DatagramChannel ch;
        final byte[] pkt = new byte[12 + FPP * CH * 3];
        final int[] frames = new int[FPP * CH];
        long next = System.nanoTime();
        /** The worst lateness of this (normal priority) sender: a host stall the sink's delay must cover. */
        long maxLateNanos;

        /** Aborts the test (reported, not failed) if this sender stalled beyond half of the sink's delay. */
        void assumeNoStallBeyond(int delayFrames) {
            long margin = delayFrames * 1_000_000_000L / 48000 / 2;
            if (maxLateNanos > margin) {
                String msg = "host stall: the test's sender was " + maxLateNanos / 1_000_000.0 + " ms late (margin "
                        + margin / 1_000_000.0 + " ms)";
                System.out.println(msg);
                org.junit.jupiter.api.Assumptions.abort(msg);
            }
        }

        Sender(String group, int port) throws IOException {
            ch = DatagramChannel.open(StandardProtocolFamily.INET);
            ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName("lo"));
            ch.bind(new InetSocketAddress("127.0.0.1", 0));
            ch.connect(new InetSocketAddress(InetAddress.getByName(group), port));
        }

        /** Packet i: sequence 7 + i, signal frames 48 i.., timestamp 48 i (+ 576 from the slip on). */
        void send(int i, int pt, boolean flipABit) throws IOException {
            for (int f = 0; f < FPP; f++) {
                for (int c = 0; c < CH; c++) {
                    frames[f * CH + c] = TestSignal.sample((long) i * FPP + f, c);
                }
            }
            if (flipABit) {
                frames[17 * CH + 1] ^= 1 << 20;
            }
            int ts = 0x7654321 + i * FPP + (i >= SLIP ? 576 : 0);
            RtpHeader.write(pkt, 0, i == 0, pt, 7 + i, ts, 0x5EED);
            SampleCodec.L24.encode(frames, 0, pkt, 12, frames.length);
            next += 1_000_000;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // pace like a real sender
            }
            maxLateNanos = Math.max(maxLateNanos, System.nanoTime() - next);
            ch.write(ByteBuffer.wrap(pkt));
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        Object v = m.get(key);
        assertTrue(v instanceof Map, key + " in " + m);
        return (Map<String, Object>) v;
    }

    private static long n(Map<String, Object> m, String key) {
        Object v = m.get(key);
        assertNotNull(v, key + " in " + m);
        return ((Number) v).longValue();
    }

    @Test
    void lossReorderingDuplicatesABitFlipAndA576FrameShiftAreEachReportedExactly() throws Exception {
        try (Harness h = new Harness(media, false); Sender s = new Sender("239.69.13.1", 5018)) {
            // 100 ms: far beyond a stall of the test's sender on a loaded host
            h.driver.startSink(Harness.stream(0, "239.69.13.1", 5018, "L24", 48000, CH, FPP, 4800, "verify:"));
            Map<String, Object> fresh = h.driver.sinkStatus(0).verifier();
            assertEquals(0L, fresh.get("glitches"));
            assertEquals(null, fresh.get("last_glitch"));
            for (int i = 0; i < PACKETS; i++) {
                switch (i) {
                    case 50 -> { } // lost
                    case 60 -> {
                        s.send(61, 97, false); // 60 and 61 swapped, both still in time
                        s.send(60, 97, false);
                    }
                    case 61 -> { }
                    case 70 -> {
                        s.send(70, 97, false);
                        s.send(70, 97, false); // duplicated
                    }
                    case 80 -> {
                        s.send(80, 97, false);
                        s.send(80, 96, false); // another payload type: rejected
                    }
                    case 100 -> s.send(100, 97, true); // one bit of one sample flipped
                    default -> s.send(i, 97, false);
                }
            }
            SinkStream sink = h.driver.engine().sink(0);
            long end = sink.buffer().highestEnd();
            Harness.await(() -> sink.buffer().readPosition() >= end, 5, "playout of the last packet");

            s.assumeNoStallBeyond(4800);
            h.assumeNoStallBeyond(4800, 48000, 0);
            SinkStatus peeked = h.driver.peekSinkStatus(0); // a monitor's read takes nothing from REST's
            assertTrue(peeked.seqIdError(), "the loss, seen by a peek");
            SinkStatus st = h.driver.sinkStatus(0);
            assertTrue(st.seqIdError(), "still latched for the reader after a peek");
            assertFalse(h.driver.peekSinkStatus(0).seqIdError(), "cleared by the read");
            Map<String, Object> v = st.verifier();
            Map<String, Object> rtp = map(v, "since_creation");
            assertEquals(rtp, map(peeked.verifier(), "since_last_read"), "a peek does not start a new window");
            assertEquals(PACKETS, n(rtp, "received"), "every valid packet, the duplicate too: " + rtp);
            assertEquals(1, n(rtp, "lost"));
            assertEquals(1, n(rtp, "reordered"));
            assertEquals(1, n(rtp, "duplicated"));
            assertEquals(1, n(rtp, "payload_type_errors"));
            assertEquals(1, n(rtp, "timestamp_errors"), "the slip: a timestamp that does not follow");
            assertEquals(4, n(rtp, "sequence_errors"), "after the loss, both swapped packets, the duplicate");
            assertEquals(0, n(rtp, "late") + n(rtp, "early") + n(rtp, "re_anchors") + n(rtp, "ssrc_errors")
                    + n(rtp, "malformed") + n(rtp, "sequence_jumps"));
            assertEquals(FPP + 576, n(rtp, "lost_frames"), "the lost packet and the slip's gap, played as silence");
            assertEquals(5, n(rtp, "glitches"));
            assertEquals(5, n(v, "glitches"));
            assertTrue(v.get("last_glitch") instanceof String);
            assertEquals(rtp, map(v, "since_last_read"), "the first read covers everything");

            Map<String, Object> signal = map(v, "signal");
            assertEquals(true, signal.get("locked"));
            assertEquals(1, n(signal, "error_frames"), "the flipped bit");
            assertEquals(1, n(signal, "sample_errors"));
            assertEquals(FPP + 576, n(signal, "lost_frames"));
            assertEquals(1, n(signal, "shifts"), "the slip");
            assertEquals(576, n(signal, "last_shift_frames"));
            // where checking starts depends on when the sink's first read came (a loaded host cut 113 frames of
            // the first packets once), so the bound is the first glitch: the loss of packet 50 was counted, so
            // every frame from there on was checked
            assertTrue(n(signal, "frames_ok") > (long) (PACKETS - 52) * FPP, "" + signal);
            assertEquals(n(signal, "frames_checked"), n(signal, "frames_ok") + n(signal, "error_frames")
                    + n(signal, "lost_frames") + n(signal, "silent_now_frames"));

            Map<String, Object> again = map(h.driver.sinkStatus(0).verifier(), "since_last_read");
            assertEquals(0, n(again, "glitches"), "nothing new since the last read: " + again);
            assertFalse(h.driver.sinkStatus(0).someMuted());
        }
    }

    @Test
    void ourTestSignalThroughOurSinkIsClean() throws Exception {
        try (Harness h = new Harness(media, false)) {
            // 250 ms: beyond any stall of a loaded host; the verifier's job here is to find nothing
            h.driver.startSink(Harness.stream(1, "239.69.13.2", 5018, "L16", 48000, 8, 6, 12000, "verify:"));
            h.driver.startSource(Harness.stream(1, "239.69.13.2", 5018, "L16", 48000, 8, 6, 0, "test:prbs"));
            SinkStream sink = h.driver.engine().sink(1);
            Harness.await(() -> n(map(sink.verifier(false), "signal"), "frames_ok") > 48000, 20,
                    "1 s of the signal verified");
            h.assumeNoStallBeyond(12000, 48000, 1);
            Map<String, Object> v = h.driver.sinkStatus(1).verifier();
            Map<String, Object> signal = map(v, "signal");
            assertEquals(0, n(signal, "error_frames") + n(signal, "lost_frames") + n(signal, "shifts"), "" + v);
            assertEquals(0, n(v, "glitches"), "" + v);
            assertEquals(true, v.get("aligned"));
        }
    }
}
