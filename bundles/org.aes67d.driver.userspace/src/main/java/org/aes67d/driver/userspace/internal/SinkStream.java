package org.aes67d.driver.userspace.internal;

import java.io.IOException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicInteger;

import org.aes67d.api.session.SinkStatus;
import org.aes67d.rtp.PlayoutBuffer;
import org.aes67d.rtp.RtpHeader;
import org.aes67d.rtp.SampleCodec;

/**
 * One receiving stream. The receiver thread validates packets and puts them into the playout buffer by RTP
 * timestamp; the clock thread plays frame {@code t} of the stream when the engine's media clock reaches
 * {@code t + delay - offset} and hands it to the output.
 *
 * <p>{@code offset} maps stream timestamps to the engine's media clock. It is 0 for a PTP-aligned sender
 * ({@code mediaclk:direct=0}: timestamp = media clock). A sender whose timestamps are not within a second of our
 * media clock (plain GStreamer/ffmpeg/VLC, or any sender while our clock is not locked) is played
 * <em>free-running</em>: the offset is set so that the packet that fixed it plays exactly {@code delay} samples
 * after it arrived. The two clocks drift apart slowly; when packets keep arriving too late or too early for the
 * buffer, the sink re-anchors (a short gap, counted in {@link #anchors()}) instead of muting.
 */
final class SinkStream {
    static final int FLAG_SEQ = 1;
    static final int FLAG_SSRC = 2;
    static final int FLAG_PT = 4;
    static final int FLAG_SAC = 8;
    /**
     * Packets in a row that did not fit the buffer, for at least {@link #MISFIT_NANOS}, before the timeline is
     * fixed again: a burst after a stall of the sender must not re-anchor an aligned stream.
     */
    private static final int MISFITS_BEFORE_ANCHOR = 8;
    private static final long MISFIT_NANOS = 200_000_000L;

    final int id;
    final int rate;
    final int channels;
    final int framesPerPacket;
    final int delay;
    private final int payloadType;
    private final SampleCodec codec;
    private final int frameBytes;
    private final int maxFrames;
    final DatagramChannel channel;
    private final AudioOut output;
    private final PlayoutBuffer buffer;
    private final RtpHeader header = new RtpHeader();
    private final int[] chunk;
    private final long receivingNanos;

    // receiver thread only
    private boolean anchored;
    private boolean haveSsrc;
    private int ssrc;
    private boolean haveSeq;
    private int expectedSeq;
    private int expectedTs;
    private int misfits;
    private long firstMisfit;
    private int alignedRun;

    /** How soon a sink that plays only what has arrived looks again: long enough for the receiver to run meanwhile. */
    static final int HOLD_RETRY_MICROS = 250;

    // clock thread only
    private int seenEpoch = -1;
    private boolean waitingForPackets;

    // receiver -> clock thread
    private volatile long offset;
    private volatile int epoch;

    // receiver -> control
    /**
     * Latched error flags: set by the receiver thread, read and cleared by control. Not a VarHandle: the first
     * getAndBitwiseOr of a call site links an invoker and allocates 2 KB, on the engine thread, at the first error.
     */
    private final AtomicInteger flags = new AtomicInteger();
    private volatile long lastArrival = Long.MIN_VALUE;
    private volatile int minMargin = Integer.MAX_VALUE;
    private volatile long malformed;
    private volatile long wrongPayloadType;
    private volatile long badLength;
    private volatile long sequenceGaps;
    private volatile long anchors;
    private volatile long resyncs;
    // the stream verifier (receiver thread, but lastResyncMillis: clock thread)
    private final SequenceStats sequence = new SequenceStats();
    private volatile long received;
    private volatile long ssrcChanges;
    private volatile long timestampErrors;
    private volatile long lastGlitchMillis;
    private volatile long lastResyncMillis;
    private long playFrom = Long.MIN_VALUE;
    private volatile long staleAtStart;
    private volatile long staleAtStartFrames;
    private volatile long maxArrivalGap;
    /** Arrival margins and bytes, for metrics and the sink's history. */
    final ArrivalStats arrivals;
    // control only
    private final long createdMillis = System.currentTimeMillis();
    /** ST 2022-7: the two legs in front of this sink, null with one leg; set before the engine has the sink. */
    private LegMerger legs;
    private final VerifierCounters sinceRead = new VerifierCounters();
    private long lastReadMillis;

