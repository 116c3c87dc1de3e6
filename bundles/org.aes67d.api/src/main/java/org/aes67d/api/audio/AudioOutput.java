package org.aes67d.api.audio;

/** Where a sink writes samples. Called from the audio thread: implementations must not block or allocate. */
public interface AudioOutput extends AutoCloseable {
    void write(int[] samples, int offset, int frames);

    @Override
    void close();
}
