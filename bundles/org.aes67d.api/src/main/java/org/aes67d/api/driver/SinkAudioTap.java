package org.aes67d.api.driver;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: a consumer of the audio that sinks play out (the HTTP streamer, meters, recorders). A driver calls
 * every registered tap for every running sink.
 *
 * <p>{@link #sinkStarted} and {@link #sinkStopped} come from control threads; a tap registered while sinks run
 * gets {@code sinkStarted} for each of them first. {@link #played} comes from the driver's audio thread: it must
 * not block, take a lock, allocate or log; copy the samples into a ring of your own and return. It may still be
 * called for a short while after the tap was unregistered or the sink stopped, and, while a sink restarts with
 * another format, with the previous sink's channel count: check {@code channels}. An exception is caught and
 * counted by the driver, never seen by the sink.
 *
 * @since 1.2
 */
@ConsumerType
public interface SinkAudioTap {

    /** Sink {@code sinkId} plays {@code channels} channels at {@code sampleRate} from now on (control thread). */
    void sinkStarted(int sinkId, int sampleRate, int channels);

    /** Sink {@code sinkId} is gone (control thread). */
    void sinkStopped(int sinkId);

    /**
     * Audio thread: sink {@code sinkId} has just played {@code frames} interleaved frames of {@code channels}
     * 32-bit left-justified samples, {@code samples[0 .. frames * channels)}, the first at media position
     * {@code position} (consecutive calls continue at {@code position + frames} unless the sink skipped). The
     * array is reused after the call.
     */
    void played(int sinkId, long position, int[] samples, int frames, int channels);
}