    SinkStream(int id, int rate, int channels, int framesPerPacket, int delay, int payloadType, SampleCodec codec,
            DatagramChannel channel, AudioOut output) {
        this.id = id;
        this.rate = rate;
        this.channels = channels;
        this.framesPerPacket = framesPerPacket;
        this.delay = delay;
        this.payloadType = payloadType;
        this.codec = codec;
        this.frameBytes = channels * codec.bytesPerSample();
        this.maxFrames = Math.max(framesPerPacket, 65507 / frameBytes);
        this.channel = channel;
        this.output = output;
        // Room for the delay, a second stream's worth of early packets up to 50 ms, and reordering.
        this.buffer = new PlayoutBuffer(channels, 2 * delay + rate / 20 + 8 * framesPerPacket);
        this.chunk = new int[Math.max(framesPerPacket, 256) * channels];
        this.arrivals = new ArrivalStats(rate);
        this.receivingNanos = Math.max(100_000_000L, 4L * framesPerPacket * 1_000_000_000L / rate);
    }

    /** Makes this a two-leg (ST 2022-7) sink; called before the sink is handed to the engine. */
    SinkStream withLegs(LegMerger merger) {
        legs = merger;
        merger.bind(this);
        return this;
    }

    LegMerger legs() {
        return legs;
    }

    /** How long after the last valid packet a sink (or a leg) still counts as receiving. */
    long receivingNanos() {
        return receivingNanos;
    }

    /** Receiver thread: a datagram of one leg of a two-leg sink; the first valid copy plays. */
    void onLegPacket(int leg, byte[] bytes, int length, long arrival, long engineNow, boolean locked) {
        if (legs.accept(leg, bytes, length, arrival)) {
            onPacket(bytes, length, arrival, engineNow, locked);
        }
    }

    /** Receiver thread: one datagram of {@code length} bytes in {@code bytes}, received at {@code arrival}. */
    void onPacket(byte[] bytes, int length, long arrival, long engineNow, boolean locked) {
        if (header.parse(bytes, 0, length) != RtpHeader.OK) {
            malformed++;
            glitch();
            return;
        }
        if (header.payloadType() != payloadType) {
            wrongPayloadType++;
            glitch();
            latch(FLAG_PT);
            return;
        }
        int plen = header.payloadLength();
        if (plen == 0 || plen % frameBytes != 0 || plen / frameBytes > maxFrames) {
            badLength++; // another channel count or codec than the SDP said
            glitch();
            latch(FLAG_SAC);
            return;
        }
        int frames = plen / frameBytes;
        long previous = lastArrival;
        if (previous != Long.MIN_VALUE && arrival - previous > maxArrivalGap) {
            maxArrivalGap = arrival - previous; // a stall of the sender, the network or this thread
        }
        lastArrival = arrival;
        received++;
        int s = header.ssrc();
        if (!haveSsrc || s != ssrc) {
            if (haveSsrc) {
                latch(FLAG_SSRC);
                ssrcChanges++;
                glitch();
            }
            haveSsrc = true;
            sequence.restart();
            ssrc = s;
            haveSeq = false;
            anchored = false; // another sender: another timeline
        }
        int seq = header.sequence();
        long seqErrors = sequence.sequenceErrors();
        sequence.packet(seq);
        if (sequence.sequenceErrors() != seqErrors) {
            glitch();
        }
        int ts = header.timestamp();
        int gap = haveSeq ? (short) (seq - expectedSeq) : 0;
        if (gap != 0) {
            latch(FLAG_SEQ);
            if (gap > 0) {
                sequenceGaps += gap;
            }
        }
        if (gap >= 0) {
            if (haveSeq && gap == 0 && ts != expectedTs) {
                latch(FLAG_SAC); // timestamp does not follow the previous packet
                timestampErrors++;
                glitch();
            }
            haveSeq = true;
            expectedSeq = (seq + 1) & 0xFFFF;
            expectedTs = ts + frames;
        }
        if (!anchored) {
            anchor(ts, engineNow, locked);
        } else if (offset != 0) {
            // Free-running: a sender that turns PTP-aligned (or our clock that locks) brings the sink back.
            long t0 = PlayoutBuffer.extend(ts, engineNow);
            if (locked && Math.abs(t0 - engineNow) <= rate) {
                if (++alignedRun >= MISFITS_BEFORE_ANCHOR) {
                    anchor(ts, engineNow, true);
                }
            } else {
                alignedRun = 0;
            }
        }
        long streamNow = engineNow + offset;
        long t = PlayoutBuffer.extend(ts, streamNow);
        long margin = t + delay - streamNow;
        if (margin < minMargin) {
            minMargin = (int) Math.max(Integer.MIN_VALUE, margin);
        }
        arrivals.packet(margin, length, arrival);
        int result = buffer.put(t, bytes, header.payloadOffset(), frames, codec);
        if (result == PlayoutBuffer.LATE && t + frames <= playFrom) {
            // queued before the timeline was fixed (a sink joining a running stream): not a glitch
            staleAtStart++;
            staleAtStartFrames += frames;
        } else if (result == PlayoutBuffer.LATE || result == PlayoutBuffer.TOO_EARLY) {
            glitch();
            if (result == PlayoutBuffer.LATE) {
                latch(FLAG_SAC);
            }
            if (misfits++ == 0) {
                firstMisfit = arrival;
            } else if (misfits >= MISFITS_BEFORE_ANCHOR && arrival - firstMisfit >= MISFIT_NANOS) {
                anchored = false;
            }
        } else {
            misfits = 0;
        }
    }

