package org.aes67d.api.driver;

import org.aes67d.api.session.SinkStatus;
import org.osgi.annotation.versioning.ProviderType;

/** Moves audio: sends sources and receives sinks. The user-space engine and the netlink driver implement it. */
@ProviderType
public interface Driver {

    /** Starts or restarts a source; replaces an existing one with the same id. */
    void startSource(StreamDescription source) throws DriverException;

    /**
     * Starts or restarts a source whose first packet carries the media clock position of PTP time
     * {@code startPtpNanos} (rounded up to a packet boundary), also when that time has just passed: the packets
     * since then are sent at once (as after a stall). A driver that cannot start at a time starts now.
     *
     * @since 1.4
     */
    default void startSource(StreamDescription source, long startPtpNanos) throws DriverException {
        startSource(source);
    }

    void stopSource(int id);

    /** Starts or restarts a sink; replaces an existing one with the same id. */
    void startSink(StreamDescription sink) throws DriverException;

    void stopSink(int id);

    /** Status of a running sink, or {@link SinkStatus#IDLE}; clears its latched flags, as a read of the REST API does. */
    SinkStatus sinkStatus(int id);

    /**
     * The status of a running sink without clearing anything (latched flags, minimum margin, the verifier's
     * "since last read"), for monitors such as metrics and health checks that must not take those from the REST
     * API's readers. A driver that cannot read without clearing returns {@link #sinkStatus(int)}.
     *
     * @since 1.2
     */
    default SinkStatus peekSinkStatus(int id) {
        return sinkStatus(id);
    }

    /**
     * Per-channel levels of what a running source sends, or null (no such source, or a driver that does not meter).
     *
     * @since 1.3
     */
    default StreamLevels sourceLevels(int id) {
        return null;
    }

    /**
     * Per-channel levels of what a running sink plays out (concealed losses included), or null.
     *
     * @since 1.3
     */
    default StreamLevels sinkLevels(int id) {
        return null;
    }

    /**
     * A running source's packet counters, or null (no such source, or a driver that keeps none).
     *
     * @since 1.3
     */
    default SourceCounters sourceCounters(int id) {
        return null;
    }

    /**
     * A running sink's received packets, bytes and arrival margins, or null.
     *
     * @since 1.3
     */
    default SinkArrivals sinkArrivals(int id) {
        return null;
    }
}
