package org.aes67d.driver.userspace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Path;

import org.aes67d.api.ptp.PtpState;
import org.aes67d.rtp.RtpHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a source puts on the wire: nothing while unlocked; once locked, packets on media clock boundaries. */
class SourceTimingTest {
    @TempDir
    Path media;

    @Test
    void sendsOnlyWhileLockedWithMediaClockTimestamps() throws Exception {
        try (Harness h = new Harness(media, false);
                DatagramChannel rx = DatagramChannel.open(StandardProtocolFamily.INET);
                Selector sel = Selector.open()) {
            InetAddress group = InetAddress.getByName("239.69.9.1");
            rx.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            rx.bind(new InetSocketAddress(group, 5010));
            rx.join(group, NetworkInterface.getByName("lo"));
            rx.configureBlocking(false);
            rx.register(sel, SelectionKey.OP_READ);

            h.clock.setState(PtpState.LOCKING);
            h.driver.startSource(Harness.stream(3, "239.69.9.1", 5010, "L24", 48000, 8, 6, 0, "tone:997@-6"));
            SourceStream src = h.driver.engine().source(3);
            assertEquals(46 << 2, src.channel().getOption(StandardSocketOptions.IP_TOS));
            assertEquals(16, src.channel().getOption(StandardSocketOptions.IP_MULTICAST_TTL));
            // 300 ms of silence on the wire while the clock is not locked (the C++ daemon does the same)
            assertEquals(0, sel.select(300));
            assertEquals(0, src.packetsSent());

            h.clock.setState(PtpState.LOCKED);
            ByteBuffer b = ByteBuffer.allocate(2048);
            RtpHeader hdr = new RtpHeader();
            int prevSeq = -1;
            int prevTs = 0;
            for (int i = 0; i < 200; i++) {
                b.clear();
                while (rx.receive(b) == null) {
                    assertTrue(sel.select(2000) > 0, "a packet within 2 s");
                    sel.selectedKeys().clear();
                }
                long media48k = h.clock.mediaClock(System.nanoTime(), 48000);
                assertEquals(RtpHeader.OK, hdr.parse(b.array(), 0, b.position()));
                assertEquals(12 + 6 * 8 * 3, b.position());
                assertEquals(97, hdr.payloadType());
                assertEquals(i == 0, hdr.marker(), "marker on the first packet only");
                long ts64 = org.aes67d.rtp.PlayoutBuffer.extend(hdr.timestamp(), media48k);
                assertEquals(0, Math.floorMod(ts64, 6), "timestamps on packet boundaries of the media clock");
                long age = media48k - ts64;
                // never before its last sample is due; the upper bound only catches gross errors (the test thread
                // is not real-time: the pacing figures come from the benchmark)
                assertTrue(age >= 6 && age < 6 + 4800, "sent when its last sample is due (age " + age + ")");
                if (prevSeq >= 0) {
                    assertEquals((prevSeq + 1) & 0xFFFF, hdr.sequence());
                    assertEquals(prevTs + 6, hdr.timestamp());
                }
                prevSeq = hdr.sequence();
                prevTs = hdr.timestamp();
            }
            assertEquals(0, src.packetsSkipped());
            h.driver.stopSource(3);
            assertNull(h.driver.engine().source(3));
        }
    }
}
