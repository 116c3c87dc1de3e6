package org.aes67d.audio.alsa.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * alsa-lib ({@code libasound.so.2}) through JNA direct mapping: primitive arguments only, so a call from the I/O
 * thread allocates nothing. Pointers are {@code long} and {@code snd_pcm_uframes_t} is {@code long}, which holds
 * on 64-bit Linux only ({@link #check} refuses other platforms).
 */
final class AlsaLib {
    static final int STREAM_PLAYBACK = 0;
    static final int STREAM_CAPTURE = 1;
    static final int ACCESS_RW_INTERLEAVED = 3;
    static final int EPIPE = 32;
    static final int ESTRPIPE = 86;
    static final int EAGAIN = 11;

    private static volatile Throwable loadError;
    private static volatile boolean loaded;

    private AlsaLib() {
    }

    /** Loads the library once; returns null when it is usable, else why not. */
    static synchronized String check() {
        if (!loaded && loadError == null) {
            try {
                if (Native.LONG_SIZE != 8 || Native.POINTER_SIZE != 8) {
                    throw new UnsupportedOperationException("the ALSA binding needs a 64-bit JVM");
                }
                Native.register(AlsaLib.class, NativeLibrary.getInstance("libasound.so.2"));
                loaded = true;
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                loadError = e;
            }
        }
        return loaded ? null : "libasound.so.2 not usable (apt-get install libasound2): " + loadError.getMessage();
    }

    static native int snd_pcm_open(long[] pcm, String name, int stream, int mode);

    static native int snd_pcm_close(long pcm);

    static native int snd_pcm_hw_params_malloc(long[] params);

    static native void snd_pcm_hw_params_free(long params);

    static native int snd_pcm_hw_params_any(long pcm, long params);

    static native int snd_pcm_hw_params_set_access(long pcm, long params, int access);

    static native int snd_pcm_hw_params_set_format(long pcm, long params, int format);

    static native int snd_pcm_hw_params_set_channels(long pcm, long params, int channels);

    static native int snd_pcm_hw_params_set_rate(long pcm, long params, int rate, int dir);

    static native int snd_pcm_hw_params_set_period_size_near(long pcm, long params, long[] frames, int[] dir);

    static native int snd_pcm_hw_params_set_buffer_size_near(long pcm, long params, long[] frames);

    static native int snd_pcm_hw_params(long pcm, long params);

    static native int snd_pcm_sw_params_malloc(long[] params);

    static native void snd_pcm_sw_params_free(long params);

    static native int snd_pcm_sw_params_current(long pcm, long params);

    static native int snd_pcm_sw_params_set_start_threshold(long pcm, long params, long frames);

    static native int snd_pcm_sw_params_set_avail_min(long pcm, long params, long frames);

    static native int snd_pcm_sw_params(long pcm, long params);

    static native int snd_pcm_prepare(long pcm);

    static native int snd_pcm_start(long pcm);

    static native int snd_pcm_drop(long pcm);

    static native int snd_pcm_drain(long pcm);

    static native int snd_pcm_wait(long pcm, int timeoutMillis);

    static native long snd_pcm_readi(long pcm, long buffer, long frames);

    /** Frames of room (playback) or data (capture) now, or a negative error. */
    static native long snd_pcm_avail_update(long pcm);

    static native long snd_pcm_writei(long pcm, long buffer, long frames);

    static native int snd_pcm_recover(long pcm, int err, int silent);

    static native String snd_strerror(int err);
}
