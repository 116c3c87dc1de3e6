package org.aes67d.audio.jack.internal;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * libjack ({@code libjack.so.0}: jackd2, or PipeWire's through {@code pw-jack}). Control calls go through an
 * interface mapping ({@link Control}); the calls made every cycle on JACK's real-time thread are direct-mapped
 * with primitive arguments and the process callback is registered through a direct-mapped function, so JNA
 * calls it without boxing: nothing is allocated per cycle.
 */
final class JackLib {
    static final int JACK_NO_START_SERVER = 0x01;
    static final int JACK_SERVER_NAME = 0x04;
    static final long PORT_IS_INPUT = 0x1;
    static final long PORT_IS_OUTPUT = 0x2;
    static final String AUDIO_TYPE = "32 bit float mono audio";

    private static Control control;
    private static Throwable loadError;

    private JackLib() {
    }

    /** Control-side calls (any thread but the process thread). */
    interface Control extends Library {
        Pointer jack_client_open(String name, int options, IntByReference status, Object... args);

        int jack_client_close(Pointer client);

        int jack_activate(Pointer client);

        int jack_deactivate(Pointer client);

        String jack_get_client_name(Pointer client);

        int jack_get_sample_rate(Pointer client);

        int jack_get_buffer_size(Pointer client);

        Pointer jack_port_register(Pointer client, String name, String type, NativeLong flags, NativeLong size);

        int jack_port_unregister(Pointer client, Pointer port);

        String jack_port_name(Pointer port);

        int jack_connect(Pointer client, String source, String destination);

        Pointer jack_get_ports(Pointer client, String namePattern, String typePattern, NativeLong flags);

        void jack_free(Pointer p);
    }

    /** {@code int (*JackProcessCallback)(jack_nframes_t nframes, void *arg)}. */
    interface Process extends Callback {
        int invoke(int nframes, long arg);
    }

    /** {@code void (*JackShutdownCallback)(void *arg)}. */
    interface Shutdown extends Callback {
        void invoke(long arg);
    }

    /** {@code int (*JackXRunCallback)(void *arg)}: JACK's notification thread, not the process thread. */
    interface XRun extends Callback {
        int invoke(long arg);
    }

    /** Loads the library once; returns the control mapping, or throws with why it is unusable. */
    static synchronized Control control() {
        if (control == null && loadError == null) {
            try {
                if (Native.POINTER_SIZE != 8) {
                    throw new UnsupportedOperationException("the JACK binding needs a 64-bit JVM");
                }
                NativeLibrary lib = NativeLibrary.getInstance("libjack.so.0");
                Native.register(JackLib.class, lib);
                control = Native.load("libjack.so.0", Control.class);
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                loadError = e;
            }
        }
        if (control == null) {
            throw new IllegalStateException("libjack.so.0 not usable (apt-get install libjack-jackd2-0, or run "
                    + "under pw-jack): " + loadError.getMessage());
        }
        return control;
    }

    static native int jack_set_process_callback(long client, Process callback, long arg);

    static native void jack_on_shutdown(long client, Shutdown callback, long arg);

    static native int jack_set_xrun_callback(long client, XRun callback, long arg);

    static native long jack_port_get_buffer(long port, int nframes);

    /**
     * The current cycle's start (microseconds of the monotonic clock, as {@code System.nanoTime()}), filtered by
     * JACK: the period timestamps of the drift estimate. Arguments are addresses of native memory.
     */
    static native int jack_get_cycle_times(long client, long currentFrames, long currentUsecs, long nextUsecs,
            long periodUsecs);
}
