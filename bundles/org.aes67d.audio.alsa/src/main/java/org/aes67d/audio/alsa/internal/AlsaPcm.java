package org.aes67d.audio.alsa.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.aes67d.util.audio.PcmCodec;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * One open ALSA PCM, interleaved, configured for the stream's rate and channels, with a native buffer of one
 * period. Opening and closing happen on the endpoint's I/O thread; {@link #transfer} is its steady-state call.
 */
final class AlsaPcm implements AutoCloseable {
    /** Tried in this order when the io names no format: the widest first, which carries every codec. */
    private static final PcmCodec[] PREFERENCE = {PcmCodec.S32_LE, PcmCodec.S24_3LE, PcmCodec.S16_LE};

    final String name;
    final boolean capture;
    final PcmCodec codec;
    final int channels;
    final int periodFrames;
    final int bufferFrames;
    private final long handle;
    private final Memory memory;
    final ByteBuffer bytes;
    private final long address;

    private AlsaPcm(String name, boolean capture, long handle, PcmCodec codec, int channels, int period,
            int buffer) {
        this.name = name;
        this.capture = capture;
        this.handle = handle;
        this.codec = codec;
        this.channels = channels;
        this.periodFrames = period;
        this.bufferFrames = buffer;
        this.memory = new Memory((long) period * channels * codec.bytes);
        this.bytes = memory.getByteBuffer(0, memory.size()).order(ByteOrder.LITTLE_ENDIAN);
        this.address = Pointer.nativeValue(memory);
    }

    /**
     * Opens {@code name} and sets interleaved access, the format ({@code null}: the first of S32_LE, S24_3LE,
     * S16_LE the device takes), channels, the exact rate, a period near {@code period} and a buffer near
     * {@code periods} periods. Playback starts once {@code startFrames} are queued.
     */
    static AlsaPcm open(String name, boolean capture, PcmCodec format, int channels, int rate, int period,
            int periods, int startFrames) throws AlsaException {
        long[] out = new long[1];
        int err = AlsaLib.snd_pcm_open(out, name, capture ? AlsaLib.STREAM_CAPTURE : AlsaLib.STREAM_PLAYBACK, 0);
        if (err < 0) {
            throw AlsaException.of("snd_pcm_open", name, err);
        }
        long pcm = out[0];
        long hw = 0;
        long sw = 0;
        try {
            check(AlsaLib.snd_pcm_hw_params_malloc(out), "snd_pcm_hw_params_malloc", name);
            hw = out[0];
            check(AlsaLib.snd_pcm_hw_params_any(pcm, hw), "snd_pcm_hw_params_any", name);
            check(AlsaLib.snd_pcm_hw_params_set_access(pcm, hw, AlsaLib.ACCESS_RW_INTERLEAVED),
                    "interleaved access", name);
            PcmCodec chosen = null;
            for (PcmCodec c : format != null ? new PcmCodec[] {format} : PREFERENCE) {
                if (AlsaLib.snd_pcm_hw_params_set_format(pcm, hw, c.alsaFormat) == 0) {
                    chosen = c;
                    break;
                }
            }
            if (chosen == null) {
                throw new AlsaException("\"" + name + "\" takes none of " + (format != null ? format.name()
                        : "S32_LE, S24_3LE, S16_LE"), -22);
            }
            int e = AlsaLib.snd_pcm_hw_params_set_channels(pcm, hw, channels);
            if (e < 0) {
                throw new AlsaException("\"" + name + "\" cannot take " + channels + " channels: "
                        + AlsaLib.snd_strerror(e), e);
            }
            e = AlsaLib.snd_pcm_hw_params_set_rate(pcm, hw, rate, 0);
            if (e < 0) {
                throw new AlsaException("\"" + name + "\" cannot run at " + rate + " Hz: " + AlsaLib.snd_strerror(e),
                        e);
            }
            long[] frames = {period};
            check(AlsaLib.snd_pcm_hw_params_set_period_size_near(pcm, hw, frames, new int[1]), "period size", name);
            int gotPeriod = (int) frames[0];
            frames[0] = (long) gotPeriod * Math.max(2, periods);
            check(AlsaLib.snd_pcm_hw_params_set_buffer_size_near(pcm, hw, frames), "buffer size", name);
            int gotBuffer = (int) frames[0];
            check(AlsaLib.snd_pcm_hw_params(pcm, hw), "snd_pcm_hw_params", name);
            check(AlsaLib.snd_pcm_sw_params_malloc(out), "snd_pcm_sw_params_malloc", name);
            sw = out[0];
            check(AlsaLib.snd_pcm_sw_params_current(pcm, sw), "snd_pcm_sw_params_current", name);
            check(AlsaLib.snd_pcm_sw_params_set_avail_min(pcm, sw, gotPeriod), "avail_min", name);
            if (!capture) {
                // at most a period short of the buffer: the writer waits for a period of room (avail_min), so a
                // threshold of the whole buffer may never be reached
                long start = Math.max(1, Math.min(gotBuffer - gotPeriod, startFrames));
                check(AlsaLib.snd_pcm_sw_params_set_start_threshold(pcm, sw, start), "start threshold", name);
            }
            check(AlsaLib.snd_pcm_sw_params(pcm, sw), "snd_pcm_sw_params", name);
            check(AlsaLib.snd_pcm_prepare(pcm), "snd_pcm_prepare", name);
            return new AlsaPcm(name, capture, pcm, chosen, channels, gotPeriod, gotBuffer);
        } catch (AlsaException | RuntimeException e) {
            AlsaLib.snd_pcm_close(pcm);
            throw e;
        } finally {
            if (hw != 0) {
                AlsaLib.snd_pcm_hw_params_free(hw);
            }
            if (sw != 0) {
                AlsaLib.snd_pcm_sw_params_free(sw);
            }
        }
    }

    private static void check(int err, String what, String name) throws AlsaException {
        if (err < 0) {
            throw AlsaException.of(what, name, err);
        }
    }

    /** Waits up to {@code millis} for room or data; 1 ready, 0 timeout, negative an error code. */
    int await(int millis) {
        return AlsaLib.snd_pcm_wait(handle, millis);
    }

    /** Reads (capture) or writes (playback) {@code frames} frames of the period buffer; frames done or -errno. */
    long transfer(int frames) {
        return capture ? AlsaLib.snd_pcm_readi(handle, address, frames)
                : AlsaLib.snd_pcm_writei(handle, address, frames);
    }

    /** Frames the device has room for (playback) right now, negative when it cannot tell (an xrun). */
    long avail() {
        return AlsaLib.snd_pcm_avail_update(handle);
    }

    /** After an xrun or a suspend: 0 when the PCM runs again, else the error that stays. */
    int recover(int err) {
        return AlsaLib.snd_pcm_recover(handle, err, 1);
    }

    /** Stops at once and closes (a failed device, or capture). */
    @Override
    public void close() {
        AlsaLib.snd_pcm_drop(handle);
        AlsaLib.snd_pcm_close(handle);
        memory.close();
    }

    /** Playback at stop: plays what is queued first, so a recording through a file PCM is complete. */
    void drainAndClose() {
        AlsaLib.snd_pcm_drain(handle);
        AlsaLib.snd_pcm_close(handle);
        memory.close();
    }
}
