package org.aes67d.rtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A ring of frames indexed by extended (64-bit) RTP timestamp: packets are put where their timestamp says, in any
 * order, and frames are read out by time; a frame nobody wrote reads as silence. Counts duplicates, reordered,
 * late and too-early packets and concealed frames.
 *
 * <p>Single producer, single consumer: one thread calls {@link #put}, one thread calls {@link #read}; counters may
 * be read from any thread. Nothing allocates after construction. Each slot carries the timestamp of the frame it
 * holds (published with release semantics after the samples), so a stale or half-written slot is never played;
 * the writer never writes a frame a full ring ahead of the reader, so it cannot overwrite a frame being read.
 */
public final class PlayoutBuffer {
    /** Results of {@link #put}. */
    public static final int ACCEPTED = 0;
    public static final int DUPLICATE = 1;
    public static final int LATE = 2;
    public static final int TOO_EARLY = 3;

    private static final VarHandle STAMP = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long NONE = Long.MIN_VALUE;

    private final int channels;
    private final int capacity;
    private final int mask;
    private final int[] samples;
    private final long[] stamps;

    private volatile long readPosition;
    private boolean playing; // reader only: audio was played since the last seek
    private volatile long highestEnd = NONE;

    private volatile long packets;
    private volatile long duplicates;
    private volatile long reordered;
    private volatile long latePackets;
    private volatile long tooEarly;
    private volatile long lateFrames;
    private volatile long concealedFrames;
    private volatile long underrunFrames;

    /**
     * @param channels samples per frame
     * @param minFrames capacity wanted in frames (rounded up to a power of two)
     */
    public PlayoutBuffer(int channels, int minFrames) {
        if (channels < 1 || minFrames < 1 || minFrames > (1 << 24)) {
            throw new IllegalArgumentException("channels " + channels + ", frames " + minFrames);
        }
        this.channels = channels;
        this.capacity = Integer.highestOneBit(minFrames - 1 < 1 ? 1 : minFrames - 1) << 1;
        this.mask = capacity - 1;
        this.samples = new int[capacity * channels];
        this.stamps = new long[capacity];
        java.util.Arrays.fill(stamps, NONE);
    }

    public int capacity() {
        return capacity;
    }

    public int channels() {
        return channels;
    }

    /** Extends a 32-bit RTP timestamp to the 64-bit value nearest to {@code reference}. */
    public static long extend(int timestamp, long reference) {
        return reference + (timestamp - (int) reference);
    }

    /**
     * Writer: puts {@code frames} frames encoded with {@code codec} from {@code payload[offset..]} at time
     * {@code timestamp}. Frames already played are dropped (late), frames already present are kept (duplicate).
     */
    public int put(long timestamp, byte[] payload, int offset, int frames, SampleCodec codec) {
        packets++;
        long rp = readPosition;
        if (timestamp + frames <= rp) {
            latePackets++;
            lateFrames += frames;
            return LATE;
        }
        if (timestamp + frames > rp + capacity) {
            tooEarly++;
            return TOO_EARLY;
        }
        int frameBytes = codec.bytesPerSample() * channels;
        int written = 0;
        int present = 0;
        for (int f = 0; f < frames; f++) {
            long t = timestamp + f;
            if (t < rp) {
                lateFrames++;
                continue;
            }
            int slot = (int) t & mask;
            if ((long) STAMP.getAcquire(stamps, slot) == t) {
                present++;
                continue;
            }
            codec.decode(payload, offset + f * frameBytes, samples, slot * channels, channels);
            STAMP.setRelease(stamps, slot, t);
            written++;
        }
        if (written == 0 && present > 0) {
            duplicates++;
            return DUPLICATE;
        }
        long he = highestEnd;
        if (he != NONE && timestamp < he) {
            reordered++;
        }
        if (he == NONE || timestamp + frames > he) {
            highestEnd = timestamp + frames;
        }
        return ACCEPTED;
    }

    /**
     * Reader: copies frames {@code from .. from + frames - 1} into {@code dst[dstOffset..]} (silence where nothing
     * was received) and moves the read position past them.
     *
     * @return frames that carried received audio
     */
    public int read(long from, int[] dst, int dstOffset, int frames) {
        int got = 0;
        long he = highestEnd;
        int d = dstOffset;
        for (int f = 0; f < frames; f++, d += channels) {
            long t = from + f;
            int slot = (int) t & mask;
            if ((long) STAMP.getAcquire(stamps, slot) == t) {
                System.arraycopy(samples, slot * channels, dst, d, channels);
                got++;
                playing = true;
            } else {
                java.util.Arrays.fill(dst, d, d + channels, 0);
                if (playing && he != NONE && t < he) {
                    concealedFrames++; // a hole between received audio: loss
                } else {
                    underrunFrames++; // nothing newer has arrived: stream not started, stalled or late
                }
            }
        }
        readPosition = from + frames;
        return got;
    }

    /** Reader: moves the read position without playing (start, or a jump of the timeline). */
    public void seek(long position) {
        readPosition = position;
        playing = false;
    }

    public long readPosition() {
        return readPosition;
    }

    /** End (exclusive) of the newest frame written, or {@link Long#MIN_VALUE} before the first packet. */
    public long highestEnd() {
        return highestEnd;
    }

    public long packets() { return packets; }
    public long duplicates() { return duplicates; }
    public long reordered() { return reordered; }
    public long latePackets() { return latePackets; }
    /** Frames dropped because their time had already been played (whole late packets and late parts). */
    public long lateFrames() { return lateFrames; }
    public long tooEarlyPackets() { return tooEarly; }
    /** Frames played as silence between received audio (lost packets); the wait for a first packet is not. */
    public long concealedFrames() { return concealedFrames; }
    /** Frames played as silence with nothing newer received (before start, after stop, or all late). */
    public long underrunFrames() { return underrunFrames; }
}
