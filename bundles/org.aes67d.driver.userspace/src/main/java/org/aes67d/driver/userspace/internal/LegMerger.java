package org.aes67d.driver.userspace.internal;

import java.io.IOException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.aes67d.rtp.RtpHeader;

/**
 * ST 2022-7 reception of one sink: two legs (sockets on the two interfaces) merged packet by packet in front of
 * the sink's playout buffer. The first valid copy of each sequence number goes on to the sink; the later copy from
 * the other leg is dropped and counted. Invalid packets (unparseable, another payload type, not whole frames) go
 * on too, so the sink counts and flags them as it does for one leg, but they never stand in for a valid copy.
 *
 * <p>Receiver thread only, except the counters (volatile, read by control). Allocation-free per packet.
 */
final class LegMerger {
    /** Sequence numbers remembered behind the highest one: a leg may lag the other by this many packets. */
    static final int WINDOW = 4096;
    /** Packets in a row further behind than the window before the merge starts over (a sender that restarted). */
    private static final int STALE_BEFORE_RESTART = 8;

    /** One leg: its socket and counters. */
    static final class Leg {
        final int index;
        final String endpoint;
        final DatagramChannel channel;
        final LegMerger merger;
        final SequenceStats sequence = new SequenceStats();
        private boolean haveSsrc;
        private int ssrc;
        volatile long received;
        volatile long used;
        volatile long redundant;
        volatile long invalid;
        volatile long tooOld;
        volatile long lastArrival = Long.MIN_VALUE;

        Leg(int index, String endpoint, DatagramChannel channel, LegMerger merger) {
            this.index = index;
            this.endpoint = endpoint;
            this.channel = channel;
            this.merger = merger;
        }
    }

    private final Leg[] legs = new Leg[2];
    private final RtpHeader header = new RtpHeader();
    private final SequenceWindow seen = new SequenceWindow(WINDOW);
    private final int payloadType;
    private final int frameBytes;
    private long receivingNanos;
    private SinkStream sink;
    private boolean started;
    private int ssrc;
    private int highest;
    private int stale;

    LegMerger(DatagramChannel primary, String primaryEndpoint, DatagramChannel secondary, String secondaryEndpoint,
            int payloadType, int frameBytes) {
        legs[0] = new Leg(0, primaryEndpoint, primary, this);
        legs[1] = new Leg(1, secondaryEndpoint, secondary, this);
        this.payloadType = payloadType;
        this.frameBytes = frameBytes;
    }

    /** Called once by the sink this merger feeds. */
    void bind(SinkStream s) {
        this.sink = s;
        this.receivingNanos = s.receivingNanos();
    }

    SinkStream sink() {
        return sink;
    }

    Leg leg(int i) {
        return legs[i];
    }

    /** Receiver thread: true when the datagram of leg {@code leg} goes on to the sink. */
    boolean accept(int leg, byte[] bytes, int length, long arrival) {
        Leg l = legs[leg];
        if (header.parse(bytes, 0, length) != RtpHeader.OK || header.payloadType() != payloadType
                || header.payloadLength() == 0 || header.payloadLength() % frameBytes != 0) {
            l.invalid++;
            return true; // the sink counts and flags it; it marks no sequence number as delivered
        }
        l.received++;
        l.lastArrival = arrival;
        int s = header.ssrc();
        int seq = header.sequence();
        if (!l.haveSsrc || l.ssrc != s) {
            l.haveSsrc = true;
            l.ssrc = s;
            l.sequence.restart();
        }
        l.sequence.packet(seq);
        if (!started || s != ssrc) {
            restart(s, seq); // the first packet, or another sender: start the merge over
            l.used++;
            return true;
        }
        int d = (short) (seq - highest);
        if (d > 0) {
            if (d >= WINDOW) {
                seen.clearAll();
            } else {
                for (int i = 1; i < d; i++) {
                    seen.clear(highest + i);
                }
            }
            highest = seq;
            seen.mark(seq);
            stale = 0;
            l.used++;
            return true;
        }
        if (-d < WINDOW) {
            stale = 0;
            if (seen.seen(seq)) {
                l.redundant++; // the other leg's copy came first
                return false;
            }
            seen.mark(seq);
            l.used++;
            return true;
        }
        if (++stale < STALE_BEFORE_RESTART) {
            l.tooOld++; // a leg lagging by more than the window: beyond any playout buffer
            return false;
        }
        restart(s, seq); // a sender that restarted its sequence with the same SSRC
        l.used++;
        return true;
    }

    private void restart(int s, int seq) {
        started = true;
        ssrc = s;
        highest = seq;
        stale = 0;
        seen.clearAll();
        seen.mark(seq);
    }


    // ---------------------------------------------------------------- control

    boolean receiving(int leg, long now) {
        long last = legs[leg].lastArrival;
        return last != Long.MIN_VALUE && now - last < receivingNanos;
    }

    /** Control: one map per leg for the sink status (key names in docs/redundancy.md). */
    List<Map<String, Object>> status(long now) {
        long usedTotal = legs[0].used + legs[1].used;
        List<Map<String, Object>> out = new ArrayList<>(2);
        for (Leg l : legs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("leg", l.index == 0 ? "primary" : "secondary");
            m.put("endpoint", l.endpoint);
            m.put("receiving", receiving(l.index, now));
            m.put("received", l.received);
            m.put("used", l.used);
            m.put("redundant", l.redundant);
            m.put("missing", Math.max(0, usedTotal - l.used - l.redundant));
            m.put("lost", Math.max(0, l.sequence.lost()));
            m.put("duplicated", l.sequence.duplicated());
            m.put("reordered", l.sequence.reordered());
            m.put("too_old", l.tooOld);
            m.put("invalid", l.invalid);
            out.add(m);
        }
        return out;
    }

    void close() {
        for (Leg l : legs) {
            try {
                l.channel.close();
            } catch (IOException e) {
                // closing a UDP socket cannot lose data
            }
        }
    }
}
