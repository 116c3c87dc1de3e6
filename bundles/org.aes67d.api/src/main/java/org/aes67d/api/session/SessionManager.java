package org.aes67d.api.session;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** Lifecycle of local sources and sinks: validates, persists, hands to the driver, tells announcers. */
@ProviderType
public interface SessionManager {
    int MAX_STREAMS = 64;

    /** Adds or updates (same id) a source. */
    void putSource(Source source) throws SessionException;

    /**
     * Adds or updates a source whose stream's timeline starts at PTP time {@code startPtpNanos} (ns since the PTP
     * epoch), as a scheduled activation asks: when the source is enabled and (re)started, its first RTP packet
     * carries the media clock position of that time, rounded up to a packet boundary, also when this call comes
     * after that time (a late thread), as far back as the driver still sends (the user-space engine: 1 s for file
     * and tone sources, a quarter of the Audio Device's ring for device sources). A driver that cannot start at a
     * given time starts now, as {@link #putSource(Source)}.
     *
     * @since 1.4
     */
    default void putSource(Source source, long startPtpNanos) throws SessionException {
        putSource(source);
    }

    void removeSource(int id) throws SessionException;

    /** Sources in ascending id order. */
    List<Source> sources();

    /** The SDP of a local source, exact text with LF line ends. */
    String sourceSdp(int id) throws SessionException;

    /** Adds or updates (same id) a sink. */
    void putSink(Sink sink) throws SessionException;

    void removeSink(int id) throws SessionException;

    /** Sinks in ascending id order. */
    List<Sink> sinks();

    /** The status as {@code GET /api/sink/status/{id}} reports it; clears the latched flags. */
    SinkStatus sinkStatus(int id) throws SessionException;

    /**
     * The same status without clearing anything, for monitors (metrics, health checks, shells).
     *
     * @since 1.2
     */
    default SinkStatus peekSinkStatus(int id) throws SessionException {
        return sinkStatus(id);
    }
}
