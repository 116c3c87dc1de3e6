package org.aes67d.sdp;

import java.util.List;
import java.util.Objects;

/**
 * A parsed SDP session. Media-level values in {@link #media()} are already resolved: a media block without its own
 * {@code c=}, clock-domain, ts-refclk, mediaclk, source-filter or direction carries the session-level one. The
 * session-level fields below are kept so the writer can reproduce the structure.
 *
 * @param origin the {@code o=} line
 * @param name the {@code s=} line, "" when empty
 * @param connection session-level {@code c=}, null when absent
 * @param clockDomain session-level {@code a=clock-domain} value (e.g. {@code PTPv2 0}), null when absent
 * @param tsRefclk session-level {@code a=ts-refclk} value, null when absent
 * @param mediaclk session-level {@code a=mediaclk} value, null when absent
 * @param sourceFilter session-level {@code a=source-filter} value without the leading space, null when absent
 * @param direction session-level {@code recvonly}, {@code sendonly}, {@code sendrecv} or {@code inactive}, or null
 * @param groupDup mids of {@code a=group:DUP} (ST 2022-7), empty when absent
 * @param otherAttributes session-level attributes not modelled, as written after {@code a=}, in order
 * @param media the {@code m=audio} blocks in order (other media types are skipped)
 */
public record SessionDescription(Origin origin, String name, Connection connection, String clockDomain,
        String tsRefclk, String mediaclk, String sourceFilter, String direction, List<String> groupDup,
        List<String> otherAttributes, List<MediaDescription> media) {
    public SessionDescription {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(name, "name");
        groupDup = List.copyOf(groupDup);
        otherAttributes = List.copyOf(otherAttributes);
        media = List.copyOf(media);
    }

    /**
     * The two legs of an ST 2022-7 session (RFC 7104): the blocks named by the first two mids of
     * {@code a=group:DUP}, in the group's order (mids may be {@code 1 2}, {@code primary secondary}, ...). Empty
     * when there is no such group, a mid names no block, or both name the same one.
     *
     * @since 1.1
     */
    public List<MediaDescription> duplicateLegs() {
        if (groupDup.size() < 2 || groupDup.get(0).equals(groupDup.get(1))) {
            return List.of();
        }
        MediaDescription first = null;
        MediaDescription second = null;
        for (MediaDescription m : media) {
            if (first == null && groupDup.get(0).equals(m.mid())) {
                first = m;
            } else if (second == null && groupDup.get(1).equals(m.mid())) {
                second = m;
            }
        }
        return first == null || second == null ? List.of() : List.of(first, second);
    }
}