    /**
     * Fixes the timeline: PTP-aligned (offset 0) when the clock is locked and the timestamp is within a second of
     * our media clock, whatever the margin (packets that come too late for the delay are then dropped and flagged,
     * as a sink with too small a delay must); free-running otherwise.
     */
    private void anchor(int ts, long engineNow, boolean locked) {
        long t = PlayoutBuffer.extend(ts, engineNow);
        long off = locked && Math.abs(t - engineNow) <= rate ? 0 : t - engineNow;
        offset = off;
        buffer.seek(engineNow + off - delay); // the clock thread does the same when it sees the new epoch
        playFrom = engineNow + off - delay;
        epoch++;
        anchored = true;
        misfits = 0;
        alignedRun = 0;
        if (anchors++ > 0) {
            glitch(); // a re-anchor: a jump in what the sink plays
        }
    }

    /**
     * Clock thread: plays what is due; returns the engine media position at which more is due. With
     * {@code holdBack} (the thread has just overslept, or the receiver is held up) it plays only what has
     * arrived, up to {@code delay} late, and asks to come back after {@link #HOLD_RETRY_MICROS}
     * ({@link #waitingForPackets()} is then true).
     */
    long service(long engineNow, boolean holdBack) {
        int ep = epoch;
        long off = offset;
        long target = engineNow + off - delay;
        long rp = buffer.readPosition();
        int half = buffer.capacity() / 2;
        if (ep != seenEpoch || target - rp > half || rp - target > half) {
            if (seenEpoch != -1 && ep == seenEpoch) {
                resyncs++; // the clock thread stalled, or the clock jumped
                lastResyncMillis = System.currentTimeMillis();
            }
            seenEpoch = ep;
            rp = Math.floorDiv(target, framesPerPacket) * framesPerPacket;
            buffer.seek(rp);
        }
        long end = Math.floorDiv(target, framesPerPacket) * framesPerPacket;
        long retry = Long.MIN_VALUE;
        waitingForPackets = false;
        if (holdBack && end > rp) {
            // Catching up after a stall of this thread, or while the receiver is held up: the packets of the
            // last moments may be sent or received only now, so play what has arrived and come back shortly,
            // lagging by at most the delay.
            long have = buffer.highestEnd();
            long floor = end - delay;
            if (have != Long.MIN_VALUE && have < end) {
                long limit = Math.max(floor, Math.floorDiv(have, framesPerPacket) * framesPerPacket);
                if (limit < end) {
                    end = Math.max(rp, limit);
                    retry = engineNow + Math.max(1, rate / (1_000_000 / HOLD_RETRY_MICROS));
                    waitingForPackets = true;
                }
            }
        }
        int chunkFrames = chunk.length / channels;
        while (rp < end) {
            int n = (int) Math.min(end - rp, chunkFrames);
            buffer.read(rp, chunk, 0, n);
            output.write(rp + delay - off, chunk, n);
            rp += n;
        }
        return retry != Long.MIN_VALUE ? retry : end + framesPerPacket + delay - off; // next wake-up
    }

    /**
     * Clock thread: the last {@link #service} played only what had arrived and waits for the rest. The clock
     * thread then sleeps until the retry instead of spinning up to it: the packets it waits for come from the
     * receiver thread, which may share its CPU at a lower real-time priority and gets it only if the clock
     * thread lets go (spinning here starved it, and with several daemons on 2 cores neither ever recovered).
     */
    boolean waitingForPackets() {
        return waitingForPackets;
    }

    /** Receiver thread: something the verifier counts as a glitch happened now. */
    private void glitch() {
        lastGlitchMillis = System.currentTimeMillis();
    }

    private void latch(int flag) {
        int f;
        do {
            f = flags.get();
        } while ((f & flag) == 0 && !flags.compareAndSet(f, f | flag));
    }

