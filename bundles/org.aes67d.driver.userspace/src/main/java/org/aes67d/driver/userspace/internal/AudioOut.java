package org.aes67d.driver.userspace.internal;

/** Where a sink's samples go, at device position {@code pos} (devices use it, backends stream). */
interface AudioOut extends AutoCloseable {
    void write(long pos, int[] src, int frames);

    @Override
    void close();
}
