package org.aes67d.driver.userspace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;

import org.aes67d.api.ptp.PtpClock;
import org.aes67d.api.ptp.PtpState;
import org.aes67d.api.ptp.PtpStatus;
import org.aes67d.rtp.RtpHeader;
import org.aes67d.rtp.SampleCodec;
import org.junit.jupiter.api.Test;

/**
 * A source started at a PTP time (a scheduled IS-05 activation): its first packet carries the media position of
 * that time rounded up to a packet boundary, whenever the clock thread first sees the stream: before the time (it
 * waits), or after it (a late control thread or a stall: the packets since then go out at once, consecutive).
 * Driven by a clock the test moves; the packets are read from a real socket.
 */
class ScheduledStartTest {
    private static final int RATE = 48000;
    private static final int FPP = 48;
    private static final long PTIME_NS = 1_000_000;
    private static final long T0 = 1_000_000_000_000L; // on a packet boundary; position T0 * 48 / 1e6

    private static final class ManualClock implements PtpClock {
        @Override public long ptpTimeNanos(long localNanos) { return localNanos; }
        @Override public long localNanos(long ptpNanos) { return ptpNanos; }
        @Override public PtpStatus status() { return new PtpStatus(PtpState.LOCKED, "", 0, 0, 0); }
        @Override public PtpState state() { return PtpState.LOCKED; }
    }

    private static final AudioIn SILENCE = new AudioIn() {
        @Override public void read(long pos, int[] dst, int frames) { java.util.Arrays.fill(dst, 0); }
        @Override public void close() { }
    };

    /** Services the stream as the clock loop does from local time {@code from} to {@code until}; returns timestamps. */
    private static List<Long> run(long startPtp, long from, long until) throws IOException {
        return run(startPtp, from, until, new long[1]);
    }

    /** As above; {@code skipped[0]} receives the packets the stream counted as skipped. */
    private static List<Long> run(long startPtp, long from, long until, long[] skipped) throws IOException {
        try (DatagramChannel rx = DatagramChannel.open(StandardProtocolFamily.INET);
                DatagramChannel tx = DatagramChannel.open(StandardProtocolFamily.INET)) {
            rx.bind(new InetSocketAddress("127.0.0.1", 0));
            rx.configureBlocking(false);
            tx.connect(rx.getLocalAddress());
            SourceStream s = new SourceStream(0, RATE, 2, FPP, 97, 1, 0, SampleCodec.L24, tx, SILENCE, false)
                    .startingAt(startPtp);
            PtpClock clock = new ManualClock();
            List<Long> stamps = new ArrayList<>();
            RtpHeader h = new RtpHeader();
            ByteBuffer b = ByteBuffer.allocate(2048);
            for (long t = from; t <= until; ) {
                long wake = s.service(t, clock, true);
                while (true) {
                    b.clear();
                    if (rx.receive(b) == null) {
                        break;
                    }
                    assertEquals(RtpHeader.OK, h.parse(b.array(), 0, b.position()));
                    assertEquals(stamps.isEmpty(), h.marker(), "the marker on the first packet only");
                    stamps.add(h.timestamp() & 0xFFFF_FFFFL);
                }
                assertTrue(wake > t);
                t = wake;
            }
            skipped[0] = s.packetsSkipped();
            return stamps;
        }
    }

    private static long position(long ptpNanos) {
        return MediaTime.samples(ptpNanos, RATE) & 0xFFFF_FFFFL;
    }

    private static void consecutive(List<Long> stamps) {
        for (int i = 1; i < stamps.size(); i++) {
            assertEquals((stamps.get(i - 1) + FPP) & 0xFFFF_FFFFL, stamps.get(i), "consecutive at " + i);
        }
    }

    @Test
    void aStartInTheFutureWaitsForItsBoundary() throws IOException {
        long start = T0 + 10 * PTIME_NS + 300_000; // between two boundaries: the next one is the first packet's
        List<Long> stamps = run(start, T0, T0 + 30 * PTIME_NS);
        assertEquals(position(T0 + 11 * PTIME_NS), stamps.get(0));
        assertEquals(19, stamps.size(), "nothing before the start: the packets of 11..29 ms");
        consecutive(stamps);
    }

    @Test
    void aStartSeenLateStillBeginsAtItsTime() throws IOException {
        long start = T0 + 5 * PTIME_NS; // on a boundary: that position is the first packet's
        // the stream reaches the clock thread 80 ms after its start (a late activation thread or a host stall)
        List<Long> stamps = run(start, start + 80 * PTIME_NS, start + 200 * PTIME_NS);
        assertEquals(position(start), stamps.get(0));
        long first = stamps.get(0) - position(start);
        assertTrue(first >= 0 && first < FPP, "within one packet of the start");
        consecutive(stamps);
        assertEquals(200, stamps.size(), "every packet since the start, the late ones caught up");
    }

    @Test
    void aStartOlderThanWhatIsStillSentOrFarAheadIsNotKept() throws IOException {
        // 1.5 s old: the engine sends back at most 1 s (SourceStream.MAX_AGE_MILLIS), so it begins there
        long now = T0 + 1500 * PTIME_NS;
        long[] skipped = new long[1];
        List<Long> old = run(T0, now, now + 10 * PTIME_NS, skipped);
        assertEquals(position(T0 + 500 * PTIME_NS), old.get(0));
        // an hour old (a PATCH with a past time): the same, and nothing before the stream began counts as skipped
        long hour = 3_600_000L * PTIME_NS;
        List<Long> ancient = run(T0, T0 + hour, T0 + hour + 10 * PTIME_NS, skipped);
        assertEquals(position(T0 + hour - 1000 * PTIME_NS), ancient.get(0));
        assertEquals(0, skipped[0], "packets before the stream began are not skipped ones");
        // 5 s ahead (a clock step since the start was given): not kept, the stream starts at the next boundary
        List<Long> ahead = run(T0 + 5_000 * PTIME_NS, T0, T0 + 10 * PTIME_NS);
        assertEquals(position(T0), ahead.get(0));
    }
}
