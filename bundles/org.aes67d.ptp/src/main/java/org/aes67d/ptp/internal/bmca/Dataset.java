package org.aes67d.ptp.internal.bmca;

import org.aes67d.ptp.internal.message.PtpMessage;

/**
 * The data the BMCA compares (1588-2008 9.3.4): the grandmaster's dataset from an Announce, its
 * steps removed, the port that sent it and the port that received it. Mutable so the foreign master
 * table can refresh entries in place (no allocation per Announce).
 */
public final class Dataset {
    public int priority1;
    public int clockClass;
    public int clockAccuracy;
    public int offsetScaledLogVariance;
    public int priority2;
    public long grandmasterIdentity;
    public int stepsRemoved;
    public long senderClockIdentity;
    public int senderPortNumber;
    public long receiverClockIdentity;
    public int receiverPortNumber;
    // carried along for status and for our own Announce, not compared
    public int timeSource;
    public int flags;
    public int currentUtcOffset;
    public int logAnnounceInterval;

    /** Fills this from a received Announce. */
    public Dataset fromAnnounce(PtpMessage m, long receiverClock, int receiverPort) {
        priority1 = m.gmPriority1;
        clockClass = m.gmClockClass;
        clockAccuracy = m.gmClockAccuracy;
        offsetScaledLogVariance = m.gmOffsetScaledLogVariance;
        priority2 = m.gmPriority2;
        grandmasterIdentity = m.gmIdentity;
        stepsRemoved = m.stepsRemoved;
        senderClockIdentity = m.sourceClockIdentity;
        senderPortNumber = m.sourcePortNumber;
        receiverClockIdentity = receiverClock;
        receiverPortNumber = receiverPort;
        timeSource = m.timeSource;
        flags = m.flags;
        currentUtcOffset = m.currentUtcOffset;
        logAnnounceInterval = m.logMessageInterval;
        return this;
    }

    /** Our own default dataset D0 as the comparison sees it (we are the grandmaster, 0 steps away). */
    public Dataset local(long clockIdentity, int portNumber, int priority1, int clockClass, int clockAccuracy,
            int variance, int priority2) {
        this.priority1 = priority1;
        this.clockClass = clockClass;
        this.clockAccuracy = clockAccuracy;
        this.offsetScaledLogVariance = variance;
        this.priority2 = priority2;
        this.grandmasterIdentity = clockIdentity;
        this.stepsRemoved = 0;
        this.senderClockIdentity = clockIdentity;
        this.senderPortNumber = 0;
        this.receiverClockIdentity = clockIdentity;
        this.receiverPortNumber = 0;
        return this;
    }

    public void copyFrom(Dataset o) {
        priority1 = o.priority1;
        clockClass = o.clockClass;
        clockAccuracy = o.clockAccuracy;
        offsetScaledLogVariance = o.offsetScaledLogVariance;
        priority2 = o.priority2;
        grandmasterIdentity = o.grandmasterIdentity;
        stepsRemoved = o.stepsRemoved;
        senderClockIdentity = o.senderClockIdentity;
        senderPortNumber = o.senderPortNumber;
        receiverClockIdentity = o.receiverClockIdentity;
        receiverPortNumber = o.receiverPortNumber;
        timeSource = o.timeSource;
        flags = o.flags;
        currentUtcOffset = o.currentUtcOffset;
        logAnnounceInterval = o.logAnnounceInterval;
    }
}
