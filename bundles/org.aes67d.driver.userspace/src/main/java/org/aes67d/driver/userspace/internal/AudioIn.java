package org.aes67d.driver.userspace.internal;

/** Where a source's samples come from, at media position {@code pos} (devices use it, backends stream). */
interface AudioIn extends AutoCloseable {
    void read(long pos, int[] dst, int frames);

    @Override
    void close();
}
