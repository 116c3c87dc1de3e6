package org.aes67d.streamer.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * FFmpeg's libavcodec and libavutil through JNA, loaded by versioned soname (the soname major is the ABI). Only
 * calls that need no struct layout are used, plus a few offsets per major version, measured with C offsetof
 * (see docs/streamer.md); an unknown version fails closed.
 */
final class Libav {
    /** Functions of libavcodec. */
    interface Codec extends Library {
        int avcodec_version();

        Pointer avcodec_find_encoder_by_name(String name);

        Pointer avcodec_alloc_context3(Pointer codec);

        int avcodec_open2(Pointer ctx, Pointer codec, Pointer options);

        void avcodec_free_context(PointerByReference ctx);

        int avcodec_send_frame(Pointer ctx, Pointer frame);

        int avcodec_receive_packet(Pointer ctx, Pointer packet);

        Pointer av_packet_alloc();

        void av_packet_free(PointerByReference packet);

        void av_packet_unref(Pointer packet);

        Pointer avcodec_parameters_alloc();

        void avcodec_parameters_free(PointerByReference par);

        int avcodec_parameters_from_context(Pointer par, Pointer ctx);

        int avcodec_parameters_to_context(Pointer ctx, Pointer par);
    }

    /** Functions of libavutil. */
    interface Util extends Library {
        int avutil_version();

        Pointer av_frame_alloc();

        void av_frame_free(PointerByReference frame);

        int av_frame_get_buffer(Pointer frame, int align);

        int av_frame_make_writable(Pointer frame);

        void av_channel_layout_default(Pointer layout, int channels);

        int av_opt_set_int(Pointer obj, String name, long value, int flags);

        int av_opt_set(Pointer obj, String name, String value, int flags);

        void av_log_set_level(int level);
    }

    /** Layout facts of one FFmpeg generation. */
    record Layout(int avcodecMajor, int avutilMajor, long frameChLayout, long parametersFormat) {
        static final long FRAME_DATA = 0;
        static final long FRAME_NB_SAMPLES = 112;
        static final long FRAME_FORMAT = 116;
        static final long FRAME_PTS = 136;
        static final long PACKET_DATA = 24;
        static final long PACKET_SIZE = 32;
    }

    /** FFmpeg 5.1, 6.x, 7.x, 8.0 (Debian 12 ships 5.1: libavcodec59 / libavutil57). */
    static final Layout[] LAYOUTS = {
        new Layout(59, 57, 448, 28), new Layout(60, 58, 448, 28), new Layout(61, 59, 408, 44),
        new Layout(62, 60, 384, 44),
    };

    static final int AV_SAMPLE_FMT_FLTP = 8;
    static final int EAGAIN = -11;
    /** Only errors from libav* on stderr (its encoders print statistics at info level when closed). */
    static final int AV_LOG_ERROR = 16;

    final Codec codec;
    final Util util;
    final Layout layout;
    final String version;

    private Libav(Codec codec, Util util, Layout layout) {
        this.codec = codec;
        this.util = util;
        this.layout = layout;
        util.av_log_set_level(AV_LOG_ERROR);
        int v = codec.avcodec_version();
        this.version = "libavcodec " + (v >>> 16) + "." + ((v >>> 8) & 0xFF) + "." + (v & 0xFF);
    }

    /** The first FFmpeg generation found on this system. */
    static Libav load() throws UnavailableException {
        return load(LAYOUTS);
    }

    static Libav load(Layout... layouts) throws UnavailableException {
        StringBuilder tried = new StringBuilder();
        for (Layout l : layouts) {
            String codecLib = "libavcodec.so." + l.avcodecMajor();
            try {
                Util util = Native.load("libavutil.so." + l.avutilMajor(), Util.class);
                Codec codec = Native.load(codecLib, Codec.class);
                int major = util.avutil_version() >>> 16;
                if (major != l.avutilMajor() || codec.avcodec_version() >>> 16 != l.avcodecMajor()) {
                    tried.append(codecLib).append(" (unexpected version) ");
                    continue;
                }
                return new Libav(codec, util, l);
            } catch (UnsatisfiedLinkError e) {
                tried.append(codecLib).append(' ');
            }
        }
        throw new UnavailableException("AAC encoder unavailable: no libavcodec found (tried " + tried.toString().trim()
                + "); install Debian's libavcodec59");
    }

    /** libavcodec is missing or cannot encode AAC: the streamer reports it and serves nothing. */
    static final class UnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnavailableException(String message) {
            super(message);
        }
    }
}
