package org.aes67d.driver.userspace.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import org.aes67d.api.ptp.PtpClock;
import org.aes67d.rtp.RtpHeader;
import org.aes67d.rtp.SampleCodec;

/**
 * One sending stream. Owned by the engine's clock thread once started: the packet that covers media positions
 * {@code B - fpp .. B - 1} leaves when the PTP media clock reaches the packet boundary {@code B} (a multiple of
 * frames per packet), with RTP timestamp {@code B - fpp} mod 2^32. Nothing here allocates.
 */
final class SourceStream {
    static final long UNSET = Long.MIN_VALUE;
    /**
     * Packets whose last sample is older than this are skipped (counted) instead of sent late; for a source on the
     * Audio Device, older than a quarter of its ring (85 ms at 48 kHz). Larger than any live receiver's playout
     * delay (AES67 devices 1-40 ms, GStreamer's jitter buffer 200 ms by default), so only a recorder with a longer
     * buffer could still use what is skipped; with {@link CatchUp} the stream is on time again at most
     * {@code MAX_AGE_MILLIS / (CatchUp.SPEED - 1)} (333 ms) after its thread runs again.
     */
    static final int MAX_AGE_MILLIS = 1000;

    final int id;
    final int rate;
    final int channels;
    final int framesPerPacket;
    /** Reads the Audio Device (ordering in the clock loop depends on it). */
    final boolean fromDevice;
    private final int payloadType;
    private final int ssrc;
    private final SampleCodec codec;
    private final DatagramChannel channel;
    private final AudioIn input;
    private final int[] frames;
    private final byte[] packet;
    private final ByteBuffer wire;
    private final int packetBytes;
    private final long maxAge;
    private final CatchUp pace;

    /** ST 2022-7: the same packets to the secondary leg, on the secondary interface; null with one leg. */
    private DatagramChannel secondary;
    private volatile long secondarySent;
    private volatile long secondaryErrors;

    private long next = UNSET;
    /** PTP time (ns) at which the stream's timeline starts (a scheduled activation), or UNSET: the next boundary. */
    private long startPtpNanos = UNSET;
    private int sequence;
    private boolean marker = true;

    // statistics: written by the clock thread, read by control
    private volatile long packetsSent;
    private volatile long sendErrors;
    private volatile long packetsSkipped;
    private volatile long maxLatenessNanos;
    private volatile long maxLatenessAt;
    private volatile long lateOverMilli;

    SourceStream(int id, int rate, int channels, int framesPerPacket, int payloadType, int ssrc, int firstSequence,
            SampleCodec codec, DatagramChannel channel, AudioIn input, boolean fromDevice) {
        this.id = id;
        this.fromDevice = fromDevice;
        this.rate = rate;
        this.channels = channels;
        this.framesPerPacket = framesPerPacket;
        this.payloadType = payloadType;
        this.ssrc = ssrc;
        this.sequence = firstSequence & 0xFFFF;
        this.codec = codec;
        this.channel = channel;
        this.input = input;
        this.frames = new int[framesPerPacket * channels];
        this.packetBytes = RtpHeader.FIXED_LENGTH + framesPerPacket * channels * codec.bytesPerSample();
        this.packet = new byte[packetBytes];
        this.wire = ByteBuffer.allocateDirect(packetBytes);
        // After a stall every packet still goes out, late, at CatchUp.SPEED x real time (a line-rate burst
        // overflows a held-up receiver's socket buffer): a receiver with a larger delay than the stall still
        // plays it. Only packets older than any plausible receiver buffer are dropped.
        this.pace = new CatchUp(rate, framesPerPacket);
        // A device source reads the Audio Device's ring by position: what is older than a quarter of the ring may
        // already hold newer audio from the application, so it is skipped rather than sent wrong.
        long age = fromDevice ? VirtualDevice.FRAMES / 4 : (long) rate * MAX_AGE_MILLIS / 1000;
        this.maxAge = Math.max(framesPerPacket, age);
    }

    /**
     * Makes the first packet the one at PTP time {@code ptpNanos} (its position rounded up to a packet boundary),
     * even if the stream reaches the clock thread after that time: the packets since then go out as after a stall
     * (paced, and only as far back as {@link #maxAge}). UNSET: the next boundary. Called before the source is
     * handed to the engine.
     */
    SourceStream startingAt(long ptpNanos) {
        startPtpNanos = ptpNanos;
        return this;
    }

    /** Makes this a two-leg (ST 2022-7) source; called before the source is handed to the engine. */
    SourceStream withSecondary(DatagramChannel ch) {
        secondary = ch;
        return this;
    }

