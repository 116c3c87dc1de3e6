package org.aes67d.api.audio;

import java.util.Map;

/** Where a sink writes samples. Called from the audio thread: implementations must not block or allocate. */
public interface AudioOutput extends AutoCloseable {
    void write(int[] samples, int offset, int frames);

    /**
     * What the output has seen, for the sink's status (names in snake_case, values Number, Boolean or String),
     * e.g. a verifying output's error counters; empty if it has nothing to say. Control path only (may allocate).
     *
     * @since 1.1
     */
    default Map<String, Object> details() {
        return Map.of();
    }

    @Override
    void close();
}
