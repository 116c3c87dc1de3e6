package org.aes67d.driver.userspace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import org.aes67d.api.ptp.PtpClock;
import org.aes67d.api.ptp.PtpState;
import org.aes67d.api.ptp.PtpStatus;
import org.aes67d.rtp.RtpHeader;
import org.aes67d.rtp.SampleCodec;
import org.junit.jupiter.api.Test;

/**
 * A source after a stall of its thread (driven by a clock the test moves, so no real stall is needed): every
 * packet a receiver could still play goes out late, in order, without a gap in timestamps; only what is older
 * than one second is skipped, and counted.
 */
class SenderStallTest {
    private static final int RATE = 48000;
    private static final int FPP = 48;

    /** PTP time = the test's own local time; the test calls the stream with the "local" times it chooses. */
    private static final class ManualClock implements PtpClock {
        @Override public long ptpTimeNanos(long localNanos) { return localNanos; }
        @Override public long localNanos(long ptpNanos) { return ptpNanos; }
        @Override public PtpStatus status() { return new PtpStatus(PtpState.LOCKED, "", 0, 0, 0); }
        @Override public PtpState state() { return PtpState.LOCKED; }
    }

    /** Reads what arrived so far: sequence numbers must be consecutive; counts timestamp jumps. */
    private static final class Wire {
        final DatagramChannel rx;
        final RtpHeader h = new RtpHeader();
        final ByteBuffer b = ByteBuffer.allocate(2048);
        int packets;
        int prevSeq = -1;
        int prevTs;
        int tsJumps;

        Wire(DatagramChannel rx) {
            this.rx = rx;
        }

        void drain() throws IOException {
            while (true) {
                b.clear();
                if (rx.receive(b) == null) {
                    return;
                }
                assertEquals(RtpHeader.OK, h.parse(b.array(), 0, b.position()));
                if (prevSeq >= 0) {
                    assertEquals((prevSeq + 1) & 0xFFFF, h.sequence(), "consecutive sequence numbers");
                    if (h.timestamp() - prevTs != FPP) {
                        tsJumps++;
                    }
                }
                prevSeq = h.sequence();
                prevTs = h.timestamp();
                packets++;
            }
        }
    }

    @Test
    void aStallBelowOneSecondLosesNothingAndOlderPacketsAreSkippedAndCounted() throws IOException {
        try (DatagramChannel rx = DatagramChannel.open(StandardProtocolFamily.INET);
                DatagramChannel tx = DatagramChannel.open(StandardProtocolFamily.INET)) {
            rx.bind(new InetSocketAddress("127.0.0.1", 0));
            rx.configureBlocking(false);
            tx.connect(rx.getLocalAddress());
            Wire wire = new Wire(rx);
            AudioIn silence = new AudioIn() {
                @Override public void read(long pos, int[] dst, int frames) { java.util.Arrays.fill(dst, 0); }
                @Override public void close() { }
            };
            SourceStream s = new SourceStream(0, RATE, 2, FPP, 97, 1, 0, SampleCodec.L24, tx, silence, false);
            PtpClock clock = new ManualClock();
            long t = 1_000_000_000_000L; // local = PTP ns, on a packet boundary
            s.service(t, clock, true); // starts at the next boundary
            t += 1_000_000;
            s.service(t, clock, true);
            long sent = s.packetsSent();
            // a 700 ms stall: every packet of it goes out, late, over the calls that follow at once
            t += 700_000_000;
            int calls = 0;
            while (s.service(t, clock, true) <= t) {
                calls++;
                wire.drain();
            }
            wire.drain();
            assertEquals(700, s.packetsSent() - sent, "packets of a 700 ms stall sent late");
            assertEquals(0, s.packetsSkipped());
            assertTrue(calls > 1, "sent in bursts of at most 20 ms, not all at once");
            // a 3 s stall: the packets older than 1 s are skipped and counted, the last second is sent
            sent = s.packetsSent();
            t += 3_000_000_000L;
            while (s.service(t, clock, true) <= t) {
                wire.drain();
            }
            wire.drain();
            assertEquals(2000, s.packetsSkipped(), "older than one second");
            assertEquals(1000, s.packetsSent() - sent, "the last second sent late");
            assertEquals(0, s.sendErrors());
            assertEquals(s.packetsSent(), wire.packets, "every packet on the wire");
            assertEquals(1, wire.tsJumps, "timestamps consecutive but across the skipped packets");
        }
    }
}
