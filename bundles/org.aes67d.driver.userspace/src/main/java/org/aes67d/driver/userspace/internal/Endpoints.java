package org.aes67d.driver.userspace.internal;

import org.aes67d.api.audio.AudioInput;
import org.aes67d.api.audio.AudioOutput;

/** The four kinds of stream endpoints: device channels by map, or a backend's stream in stream channel order. */
final class Endpoints {
    private Endpoints() {
    }

    static AudioIn devicePlayback(VirtualDevice device, int[] map) {
        return new AudioIn() {
            @Override
            public void read(long pos, int[] dst, int frames) {
                device.readPlayback(pos, map, dst, frames);
            }

            @Override
            public void close() {
                // the device outlives its streams
            }
        };
    }

    static AudioOut deviceCapture(VirtualDevice device, int[] map) {
        return new AudioOut() {
            @Override
            public void write(long pos, int[] src, int frames) {
                device.writeCapture(pos, map, src, frames);
            }

            @Override
            public void close() {
                // the device outlives its streams
            }
        };
    }

    static AudioIn backend(AudioInput in) {
        return new AudioIn() {
            @Override
            public void read(long pos, int[] dst, int frames) {
                in.read(dst, 0, frames);
            }

            @Override
            public void close() {
                in.close();
            }
        };
    }

    static AudioOut backend(AudioOutput out) {
        return new AudioOut() {
            @Override
            public void write(long pos, int[] src, int frames) {
                out.write(src, 0, frames);
            }

            @Override
            public java.util.Map<String, Object> details() {
                return out.details();
            }

            @Override
            public void close() {
                out.close();
            }
        };
    }
}
