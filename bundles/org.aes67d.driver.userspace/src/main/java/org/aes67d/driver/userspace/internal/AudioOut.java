package org.aes67d.driver.userspace.internal;

import java.util.Map;

/** Where a sink's samples go, at device position {@code pos} (devices use it, backends stream). */
interface AudioOut extends AutoCloseable {
    void write(long pos, int[] src, int frames);

    /** The endpoint's own report for the sink status (a verifying backend's counters); control path only. */
    default Map<String, Object> details() {
        return Map.of();
    }

    @Override
    void close();
}
