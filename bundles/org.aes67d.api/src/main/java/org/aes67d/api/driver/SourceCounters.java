package org.aes67d.api.driver;

/**
 * What a running source sent: packets and their bytes (RTP header included), packets the socket refused, packets
 * skipped because they were too old to be of use after a stall, and packets sent more than 1 ms after their time.
 *
 * @since 1.3
 */
public record SourceCounters(long packets, long bytes, long sendErrors, long skipped, long late) {
}
