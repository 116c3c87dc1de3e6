package org.aes67d.ptp.internal.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.aes67d.api.ptp.PtpState;
import org.aes67d.api.ptp.PtpStatus;
import org.aes67d.ptp.internal.bmca.Bmca;
import org.aes67d.ptp.internal.bmca.Dataset;
import org.aes67d.ptp.internal.bmca.ForeignMasters;
import org.aes67d.ptp.internal.clock.OffsetStats;
import org.aes67d.ptp.internal.clock.PiServo;
import org.aes67d.ptp.internal.clock.VirtualClock;
import org.aes67d.ptp.internal.message.PtpMessage;
import org.aes67d.ptp.internal.message.PtpWriter;
import org.aes67d.ptp.internal.message.Timestamps;

/**
 * The protocol engine of a one-port ordinary clock (E2E delay mechanism): BMCA and port state,
 * slave (Sync/Follow_Up pairing, Delay_Req/Delay_Resp, servo) and grandmaster (Announce,
 * two-step Sync, Delay_Resp). No I/O and no threads of its own: the transport feeds it received
 * messages with their local receive times, a timer calls {@link #tick}, and it sends through
 * {@link Io}. All times are local {@code System.nanoTime()} values passed in, so tests can drive it
 * with synthetic time.
 *
 * <p>Thread-safety: every entry point is synchronized (receive threads and the timer share it);
 * the receive threads take their timestamps before they enter. The steady-state paths allocate
 * nothing; state changes (rare) allocate the listener call.
 */
public final class PtpPort {

    public enum Mode {
        SLAVE, AUTO, MASTER;