    /** Control: the verifier's counters now (see {@link VerifierCounters}). */
    long[] counters() {
        long[] c = new long[VerifierCounters.NAMES.length];
        c[VerifierCounters.RECEIVED] = received;
        c[VerifierCounters.LOST] = sequence.lost();
        c[VerifierCounters.LATE] = buffer.latePackets() - staleAtStart;
        c[VerifierCounters.EARLY] = buffer.tooEarlyPackets();
        c[VerifierCounters.DUPLICATED] = sequence.duplicated();
        c[VerifierCounters.REORDERED] = sequence.reordered();
        c[VerifierCounters.RE_ANCHORS] = Math.max(0, anchors - 1);
        c[VerifierCounters.RE_ALIGNS] = resyncs;
        c[VerifierCounters.SEQUENCE_ERRORS] = sequence.sequenceErrors();
        c[VerifierCounters.SEQUENCE_JUMPS] = sequence.jumps();
        c[VerifierCounters.SSRC_ERRORS] = ssrcChanges;
        c[VerifierCounters.PAYLOAD_TYPE_ERRORS] = wrongPayloadType;
        c[VerifierCounters.TIMESTAMP_ERRORS] = timestampErrors;
        c[VerifierCounters.MALFORMED] = malformed + badLength;
        c[VerifierCounters.LOST_FRAMES] = buffer.concealedFrames();
        c[VerifierCounters.LATE_FRAMES] = buffer.lateFrames() - staleAtStartFrames;
        return c;
    }

    /**
     * Control: the verifier object of the sink status; "since last read" restarts with each call that reads
     * ({@code read}), not with a monitor's peek.
     */
    synchronized java.util.Map<String, Object> verifier(boolean read) {
        long now = System.currentTimeMillis();
        long[] c = counters();
        java.util.Map<String, Object> v = new java.util.LinkedHashMap<>();
        v.put("aligned", anchors > 0 && offset == 0);
        v.put("glitches", VerifierCounters.glitches(c));
        long last = Math.max(lastGlitchMillis, lastResyncMillis);
        v.put("last_glitch", last == 0 ? null : java.time.Instant.ofEpochMilli(last).toString());
        v.put("since", java.time.Instant.ofEpochMilli(createdMillis).toString());
        v.put("last_read", lastReadMillis == 0 ? null : java.time.Instant.ofEpochMilli(lastReadMillis).toString());
        v.put("since_creation", VerifierCounters.map(c, null));
        v.put("since_last_read", read ? sinceRead.delta(c) : sinceRead.peek(c));
        java.util.Map<String, Object> signal = output.details();
        if (!signal.isEmpty()) {
            v.put("signal", signal);
        }
        if (read) {
            lastReadMillis = now;
        }
        return v;
    }

    /**
     * Control: the status, clearing the latched flags and the minimum margin. The mute flags follow the Merging
     * kernel module: {@code muted} = not receiving; {@code all_muted} = audio missing from every leg (one leg
     * here, so the same until ST 2022-7); {@code some_muted} is for hardware that cannot tell which leg is muted
     * and is never set.
     */
    SinkStatus status(long now) {
        return status(now, true);
    }

    /** Control: the status as {@link #status(long)} shows it, clearing nothing (for monitors). */
    SinkStatus peek(long now) {
        return status(now, false);
    }

    private SinkStatus status(long now, boolean read) {
        int f = read ? flags.getAndSet(0) : flags.get();
        int margin = minMargin;
        if (read) {
            minMargin = Integer.MAX_VALUE;
        }
        long last = lastArrival;
        boolean receiving = last != Long.MIN_VALUE && now - last < receivingNanos;
        LegMerger l = legs;
        // two legs: some_muted while exactly one leg is missing, all_muted while both are (docs/redundancy.md)
        boolean someMuted = l != null && l.receiving(0, now) != l.receiving(1, now);
        return new SinkStatus((f & FLAG_SEQ) != 0, (f & FLAG_SSRC) != 0, (f & FLAG_PT) != 0, (f & FLAG_SAC) != 0,
                receiving, someMuted, !receiving, !receiving, margin == Integer.MAX_VALUE ? 0 : margin, verifier(read),
                l == null ? java.util.List.of() : l.status(now));
    }

    void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a UDP socket cannot lose data
        }
        if (legs != null) {
            legs.close();
        }
        output.close();
    }

    /** Longest time between two valid packets (ns): how long the stream stalled on its way, at worst. */
    long maxArrivalGapNanos() { return maxArrivalGap; }
    PlayoutBuffer buffer() { return buffer; }
    boolean aligned() { return offset == 0; }
    long malformed() { return malformed; }
    long wrongPayloadType() { return wrongPayloadType; }
    long badLength() { return badLength; }
    long sequenceGaps() { return sequenceGaps; }
    long anchors() { return anchors; }
    long resyncs() { return resyncs; }
}
