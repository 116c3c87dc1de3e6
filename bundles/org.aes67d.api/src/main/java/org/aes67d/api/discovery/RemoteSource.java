package org.aes67d.api.discovery;

/**
 * A source found on the network.
 *
 * @param protocol {@code SAP}, {@code mDNS}, ...
 * @param id unique within the protocol
 * @param name session name
 * @param domain mDNS domain, or empty
 * @param address address of the announcing host
 * @param sdp the session description
 * @param lastSeenSeconds seconds since the last announcement
 * @param announcePeriodSeconds measured announcement period, 0 when unknown
 */
public record RemoteSource(String protocol, String id, String name, String domain, String address, String sdp,
        long lastSeenSeconds, long announcePeriodSeconds) {
}
