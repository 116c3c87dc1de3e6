package org.aes67d.api.discovery;

import org.aes67d.api.session.Source;
import org.osgi.annotation.versioning.ConsumerType;

/** Whiteboard: each protocol that publishes local sources (SAP, mDNS, RTSP, NMOS) registers one. */
@ConsumerType
public interface SourceAnnouncer {
    /** A source was added or changed; {@code sdp} is its current SDP. */
    void sourceUpdated(Source source, String sdp);

    /** A source was removed or disabled; {@code sdp} is its last SDP (for deletion messages). */
    void sourceRemoved(Source source, String sdp);
}
