package org.aes67d.sdp;

import java.util.Objects;

/**
 * The {@code o=} line (network type is always {@code IN}).
 *
 * @param username user name, {@code -} when none
 * @param sessionId session id as written: vendors use NTP times and u64 values that do not fit a long
 * @param sessionVersion session version as written, for the same reason
 * @param addressType {@code IP4} or {@code IP6}, as written
 * @param address unicast address or host name of the originator
 */
public record Origin(String username, String sessionId, String sessionVersion, String addressType, String address) {
    public Origin {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(sessionVersion, "sessionVersion");
        Objects.requireNonNull(addressType, "addressType");
        Objects.requireNonNull(address, "address");
    }
}