    /**
     * Clock thread: sends every packet whose boundary has passed; returns the local time of the next boundary.
     * While the clock is not locked nothing is sent, and the stream restarts at the boundary after the lock.
     */
    long service(long now, PtpClock clock, boolean locked) {
        if (!locked) {
            if (next != UNSET) {
                next = UNSET;
                marker = true;
                pace.reset();
            }
            return Long.MAX_VALUE;
        }
        long media = clock.mediaClock(now, rate);
        long start = startPtpNanos == UNSET ? UNSET : MediaTime.samples(startPtpNanos, rate);
        startPtpNanos = UNSET; // once: after a lost lock the stream restarts at the next boundary
        if (next == UNSET && start != UNSET && start - media <= maxAge) {
            // the packet covering start .. start + fpp - 1 (start on a boundary) is due at start + fpp; a start
            // far ahead (a clock step since it was given) is ignored rather than keeping the stream silent. A
            // start older than what is still sent begins with the oldest packet still sent: the ones before it
            // were never part of the stream, so they do not count as skipped
            long from = Math.max(start, media - maxAge);
            next = Math.floorDiv(from + framesPerPacket - 1, framesPerPacket) * framesPerPacket + framesPerPacket;
        } else if (next == UNSET) {
            next = Math.floorDiv(media, framesPerPacket) * framesPerPacket + framesPerPacket;
        }
        if (media - next > maxAge) {
            // stalled (or the clock stepped) beyond any receiver's buffer: resume with the packets still usable
            long resume = Math.floorDiv(media - maxAge, framesPerPacket) * framesPerPacket + framesPerPacket;
            packetsSkipped += (resume - next) / framesPerPacket;
            next = resume;
        }
        while (media >= next && pace.allows(media)) {
            long late = now - clock.localNanos(MediaTime.nanos(next, rate));
            if (late > maxLatenessNanos) {
                maxLatenessNanos = late;
                maxLatenessAt = now;
            }
            if (late > 1_000_000) {
                lateOverMilli++;
            }
            send(next - framesPerPacket);
            pace.sent(media);
            next += framesPerPacket;
        }
        // more packets due (catching up): the clock loop comes back when the pace allows the next
        return clock.localNanos(MediaTime.nanos(Math.max(next, pace.nextAllowed()), rate));
    }

    private void send(long timestamp) {
        input.read(timestamp, frames, framesPerPacket);
        RtpHeader.write(packet, 0, marker, payloadType, sequence, (int) timestamp, ssrc);
        codec.encode(frames, 0, packet, RtpHeader.FIXED_LENGTH, frames.length);
        wire.clear();
        wire.put(packet, 0, packetBytes).flip();
        try {
            if (channel.write(wire) == packetBytes) {
                packetsSent++;
            } else {
                sendErrors++; // socket buffer full: the packet is lost, the stream goes on
            }
        } catch (IOException e) {
            sendErrors++; // e.g. the route went away; counted, not logged per packet
        }
        if (secondary != null) {
            sendSecondary();
        }
        sequence = (sequence + 1) & 0xFFFF;
        marker = false;
    }

    /** The identical datagram (RTP header and payload) to the secondary leg; a failing leg never stops the other. */
    private void sendSecondary() {
        wire.rewind();
        try {
            if (secondary.write(wire) == packetBytes) {
                secondarySent++;
            } else {
                secondaryErrors++;
            }
        } catch (IOException e) {
            secondaryErrors++; // e.g. the secondary link is down
        }
    }

    void close() {
        try {
            channel.close();
            if (secondary != null) {
                secondary.close();
            }
        } catch (IOException e) {
            // closing a UDP socket cannot lose data
        }
        input.close();
    }

    long secondarySent() { return secondarySent; }
    long secondaryErrors() { return secondaryErrors; }

    long packetsSent() { return packetsSent; }
    long sendErrors() { return sendErrors; }
    long packetsSkipped() { return packetsSkipped; }
    long maxLatenessNanos() { return maxLatenessNanos; }
    /** Local time of the latest packet ({@link #maxLatenessNanos}). */
    long maxLatenessAt() { return maxLatenessAt; }
    /** Packets sent more than 1 ms after their boundary. */
    long lateOverMilli() { return lateOverMilli; }
    int packetBytes() { return packetBytes; }
    DatagramChannel channel() { return channel; }
    int ssrc() { return ssrc; }

    void resetLateness() {
        maxLatenessNanos = 0;
        lateOverMilli = 0;
    }
}
