package org.aes67d.audio.basic.internal;

import org.aes67d.api.audio.AudioInput;

/** {@code test:prbs}: {@link TestSignal} from frame 0, one frame per frame read. Allocation-free. */
final class TestSignalInput implements AudioInput {
    private final int channels;
    private long position;

    TestSignalInput(int channels) {
        this.channels = channels;
    }

    @Override
    public void read(int[] samples, int offset, int frames) {
        int i = offset;
        for (int f = 0; f < frames; f++, position++) {
            for (int c = 0; c < channels; c++) {
                samples[i++] = TestSignal.sample(position, c);
            }
        }
    }

    @Override
    public void close() {
        // nothing held
    }
}
