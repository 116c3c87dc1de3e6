package org.aes67d.driver.userspace.internal;

/** Which of the last {@code size} (a power of two, at least 64) RTP sequence numbers were seen; allocation-free. */
final class SequenceWindow {
    private final long[] bits;
    private final int mask;

    SequenceWindow(int size) {
        this.bits = new long[size / 64];
        this.mask = size - 1;
    }

    boolean seen(int seq) {
        int bit = seq & mask;
        return (bits[bit >>> 6] & (1L << bit)) != 0;
    }

    void mark(int seq) {
        int bit = seq & mask;
        bits[bit >>> 6] |= 1L << bit;
    }

    void clear(int seq) {
        int bit = seq & mask;
        bits[bit >>> 6] &= ~(1L << bit);
    }

    void clearAll() {
        java.util.Arrays.fill(bits, 0);
    }
}
