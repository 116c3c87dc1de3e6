package org.aes67d.api.audio;

/** Where a source reads samples. Called from the audio thread: implementations must not block or allocate. */
public interface AudioInput extends AutoCloseable {
    /** Fills {@code frames} interleaved frames into {@code samples} from {@code offset}; silence if nothing is there. */
    void read(int[] samples, int offset, int frames);

    @Override
    void close();
}
