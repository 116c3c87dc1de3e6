package org.aes67d.api.driver;

import org.aes67d.api.session.SinkStatus;
import org.osgi.annotation.versioning.ProviderType;

/** Moves audio: sends sources and receives sinks. The user-space engine and the netlink driver implement it. */
@ProviderType
public interface Driver {

    /** Starts or restarts a source; replaces an existing one with the same id. */
    void startSource(StreamDescription source) throws DriverException;

    void stopSource(int id);

    /** Starts or restarts a sink; replaces an existing one with the same id. */
    void startSink(StreamDescription sink) throws DriverException;

    void stopSink(int id);

    /** Status of a running sink, or {@link SinkStatus#IDLE}. */
    SinkStatus sinkStatus(int id);
}
