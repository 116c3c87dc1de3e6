package org.aes67d.ptp.internal.bmca;

/**
 * The dataset comparison algorithm of IEEE 1588-2008 9.3.4 (figures 27 and 28).
 */
public final class Bmca {
    /** A is better than B. */
    public static final int A_BETTER = -2;
    /** A is better than B by topology (same grandmaster, A is the better path). */
    public static final int A_BETTER_BY_TOPOLOGY = -1;
    /** Error 1 or 2 of figure 28: the two datasets describe the same path (e.g. our own message). */
    public static final int SAME = 0;
    public static final int B_BETTER_BY_TOPOLOGY = 1;
    public static final int B_BETTER = 2;

    private Bmca() {
    }

    /** @return one of the constants; negative means A is preferred */
    public static int compare(Dataset a, Dataset b) {
        if (a.grandmasterIdentity != b.grandmasterIdentity) {
            // figure 27: the grandmaster attributes in order, identity as the final tie-break
            int c = Integer.compare(a.priority1, b.priority1);
            if (c == 0) {
                c = Integer.compare(a.clockClass, b.clockClass);
            }
            if (c == 0) {
                c = Integer.compare(a.clockAccuracy, b.clockAccuracy);
            }
            if (c == 0) {
                c = Integer.compare(a.offsetScaledLogVariance, b.offsetScaledLogVariance);
            }
            if (c == 0) {
                c = Integer.compare(a.priority2, b.priority2);
            }
            if (c == 0) {
                c = Long.compareUnsigned(a.grandmasterIdentity, b.grandmasterIdentity);
            }
            return c < 0 ? A_BETTER : B_BETTER;
        }
        return compareTopology(a, b);
    }

    /** Figure 28: same grandmaster, decide by the path. */
    private static int compareTopology(Dataset a, Dataset b) {
        if (a.stepsRemoved > b.stepsRemoved + 1) {
            return B_BETTER;
        }
        if (b.stepsRemoved > a.stepsRemoved + 1) {
            return A_BETTER;
        }
        if (a.stepsRemoved > b.stepsRemoved) {
            // A is one step further: is A's message one we sent ourselves (receiver vs sender)?
            int c = comparePort(a.receiverClockIdentity, a.receiverPortNumber, a.senderClockIdentity,
                    a.senderPortNumber);
            return c == 0 ? SAME : c < 0 ? B_BETTER : B_BETTER_BY_TOPOLOGY;
        }
        if (b.stepsRemoved > a.stepsRemoved) {
            int c = comparePort(b.receiverClockIdentity, b.receiverPortNumber, b.senderClockIdentity,
                    b.senderPortNumber);
            return c == 0 ? SAME : c < 0 ? A_BETTER : A_BETTER_BY_TOPOLOGY;
        }
        int c = comparePort(a.senderClockIdentity, a.senderPortNumber, b.senderClockIdentity, b.senderPortNumber);
        if (c != 0) {
            return c < 0 ? A_BETTER_BY_TOPOLOGY : B_BETTER_BY_TOPOLOGY;
        }
        c = Integer.compare(a.receiverPortNumber, b.receiverPortNumber);
        return c == 0 ? SAME : c < 0 ? A_BETTER_BY_TOPOLOGY : B_BETTER_BY_TOPOLOGY;
    }

    /** portIdentity order: clockIdentity as an unsigned octet string, then portNumber. */
    static int comparePort(long clockA, int portA, long clockB, int portB) {
        int c = Long.compareUnsigned(clockA, clockB);
        return c != 0 ? c : Integer.compare(portA, portB);
    }
}
