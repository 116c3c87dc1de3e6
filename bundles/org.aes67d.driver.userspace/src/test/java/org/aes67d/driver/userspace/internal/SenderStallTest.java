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
 * packet a receiver could still play goes out late, in order, without a gap in timestamps: 20 ms of audio at once,
 * the rest at 4x real time; only what is older than one second is skipped, and counted. The
 * packets go through a real socket and are checked on the wire.
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

    private static final long T0 = 1_000_000_000_000L; // local = PTP ns, on a packet boundary

    /** Packets whose boundary has passed at local time {@code t} (the stream started at the boundary after T0). */
    private static long due(long t) {
        return t < T0 + PTIME_NS ? 0 : (t - T0 - PTIME_NS) / PTIME_NS + 1;
    }

    /**
     * The clock loop with one source, waking when the stream asks (plus {@code wakeLateNanos}) until every due
     * packet is sent or skipped; returns the local time then.
     */
    private static long catchUp(SourceStream s, PtpClock clock, long t, long wakeLateNanos, Wire wire, int[] maxAtOnce)
            throws IOException {
        while (true) {
            long sent = s.packetsSent();
            long deadline = s.service(t, clock, true);
            maxAtOnce[0] = (int) Math.max(maxAtOnce[0], s.packetsSent() - sent);
            wire.drain();
            if (s.packetsSent() + s.packetsSkipped() == due(t)) {
                return t;
            }
            assertTrue(deadline > t, "asks for a later wake-up");
            t = deadline + wakeLateNanos;
        }
    }

    private static final long PTIME_NS = 1_000_000;

    @Test
    void aStallBelowOneSecondLosesNothingIsPacedAndOlderPacketsAreSkippedAndCounted() throws IOException {
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
            long t = T0;
            s.service(t, clock, true); // starts at the next boundary
            t += 1_000_000;
            s.service(t, clock, true);
            long sent = s.packetsSent();
            int burst = RATE * CatchUp.BURST_MILLIS / 1000 / FPP + 1; // 20 ms of audio and the packet itself
            int[] maxAtOnce = new int[1];
            // a 700 ms stall: every packet of it goes out, late: 20 ms at once, the rest at 4x real time, so on time
            // again after (700 - 21) / 3 ms
            t += 700_000_000;
            long resumed = t;
            t = catchUp(s, clock, t, 0, wire, maxAtOnce);
            long took = t - resumed;
            long caughtUp = s.packetsSent() - sent;
            assertEquals(0, s.packetsSkipped());
            assertEquals(700 + took / PTIME_NS, caughtUp, "the stall's packets and those due meanwhile, none lost");
            assertTrue(Math.abs(took - (700 - burst) * PTIME_NS / (CatchUp.SPEED - 1)) <= PTIME_NS,
                    "caught up at 4x real time: " + took + " ns");
            assertEquals(burst, maxAtOnce[0], "never more than the credit back to back");
            // a 300 ms stall with a loop that wakes 1 ms late each time (PREEMPT_NONE): the credit keeps 4x
            t += 300_000_000;
            resumed = t;
            maxAtOnce[0] = 0;
            t = catchUp(s, clock, t, 1_000_000, wire, maxAtOnce);
            assertTrue(t - resumed <= 100_000_000 + 3 * PTIME_NS, "4x despite late wake-ups: " + (t - resumed));
            assertEquals(0, s.packetsSkipped());
            // a 3 s stall: the packets older than 1 s are skipped and counted, the last second is sent, paced
            t += 3_000_000_000L;
            resumed = t;
            sent = s.packetsSent();
            maxAtOnce[0] = 0;
            t = catchUp(s, clock, t, 0, wire, maxAtOnce);
            took = t - resumed;
            assertEquals(2000, s.packetsSkipped(), "older than one second");
            assertEquals(1000 + took / PTIME_NS, s.packetsSent() - sent, "the last second and those due meanwhile");
            assertTrue(Math.abs(took - (1000 - burst) * PTIME_NS / (CatchUp.SPEED - 1)) <= PTIME_NS,
                    "a long stall ends in a bounded catch-up: " + took + " ns");
            assertEquals(burst, maxAtOnce[0]);
            // on time again (the packet after a catch-up keeps its pace, a quarter packet at most): one packet at
            // each boundary
            t = (t / PTIME_NS + 2) * PTIME_NS;
            s.service(t, clock, true);
            assertEquals(due(t), s.packetsSent() + s.packetsSkipped());
            long before = s.packetsSent();
            for (int i = 1; i <= 10; i++) {
                t += PTIME_NS;
                assertEquals(t + PTIME_NS, s.service(t, clock, true), "asks for the next boundary");
                assertEquals(before + i, s.packetsSent(), "one packet per boundary");
            }
            wire.drain();
            assertEquals(0, s.sendErrors());
            assertEquals(s.packetsSent(), wire.packets, "every packet on the wire");
            assertEquals(1, wire.tsJumps, "timestamps consecutive but across the skipped packets");
        }
    }
}
