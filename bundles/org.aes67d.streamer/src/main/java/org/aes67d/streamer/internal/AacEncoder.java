package org.aes67d.streamer.internal;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * One AAC-LC encoder (FFmpeg's native {@code aac}) for one sink: 1024 planar float frames in, ADTS frames out.
 * Used by the streamer's encoding thread only.
 */
final class AacEncoder implements AutoCloseable {
    static final int FRAME = 1024;
    /** Bit rate per channel; the total is this times the channel count (docs/streamer.md). */
    static final int BITS_PER_CHANNEL = 64_000;
    /** Channel layouts by count that both FFmpeg's encoder and ADTS (without a PCE) carry. */
    private static final String[] LAYOUT_NAMES = {null, "mono", "stereo", "3.0", "4.0", "5.0", "5.1", null, "7.1"};

    private final Libav av;
    private final int channels;
    private final int rate;
    private final Adts adts;
    private Pointer ctx;
    private Pointer frame;
    private Pointer packet;
    private long pts;

    /** Output of {@link #encode}. */
    interface Sink {
        void frame(byte[] adtsFrame);
    }

    AacEncoder(Libav av, int rate, int channels) throws Libav.UnavailableException {
        if (!supported(rate, channels)) {
            throw new IllegalArgumentException("AAC cannot carry " + channels + " channels at " + rate + " Hz");
        }
        this.av = av;
        this.rate = rate;
        this.channels = channels;
        this.adts = new Adts(rate, channels);
        Pointer codec = av.codec.avcodec_find_encoder_by_name("aac");
        if (codec == null) {
            throw new Libav.UnavailableException("AAC encoder unavailable: " + av.version + " has no aac encoder");
        }
        ctx = av.codec.avcodec_alloc_context3(codec);
        check(av.util.av_opt_set_int(ctx, "b", (long) BITS_PER_CHANNEL * channels, 0), "bit rate");
        check(av.util.av_opt_set_int(ctx, "ar", rate, 0), "sample rate");
        check(av.util.av_opt_set(ctx, "ch_layout", LAYOUT_NAMES[channels], 0), "channel layout");
        check(av.util.av_opt_set(ctx, "profile", "aac_low", 0), "profile");
        // sample_fmt is no AVOption: set it through AVCodecParameters, whose layout is in the offset table
        Pointer par = av.codec.avcodec_parameters_alloc();
        try {
            check(av.codec.avcodec_parameters_from_context(par, ctx), "parameters");
            par.setInt(av.layout.parametersFormat(), Libav.AV_SAMPLE_FMT_FLTP);
            check(av.codec.avcodec_parameters_to_context(ctx, par), "parameters");
        } finally {
            av.codec.avcodec_parameters_free(new PointerByReference(par));
        }
        int r = av.codec.avcodec_open2(ctx, codec, null);
        if (r < 0) {
            close();
            throw new IllegalStateException("avcodec_open2 failed: " + r);
        }
        frame = av.util.av_frame_alloc();
        frame.setInt(Libav.Layout.FRAME_NB_SAMPLES, FRAME);
        frame.setInt(Libav.Layout.FRAME_FORMAT, Libav.AV_SAMPLE_FMT_FLTP);
        av.util.av_channel_layout_default(frame.share(av.layout.frameChLayout()), channels);
        check(av.util.av_frame_get_buffer(frame, 0), "frame buffer");
        packet = av.codec.av_packet_alloc();
    }

    /** Rates with an ADTS sampling frequency index, and channel counts with an ADTS channel configuration. */
    static boolean supported(int rate, int channels) {
        return Adts.frequencyIndex(rate) >= 0 && channels >= 1 && channels < LAYOUT_NAMES.length
                && LAYOUT_NAMES[channels] != null;
    }

    /** The channel count a sink of {@code channels} is streamed with: its first 1-6 or 8 channels. */
    static int streamedChannels(int channels) {
        int c = Math.min(channels, 8);
        return c == 7 ? 6 : c;
    }

    int channels() {
        return channels;
    }

    int rate() {
        return rate;
    }

    /** Encodes one frame of {@link #FRAME} samples per channel, {@code planes[c][0..FRAME)}. */
    void encode(float[][] planes, Sink out) {
        check(av.util.av_frame_make_writable(frame), "frame writable");
        for (int c = 0; c < channels; c++) {
            frame.getPointer(Libav.Layout.FRAME_DATA + 8L * c).write(0, planes[c], 0, FRAME);
        }
        frame.setLong(Libav.Layout.FRAME_PTS, pts);
        pts += FRAME;
        check(av.codec.avcodec_send_frame(ctx, frame), "send frame");
        drain(out);
    }

    private void drain(Sink out) {
        while (true) {
            int r = av.codec.avcodec_receive_packet(ctx, packet);
            if (r < 0) {
                return; // EAGAIN: wants more input (or EOF)
            }
            int size = packet.getInt(Libav.Layout.PACKET_SIZE);
            byte[] f = new byte[Adts.HEADER + size];
            adts.header(f, size);
            packet.getPointer(Libav.Layout.PACKET_DATA).read(0, f, Adts.HEADER, size);
            av.codec.av_packet_unref(packet);
            out.frame(f);
        }
    }

    private static void check(int result, String what) {
        if (result < 0) {
            throw new IllegalStateException("libavcodec: " + what + " failed (" + result + ")");
        }
    }

    @Override
    public void close() {
        if (packet != null) {
            av.codec.av_packet_free(new PointerByReference(packet));
            packet = null;
        }
        if (frame != null) {
            av.util.av_frame_free(new PointerByReference(frame));
            frame = null;
        }
        if (ctx != null) {
            av.codec.avcodec_free_context(new PointerByReference(ctx));
            ctx = null;
        }
    }
}
