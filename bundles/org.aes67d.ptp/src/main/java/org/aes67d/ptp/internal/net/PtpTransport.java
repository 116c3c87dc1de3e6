package org.aes67d.ptp.internal.net;

import java.io.Closeable;
import java.io.IOException;

/**
 * The two PTP sockets (event 319, general 320) to and from 224.0.1.129 on one interface.
 * {@link #receive} is called by one thread per socket; sends are serialised by the caller.
 * Times are local {@code System.nanoTime()} values.
 */
public interface PtpTransport extends Closeable {
    int EVENT = 0;
    int GENERAL = 1;
    int EVENT_PORT = 319;
    int GENERAL_PORT = 320;

    /**
     * Blocks until a datagram arrives on {@code socket} (or a short internal timeout passes).
     *
     * @param rxLocal receives the local receive time in element 0
     * @return the datagram length, 0 if nothing arrived, -1 once closed
     */
    int receive(int socket, byte[] buf, long[] rxLocal) throws IOException;

    /** @return the local time the message left (kernel transmit timestamp when available) */
    long sendEvent(byte[] b, int len) throws IOException;

    void sendGeneral(byte[] b, int len) throws IOException;

    void setDscp(int dscp) throws IOException;

    int dscp();

    /** "kernel" or "user": where receive/transmit timestamps come from. */
    String timestamping();

    String interfaceName();

    String address();

    /**
     * Changes of CLOCK_REALTIME - CLOCK_MONOTONIC taken over by the stamp conversion (each seen once per
     * direction); 0 where no stamp comes from the system clock.
     */
    default long systemClockSteps() {
        return 0;
    }

    /** Receive and transmit timestamps that had to fall back to user-space time (kernel mode only). */
    default long timestampFallbacks() {
        return 0;
    }

    /**
     * Frees what {@link #close()} left for after the readers stopped (called once they have).
     * close() itself only wakes the readers.
     */
    default void release() {
    }
}
