package org.aes67d.api.discovery;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/** Whiteboard: each discovery protocol that lists remote sources registers one. */
@ConsumerType
public interface SourceBrowser {
    /** The protocol name reported in {@link RemoteSource#protocol()}. */
    String protocol();

    List<RemoteSource> remoteSources();

    /**
     * Whether the protocol is really running (enabled, and its sockets open), as opposed to merely installed.
     * {@code GET /api/config} reports {@code mdns_enabled} from this.
     *
     * @since 1.1
     */
    default boolean active() {
        return true;
    }
}