        /** "slave" | "auto" | "master", anything else is slave (like the C++ daemon). */
        public static Mode parse(String s) {
            if (s != null) {
                switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
                    case "auto": return AUTO;
                    case "master": return MASTER;
                    default: break;
                }
            }
            return SLAVE;
        }
    }

    /** Port states of 1588-2008 9.2.5 that this engine uses. */
    public enum PortState { LISTENING, UNCALIBRATED, SLAVE, MASTER, DISABLED }

    /** Sends datagrams to 224.0.1.129. */
    public interface Io {
        /** Sends on the event port (319). @return the local time the message left, as well as known */
        long sendEvent(byte[] buf, int len);

        /** Sends on the general port (320). */
        void sendGeneral(byte[] buf, int len);
    }

    /** Told of every lock state change, under the engine's lock: must not block. */
    public interface Listener {
        void stateChanged(PtpState state);
    }

    /** Sees every offset sample (benchmarks, tests); called under the engine's lock. */
    public interface SampleListener {
        /**
         * @param local local receive time of the Sync
         * @param offset measured offset (our clock - master) before the servo's correction
         * @param pathDelay mean path delay used
         * @param servoResult one of the {@code PiServo} results
         */
        void sample(long local, long offset, long pathDelay, int servoResult);
    }

    /**
     * Settings of the port.
     *
     * @param announceTimeoutCapNs upper bound of the announce receipt timeout (the issue asks for 5 s)
     * @param lockThresholdNs |offset| below which a sample counts towards lock
     * @param lockSamples consecutive samples under the threshold to report locked (once locked, only a step loses it)
     */
    public record Settings(Mode mode, int domain, long clockIdentity, int priority1, int priority2,
            int logSyncInterval, int logAnnounceInterval, int logMinDelayReqInterval, int announceReceiptTimeout,
            long announceTimeoutCapNs, long lockThresholdNs, int lockSamples) {

        /** AES67 media profile rates (Sync 8/s, Announce every 2 s, Delay_Req 1/s). */
        public static Settings aes67(Mode mode, int domain, long clockIdentity) {
            return new Settings(mode, domain, clockIdentity, 248, 128, -3, 1, 0, 3, 5_000_000_000L, 10_000, 8);
        }

        public Settings withDomain(int d) {
            return new Settings(mode, d, clockIdentity, priority1, priority2, logSyncInterval, logAnnounceInterval,
                    logMinDelayReqInterval, announceReceiptTimeout, announceTimeoutCapNs, lockThresholdNs,
                    lockSamples);
        }
    }

    static final int PORT_NUMBER = 1;
    static final int CLOCK_CLASS = 248; // default, slave-capable (7.6.2.4)
    static final int CLOCK_ACCURACY = 0xFE; // unknown
    static final int VARIANCE = 0xFFFF; // not computed
    static final int TIME_SOURCE = 0xA0; // internal oscillator
    /** TAI - UTC since 2017-01-01; announced when our clock started from the system clock. */
    public static final int UTC_OFFSET = 37;
    private static final int DELAY_FILTER = 7;
    private static final long HOUSEKEEPING_NS = 100_000_000L;
    private static final double SPIKE_FACTOR = 5;
    private static final long SPIKE_FLOOR_NS = 1_000;
    private static final int MAX_SPIKES = 3;

    private final VirtualClock clock;
    private final Io io;
    private final Listener listener;
    private final ForeignMasters foreign = new ForeignMasters(16);
    private final Dataset local = new Dataset();
    private final Dataset parent = new Dataset();
    private final PiServo servo = PiServo.defaults();
    private final OffsetStats stats = new OffsetStats();
    private final SplittableRandom random;
    private final byte[] tx = new byte[128];
    private final long[] delayRing = new long[DELAY_FILTER];
    private final long[] delaySorted = new long[DELAY_FILTER];

    private Settings settings;
    private SampleListener sampleListener;
    private PortState portState;
    /** Volatile: {@link #state()} is read without the lock (PtpClock.state() must not block). */
    private volatile PtpState lockState = PtpState.UNLOCKED;
    private boolean hasParent;
    private long parentLastAnnounce;
    private long listeningSince;

    // time scale of our clock: announced when we are master
    private boolean ptpTimescale = true;
    private int utcOffset = UTC_OFFSET;

    // slave: Sync / Follow_Up pairing (they come through two sockets, so either may be first)
    private boolean syncPending;
    private int syncSeq;
    private long syncRxLocal;
    private long syncCorrection;
    private boolean followUpPending;
    private int followUpSeq;
    private long followUpT1;
    private boolean pairValid;
    private long pairT1;
    private long pairT2Local;

    // slave: delay
    private int delayReqSeq;
    private boolean delayReqPending;
    private long delayReqTxLocal;
    private long nextDelayReq = Long.MAX_VALUE;
    private int delayCount;
    private long meanPathDelay;
    private int logMinDelayReqInterval;

    private long lastOffset;
    private int lockRun;
    // spike filter: exponentially weighted mean |offset| of the samples the servo took
    private double absDev;
    private int spikeRun;
    private long spikes;

    // master
    private int announceSeq;
    private int syncSeqOut;
    private long nextAnnounce;
    private long nextSync;

    // counters for the status
    private long received;
    private long rejected;
    private long samples;

    public PtpPort(Settings settings, VirtualClock clock, Io io, Listener listener, long now) {
        this.settings = settings;
        this.clock = clock;
        this.io = io;
        this.listener = listener;
        this.random = new SplittableRandom(settings.clockIdentity() ^ now);
        this.logMinDelayReqInterval = settings.logMinDelayReqInterval();
        initLocal();
        enterListening(now);
        decide(now);
    }

    private void initLocal() {
        local.local(settings.clockIdentity(), PORT_NUMBER, settings.priority1(), CLOCK_CLASS, CLOCK_ACCURACY, VARIANCE,
                settings.priority2());
    }

    // ------------------------------------------------------------------ receive

    /** A datagram that did not parse (counted for the status). */
    public synchronized void onRejected() {
        rejected++;
    }

    /** A parsed message and the local time it was received. */
    public synchronized void onMessage(PtpMessage m, long rxLocal) {
        received++;
        if (m.domainNumber != settings.domain() || m.sourceClockIdentity == settings.clockIdentity()) {
            return; // other domain, or our own multicast looped back
        }
        switch (m.messageType) {
            case PtpMessage.ANNOUNCE:
                onAnnounce(m, rxLocal);
                break;
            case PtpMessage.SYNC:
                if (fromParent(m)) {
                    onSync(m, rxLocal);
                }
                break;
            case PtpMessage.FOLLOW_UP:
                if (fromParent(m)) {
                    onFollowUp(m);
                }
                break;
            case PtpMessage.DELAY_RESP:
                if (fromParent(m)) {
                    onDelayResp(m);
                }
                break;
            case PtpMessage.DELAY_REQ:
                if (portState == PortState.MASTER) {
                    answerDelayReq(m, rxLocal);
                }
                break;
            default:
                break;
        }
    }

    private boolean fromParent(PtpMessage m) {
        return hasParent && m.sourceClockIdentity == parent.senderClockIdentity
                && m.sourcePortNumber == parent.senderPortNumber;
    }

    private void onAnnounce(PtpMessage m, long now) {
        ForeignMasters.Entry e = foreign.onAnnounce(m, now, settings.clockIdentity(), PORT_NUMBER);
        if (e != null && fromParent(m)) {
            parent.copyFrom(e.dataset);
            parentLastAnnounce = now;
        }
        decide(now);
    }

    private void onSync(PtpMessage m, long rxLocal) {
        if (m.flag(PtpMessage.FLAG_TWO_STEP)) {
            syncPending = true;
            syncSeq = m.sequenceId;
            syncRxLocal = rxLocal;
            syncCorrection = m.correctionNanos();
            if (followUpPending && followUpSeq == syncSeq) {
                followUpPending = syncPending = false;
                completePair(followUpT1 + syncCorrection, rxLocal);
            }
        } else {
            long t = m.timestampNanos();
            if (t != Long.MIN_VALUE) {
                completePair(t + m.correctionNanos(), rxLocal);
            }
        }
    }

    private void onFollowUp(PtpMessage m) {
        long t = m.timestampNanos();
        if (t == Long.MIN_VALUE) {
            return;
        }
        long t1 = t + m.correctionNanos();
        if (syncPending && syncSeq == m.sequenceId) {
            syncPending = false;
            completePair(t1 + syncCorrection, syncRxLocal);
        } else {
            followUpPending = true;
            followUpSeq = m.sequenceId;
            followUpT1 = t1;
        }
    }

    /** A Sync with its precise origin time: one offset sample once the path delay is known. */
    private void completePair(long t1, long t2Local) {
        boolean first = !pairValid;
        pairValid = true;
        pairT1 = t1;
        pairT2Local = t2Local;
        if (first && !delayReqPending) {
            nextDelayReq = t2Local; // measure the delay at once instead of waiting an interval
        }
        if (delayCount == 0) {
            return;
        }
        long offset = clock.ptpTime(t2Local) - t1 - meanPathDelay;
        lastOffset = offset;
        samples++;
        double limit = SPIKE_FACTOR * absDev + SPIKE_FLOOR_NS;
        if (servo.tracking()) {
            // scale of the noise from every sample, each clipped to the limit: outliers cannot
            // inflate it, but a noisier path raises it within a few dozen samples
            absDev += (Math.min(Math.abs(offset), limit) - absDev) / 16;
        }
        if (servo.tracking() && Math.abs(offset) > limit && spikeRun < MAX_SPIKES) {
            // A lone outlier (a late timestamp somewhere) would move the clock by kp of itself:
            // keep it out of the servo, but still report it. A run of them is a real change.
            spikeRun++;
            spikes++;
            stats.add(offset);
            if (sampleListener != null) {
                sampleListener.sample(t2Local, offset, meanPathDelay, PiServo.NONE);
            }
            return;
        }
        spikeRun = 0;
        int r = servo.sample(offset, t2Local, clock);
        if (r == PiServo.TRACKING) {
            stats.add(offset);
        }
        if (sampleListener != null) {
            sampleListener.sample(t2Local, offset, meanPathDelay, r);
        }
        updateLock(r, offset);
    }

    /**
     * Lock needs {@code lockSamples} samples in a row within {@code lockThresholdNs}; once locked, only a step
     * loses it (as linuxptp's servo: locked until it jumps). An offset the servo slews (below
     * {@link PiServo#STEP_AFTER_LOCK_NS}) keeps the lock: losing it pauses every source (and a sink that anchors
     * meanwhile plays free-running), a glitch far larger than a slewed clock a few 100 us off for a second.
     */
    private void updateLock(int servoResult, long offset) {
        boolean good = servoResult == PiServo.TRACKING && Math.abs(offset) <= settings.lockThresholdNs();
        if (lockState == PtpState.LOCKED) {
            lockRun = 0;
            if (servoResult == PiServo.STEPPED) {
                setPortState(PortState.UNCALIBRATED);
            }
        } else if (good) {
            if (++lockRun >= settings.lockSamples()) {
                lockRun = 0;
                setPortState(PortState.SLAVE);
            }
        } else {
            lockRun = 0;
        }
    }

    private void onDelayResp(PtpMessage m) {
        if (!delayReqPending || m.sequenceId != delayReqSeq || m.requestingClockIdentity != settings.clockIdentity()
                || m.requestingPortNumber != PORT_NUMBER) {
            return;
        }
        delayReqPending = false;
        logMinDelayReqInterval = m.logMessageInterval;
        long t4 = m.timestampNanos();
        if (t4 == Long.MIN_VALUE || !pairValid) {
            return;
        }
        t4 -= m.correctionNanos();
        // (t2 - t1) + (t4 - t3) with t2 and t3 read through the same mapping, so a step or a rate change
        // of our clock between the two events does not enter the delay.
        long t2 = clock.ptpTime(pairT2Local);
        long t3 = clock.ptpTime(delayReqTxLocal);
        long sample = ((t2 - pairT1) + (t4 - t3)) / 2;
        delayRing[delayCount % DELAY_FILTER] = sample;
        delayCount++;
        meanPathDelay = median();
    }

    /** Median of the last (up to) 7 delay samples: robust against the odd late wake-up. */
    private long median() {
        int n = Math.min(delayCount, DELAY_FILTER);
        System.arraycopy(delayRing, 0, delaySorted, 0, n);
        // insertion sort: 7 elements, no allocation
        for (int i = 1; i < n; i++) {
            long v = delaySorted[i];
            int j = i - 1;
            while (j >= 0 && delaySorted[j] > v) {
                delaySorted[j + 1] = delaySorted[j];
                j--;
            }
            delaySorted[j + 1] = v;
        }
        return (n & 1) == 1 ? delaySorted[n / 2] : (delaySorted[n / 2 - 1] + delaySorted[n / 2]) / 2;
    }

    private void answerDelayReq(PtpMessage m, long rxLocal) {
        long t4 = clock.ptpTime(rxLocal);
        int len = PtpWriter.delayResp(tx, 0, settings.domain(), settings.clockIdentity(), PORT_NUMBER, m.sequenceId,
                settings.logMinDelayReqInterval(), m.correction, t4, m.sourceClockIdentity, m.sourcePortNumber);
        io.sendGeneral(tx, len);
    }

    // ------------------------------------------------------------------ timer

    /**
     * Runs timeouts, the BMCA and periodic transmissions due at {@code now}.
     *
     * @return the local time at which it wants to be called next
     */
    public synchronized long tick(long now) {
        decide(now);
        long next = now + HOUSEKEEPING_NS;
        if (portState == PortState.MASTER) {
            if (now - nextAnnounce >= 0) {
                sendAnnounce(now);
                nextAnnounce = advance(nextAnnounce, ForeignMasters.intervalNanos(settings.logAnnounceInterval()), now);
            }
            if (now - nextSync >= 0) {
                sendSync(now);
                nextSync = advance(nextSync, ForeignMasters.intervalNanos(settings.logSyncInterval()), now);
            }
            next = Math.min(next, Math.min(nextAnnounce, nextSync));
        } else if (hasParent && pairValid) {
            if (now - nextDelayReq >= 0) {
                sendDelayReq();
                // 9.5.11.2: random spacing, mean = 2^logMinDelayReqInterval
                double spread = 0.5 + random.nextDouble();
                nextDelayReq = now + (long) (spread * ForeignMasters.intervalNanos(logMinDelayReqInterval));
            }
            next = Math.min(next, nextDelayReq);
        }
        return next;
    }

    /** Next period boundary after now; skips missed ones instead of bursting. */
    private static long advance(long deadline, long period, long now) {
        long d = deadline + period;
        return now - d >= 0 ? now + period : d;
    }

    private void sendAnnounce(long now) {
        int flags = (ptpTimescale ? PtpMessage.FLAG_PTP_TIMESCALE | PtpMessage.FLAG_UTC_OFFSET_VALID : 0);
        int len = PtpWriter.announce(tx, 0, settings.domain(), settings.clockIdentity(), PORT_NUMBER, announceSeq++ & 0xFFFF,
                settings.logAnnounceInterval(), flags, clock.ptpTime(now), utcOffset, settings.priority1(), CLOCK_CLASS,
                CLOCK_ACCURACY, VARIANCE, settings.priority2(), 0, TIME_SOURCE);
        io.sendGeneral(tx, len);
    }

    private void sendSync(long now) {
        int seq = syncSeqOut++ & 0xFFFF;
        int len = PtpWriter.sync(tx, 0, settings.domain(), settings.clockIdentity(), PORT_NUMBER, seq,
                settings.logSyncInterval(), clock.ptpTime(now));
        long txLocal = io.sendEvent(tx, len);
        len = PtpWriter.followUp(tx, 0, settings.domain(), settings.clockIdentity(), PORT_NUMBER, seq,
                settings.logSyncInterval(), clock.ptpTime(txLocal));
        io.sendGeneral(tx, len);
    }

    private void sendDelayReq() {
        delayReqSeq = (delayReqSeq + 1) & 0xFFFF;
        int len = PtpWriter.delayReq(tx, 0, settings.domain(), settings.clockIdentity(), PORT_NUMBER, delayReqSeq, 0);
        delayReqPending = true;
        delayReqTxLocal = io.sendEvent(tx, len);
    }

    // ------------------------------------------------------------------ state decision

    /** 9.3.3 for one port of an ordinary clock, shaped by the mode. */
    private void decide(long now) {
        long cap = settings.announceTimeoutCapNs();
        int count = settings.announceReceiptTimeout();
        if (hasParent && now - parentLastAnnounce > Math.min(cap,
                count * ForeignMasters.intervalNanos(parent.logAnnounceInterval))) {
            hasParent = false; // announce receipt timeout
            enterListening(now);
        }
        ForeignMasters.Entry best = foreign.best(now, count, cap);
        Mode mode = settings.mode();
        if (mode == Mode.MASTER) {
            enterMaster(now);
        } else if (best != null && (mode == Mode.SLAVE || Bmca.compare(best.dataset, local) < 0)) {
            selectParent(best, now);
        } else if (mode == Mode.AUTO && (best != null || now - listeningSince
                > Math.min(cap, count * ForeignMasters.intervalNanos(settings.logAnnounceInterval())))) {
            enterMaster(now); // we are better than anything heard, or nothing was heard for a timeout
        } else if (hasParent || portState == PortState.MASTER) {
            hasParent = false;
            enterListening(now);
        }
    }

    private void selectParent(ForeignMasters.Entry best, long now) {
        Dataset d = best.dataset;
        if (hasParent && d.senderClockIdentity == parent.senderClockIdentity
                && d.senderPortNumber == parent.senderPortNumber) {
            return;
        }
        parent.copyFrom(d);
        parentLastAnnounce = best.lastAnnounce();
        hasParent = true;
        ptpTimescale = (d.flags & PtpMessage.FLAG_PTP_TIMESCALE) != 0;
        utcOffset = d.currentUtcOffset;
        resetSlave();
        setPortState(PortState.UNCALIBRATED);
    }

    private void resetSlave() {
        servo.reset();
        stats.reset();
        syncPending = followUpPending = pairValid = delayReqPending = false;
        delayCount = 0;
        meanPathDelay = 0;
        lockRun = 0;
        absDev = 0;
        spikeRun = 0;
        nextDelayReq = Long.MAX_VALUE;
        logMinDelayReqInterval = settings.logMinDelayReqInterval();
    }

    private void enterListening(long now) {
        listeningSince = now;
        resetSlave();
        setPortState(PortState.LISTENING);
    }

    private void enterMaster(long now) {
        if (portState == PortState.MASTER) {
            return;
        }
        hasParent = false;
        resetSlave();
        // Announce half a Sync interval away from any Sync: sent back to back, the Sync's receive
        // timestamp on a veth peer came ~1 us off (seen as an alternating +-500 ns in ptp4l's offsets)
        nextAnnounce = now + ForeignMasters.intervalNanos(settings.logSyncInterval()) / 2;
        nextSync = now;
        setPortState(PortState.MASTER);
    }

    private void setPortState(PortState s) {
        portState = s;
        PtpState l = s == PortState.MASTER || s == PortState.SLAVE ? PtpState.LOCKED
                : s == PortState.UNCALIBRATED ? PtpState.LOCKING : PtpState.UNLOCKED;
        if (l != lockState) {
            lockState = l;
            if (listener != null) {
                listener.stateChanged(l);
            }
        }
    }

    // ------------------------------------------------------------------ control

    /** Changes the domain live: forgets all masters and starts listening again. */
    public synchronized void setDomain(int domain, long now) {
        if (domain == settings.domain()) {
            return;
        }
        settings = settings.withDomain(domain);
        foreign.clear();
        hasParent = false;
        enterListening(now);
        decide(now);
    }

    public synchronized void setSampleListener(SampleListener l) {
        sampleListener = l;
    }

    public synchronized void disable() {
        hasParent = false;
        resetSlave();
        setPortState(PortState.DISABLED);
    }

    public PtpState state() {
        return lockState;
    }

    public synchronized PortState portState() {
        return portState;
    }

    public synchronized Settings settings() {
        return settings;
    }

    /** The status the REST API reports (allocates; control path). */
    public synchronized PtpStatus status() {
        long gm = portState == PortState.MASTER ? settings.clockIdentity() : hasParent ? parent.grandmasterIdentity : 0;
        String gmid = gm == 0 ? PtpStatus.NO_GRANDMASTER : Timestamps.identityText(gm);
        return new PtpStatus(lockState, gmid, stats.jitterNs(), lastOffset, meanPathDelay);
    }

    /** Extra status fields, snake_case like the REST API (allocates; control path). */
    public synchronized Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("port_state", portState.name().toLowerCase(java.util.Locale.ROOT));
        d.put("mode", settings.mode().name().toLowerCase(java.util.Locale.ROOT));
        d.put("domain", settings.domain());
        d.put("clock_id", Timestamps.identityText(settings.clockIdentity()));
        d.put("offset_ns", lastOffset);
        d.put("offset_rms_ns", stats.rmsNs());
        d.put("offset_max_ns", stats.maxAbsNs());
        d.put("jitter_ns", stats.jitterNs());
        d.put("path_delay_ns", meanPathDelay);
        d.put("rate_ppb", Math.round(clock.rate() * 1e9 * 1000) / 1000.0);
        d.put("samples", samples);
        d.put("spikes_ignored", spikes);
        d.put("messages_received", received);
        d.put("messages_rejected", rejected);
        d.put("ptp_timescale", ptpTimescale);
        d.put("utc_offset", utcOffset);
        Dataset g = portState == PortState.MASTER ? local : hasParent ? parent : null;
        if (g != null) {
            d.put("gm_id", Timestamps.identityText(g.grandmasterIdentity));
            d.put("gm_priority1", g.priority1);
            d.put("gm_clock_class", g.clockClass);
            d.put("gm_clock_accuracy", g.clockAccuracy);
            d.put("gm_offset_scaled_log_variance", g.offsetScaledLogVariance);
            d.put("gm_priority2", g.priority2);
            d.put("gm_steps_removed", g.stepsRemoved);
            d.put("parent_port_id", Timestamps.identityText(g.senderClockIdentity) + "/" + g.senderPortNumber);
        }
        return d;
    }

    /** For tests and the benchmark: the last offset and the path delay. */
    public synchronized long lastOffset() {
        return lastOffset;
    }

    public synchronized long meanPathDelay() {
        return meanPathDelay;
    }

    public OffsetStats stats() {
        return stats;
    }
}
