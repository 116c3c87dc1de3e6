package org.aes67d.session.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.aes67d.api.discovery.RemoteSource;
import org.aes67d.api.discovery.SourceAnnouncer;
import org.aes67d.api.discovery.SourceBrowser;
import org.aes67d.api.driver.Driver;
import org.aes67d.api.driver.DriverException;
import org.aes67d.api.driver.StreamDescription;
import org.aes67d.api.driver.StreamRejectedException;
import org.aes67d.api.ptp.PtpClock;
import org.aes67d.api.ptp.PtpStatus;
import org.aes67d.api.session.SessionException;
import org.aes67d.api.session.SessionManager;
import org.aes67d.api.session.Sink;
import org.aes67d.api.session.SinkStatus;
import org.aes67d.api.session.Source;
import org.aes67d.sdp.LocalSourceSdp;
import org.aes67d.util.log.RateLimitedLog;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sources and sinks: validates, persists every change atomically before acknowledging it, hands streams to the
 * driver and tells announcers. Reads are lock-free snapshots; changes are serialised by one lock, and nothing slow
 * (fetching a sink's SDP over the network) happens while it is held.
 */
@Component(service = SessionManager.class, configurationPid = "org.aes67d.session",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SessionConfig.class)
public final class SessionManagerImpl implements SessionManager {
    private static final Logger LOG = LoggerFactory.getLogger(SessionManagerImpl.class);

    /** A source with the version its SDP carries (o= session-version), bumped on every change. */
    record LocalSource(Source source, long version) {
    }

    /** A sink with the stream its SDP describes; {@code format} is null when it has no SDP yet. */
    record LocalSink(Sink sink, StreamFormat format) {
    }

    private final Object lock = new Object();
    private final SdpFetcher fetcher = new SdpFetcher(Duration.ofSeconds(3));
    private final List<SourceAnnouncer> announcers = new CopyOnWriteArrayList<>();
    private final List<SourceBrowser> browsers = new CopyOnWriteArrayList<>();
    /**
     * Announcers are called here, in order, so a slow one never holds up a REST call; the auto sink update runs
     * here too.
     */
    private final ScheduledExecutorService announcing = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aes67d-announce");
        t.setDaemon(true);
        return t;
    });
    /** The auto sink update's parsed SDPs: a text is parsed again only when it changed. */
    private final ParsedSdpCache parsed = new ParsedSdpCache();
    private final RateLimitedLog untrustedSdp = new RateLimitedLog(LOG, Duration.ofMinutes(1));
    private volatile SessionConfig config;
    private volatile SortedMap<Integer, LocalSource> sources = Collections.emptySortedMap();
    private volatile SortedMap<Integer, LocalSink> sinks = Collections.emptySortedMap();
    private volatile Driver driver;
    /** The ST 2022-7 secondary interface's address, null with one interface (see {@link Redundancy}). */
    private volatile String secondaryIp;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PtpClock ptpClock;

    /** How often browsed sources are compared with the sinks made from them. */
    static final long AUTO_UPDATE_SECONDS = 2;

    @Activate
    void activate(SessionConfig config) {
        this.config = config;
        this.secondaryIp = Redundancy.secondaryIp(config);
        load();
        announcing.scheduleWithFixedDelay(() -> safely(this::updateSinksFromBrowsers), AUTO_UPDATE_SECONDS,
                AUTO_UPDATE_SECONDS, TimeUnit.SECONDS);
    }

    @Modified
    void modified(SessionConfig newConfig) {
        SessionConfig old = config;
        String oldSecondary = secondaryIp;
        secondaryIp = Redundancy.secondaryIp(newConfig);
        config = newConfig;
        boolean legsChanged = !java.util.Objects.equals(oldSecondary, secondaryIp)
                || (secondaryIp != null && (!old.rtp_mcast_base_sec().equals(newConfig.rtp_mcast_base_sec())
                        || old.rtp_port_sec() != newConfig.rtp_port_sec()));
        boolean streamsChanged = !old.rtp_mcast_base().equals(newConfig.rtp_mcast_base())
                || old.rtp_port() != newConfig.rtp_port() || old.sample_rate() != newConfig.sample_rate()
                || legsChanged;
        boolean sdpChanged = streamsChanged || !old.node_id().equals(newConfig.node_id())
                || !old.ip_addr().equals(newConfig.ip_addr()) || old.ptp_domain() != newConfig.ptp_domain();
        if (!sdpChanged) {
            return;
        }
        synchronized (lock) {
            Driver d = driver;
            for (LocalSource ls : sources.values()) {
                if (streamsChanged && d != null && ls.source().enabled()) {
                    startOrLog(d, ls.source());
                }
                announce(ls, ls);
            }
            if (legsChanged && d != null) {
                sinks.values().forEach(lk -> startSinkOrLog(d, lk)); // one leg or two now
            }
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        // Streams stay with the driver: restarting this bundle must not interrupt audio.
        announcing.shutdown();
        announcing.awaitTermination(2, TimeUnit.SECONDS);
    }

    // ---- whiteboard and optional services

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDriver(Driver d) {
        synchronized (lock) {
            driver = d;
            sources.values().stream().filter(ls -> ls.source().enabled()).forEach(ls -> startOrLog(d, ls.source()));
            sinks.values().forEach(lk -> startSinkOrLog(d, lk));
        }
    }

    private void startSinkOrLog(Driver d, LocalSink lk) {
        if (lk.format() != null) {
            try {
                d.startSink(describe(lk));
            } catch (DriverException e) {
                LOG.error("driver cannot start sink {}: {}", lk.sink().id(), e.getMessage());
            }
        }
    }

    void unbindDriver(Driver d) {
        synchronized (lock) {
            if (driver == d) {
                driver = null;
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindAnnouncer(SourceAnnouncer a) {
        synchronized (lock) {
            announcers.add(a);
            for (LocalSource ls : sources.values()) {
                if (ls.source().enabled()) {
                    String sdp = sdpOf(ls);
                    announcing.execute(() -> safely(() -> a.sourceUpdated(ls.source(), sdp)));
                }
            }
        }
    }

    void unbindAnnouncer(SourceAnnouncer a) {
        announcers.remove(a);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindBrowser(SourceBrowser b) {
        browsers.add(b);
    }

    void unbindBrowser(SourceBrowser b) {
        browsers.remove(b);
    }

    /**
     * Auto sink update ({@code auto_sinks_update}): a sink whose SDP has the same origin ({@code o=} user, session id,
     * address) as a browsed source, but other text, is re-created with the browsed SDP, if {@link TrustedSdp} trusts
     * it (complete, well-formed, announced by its origin's own host, not claiming to be this daemon); a sink made
     * from one of our own sources follows that source directly. Other sinks are untouched.
     * A new SDP the sink cannot take (e.g. a delay now below the packet size) is logged and the sink kept as it was.
     */
    void updateSinksFromBrowsers() {
        if (!config.auto_sinks_update() || sinks.isEmpty()) {
            return;
        }
        synchronized (parsed) { // the announcing thread's pass, or a test's
            try {
                followBrowsedSdps();
            } finally {
                parsed.endPass();
            }
        }
    }

    /** How many SDP texts the auto sink update has parsed (texts that did not change are parsed once). */
    long autoUpdateParses() {
        synchronized (parsed) {
            return parsed.parses();
        }
    }

    private void followBrowsedSdps() {
        SortedMap<Integer, LocalSink> sinksNow = sinks;
        Set<String> followed = new HashSet<>();
        sinksNow.values().forEach(lk -> followed.add(sinkSdp(lk).origin()));
        // our own sources' sessions are ours to describe: a sink made from one follows the source itself
        Map<String, ParsedSdpCache.Parsed> own = new HashMap<>();
        for (LocalSource ls : sources.values()) {
            ParsedSdpCache.Parsed p = parsed.get("source " + ls.source().id(), sdpOf(ls));
            if (p.origin() != null && followed.contains(p.origin())) {
                own.put(p.origin(), p);
            }
        }
        Map<String, ParsedSdpCache.Parsed> browsed = new HashMap<>();
        String ownAddress = config.ip_addr();
        for (SourceBrowser b : browsers) {
            for (RemoteSource r : b.remoteSources()) {
                ParsedSdpCache.Parsed p = parsed.get("browsed " + r.protocol() + " " + r.id(), r.sdp());
                String origin = p.origin();
                if (origin == null || !followed.contains(origin)) {
                    continue; // nothing of ours follows it
                }
                String refusal = p.refusal(r.address(), ownAddress);
                ParsedSdpCache.Parsed ours = own.get(origin);
                boolean ourEcho = ours != null && ours.normalised().equals(p.normalised());
                if (refusal == null) {
                    browsed.put(origin, p);
                } else if (!ourEcho) { // hearing our own announcements back is normal, anything else is not
                    untrustedSdp.warn("auto sink update: ignored {} {} for {}: {}", r.protocol(), r.id(), origin,
                            refusal);
                }
            }
        }
        browsed.putAll(own);
        for (LocalSink lk : sinksNow.values()) {
            ParsedSdpCache.Parsed current = sinkSdp(lk);
            ParsedSdpCache.Parsed fresh = current.sdp().isBlank() ? null : browsed.get(current.origin());
            if (fresh == null || fresh.normalised().equals(current.normalised())) {
                continue;
            }
            Sink s = lk.sink();
            try {
                StreamFormat format = SdpSupport.sinkFormat(fresh.sdp());
                Validation.sinkFitsStream(s, format);
                commitSink(new Sink(s.id(), s.name(), s.io(), s.useSdp(), s.source(), fresh.sdp(), s.delay(),
                        s.ignoreRefclkGmid(), s.map()), format);
                LOG.info("sink {} follows the new SDP of its source ({})", s.id(), fresh.origin());
            } catch (SessionException e) {
                LOG.warn("sink {}: the new SDP of its source is not taken: {}", s.id(), e.getMessage());
            }
        }
    }

    private ParsedSdpCache.Parsed sinkSdp(LocalSink lk) {
        return parsed.get("sink " + lk.sink().id(), lk.sink().sdp());
    }

    // ---- sources

    @Override
    public void putSource(Source source) throws SessionException {
        putSource(source, START_NOW);
    }

    /** "No start time": the stream starts at the next packet boundary. */
    private static final long START_NOW = Long.MIN_VALUE;

    @Override
    public void putSource(Source source, long startPtpNanos) throws SessionException {
        Validation.source(source);
        IoSpec.resolve(source.io(), mediaDir(), true, rateInUse(source));
        synchronized (lock) {
            for (LocalSource other : sources.values()) {
                if (other.source().id() != source.id() && other.source().name().equals(source.name())) {
                    throw Validation.invalid("stream name in use");
                }
            }
            LocalSource previous = sources.get(source.id());
            LocalSource next = new LocalSource(source, previous == null ? initialVersion() : previous.version() + 1);
            Driver d = driver;
            try {
                if (d != null && source.enabled() && startPtpNanos != START_NOW) {
                    d.startSource(describe(source), startPtpNanos);
                } else if (d != null && source.enabled()) {
                    d.startSource(describe(source));
                } else if (d != null && previous != null) {
                    d.stopSource(source.id());
                }
            } catch (DriverException e) {
                throw driverFailure(e);
            }
            TreeMap<Integer, LocalSource> updated = new TreeMap<>(sources);
            updated.put(source.id(), next);
            try {
                save(updated, sinks);
            } catch (IOException e) {
                restoreSource(d, source.id(), previous);
                throw new SessionException("cannot save the status file: " + e.getMessage(), false);
            }
            sources = Collections.unmodifiableSortedMap(updated);
            announce(previous, next);
        }
    }

    @Override
    public void removeSource(int id) throws SessionException {
        Validation.id(id);
        synchronized (lock) {
            LocalSource previous = sources.get(id);
            if (previous == null) {
                throw Validation.invalid("stream not in use");
            }
            TreeMap<Integer, LocalSource> updated = new TreeMap<>(sources);
            updated.remove(id);
            try {
                save(updated, sinks);
            } catch (IOException e) {
                throw new SessionException("cannot save the status file: " + e.getMessage(), false);
            }
            Driver d = driver;
            if (d != null) {
                d.stopSource(id);
            }
            sources = Collections.unmodifiableSortedMap(updated);
            announce(previous, null);
        }
    }

    @Override
    public List<Source> sources() {
        return sources.values().stream().map(ls -> withAddressInUse(ls.source())).toList();
    }

    @Override
    public String sourceSdp(int id) throws SessionException {
        Validation.id(id);
        LocalSource ls = sources.get(id);
        if (ls == null) {
            throw Validation.invalid("stream not in use");
        }
        return sdpOf(ls);
    }

    // ---- sinks

    @Override
    public void putSink(Sink sink) throws SessionException {
        Validation.sink(sink);
        IoSpec.resolve(sink.io(), mediaDir(), false, 48000);
        String sdp = sink.sdp();
        StreamFormat format = null;
        boolean useSdp = sink.useSdp();
        if (sink.useSdp()) {
            format = SdpSupport.sinkFormat(sdp);
        } else if (!sink.source().isEmpty()) {
            URI uri = Validation.url(sink.source());
            try {
                sdp = fetcher.fetch(uri); // outside the lock: the URL may be this daemon's own REST API
            } catch (IOException e) {
                throw Validation.invalid("cannot retrieve SDP: " + e.getMessage());
            }
            format = SdpSupport.sinkFormat(sdp);
            useSdp = true; // as the C++ daemon: from now on the sink plays the fetched SDP it reports
        }
        if (format != null) {
            Validation.sinkFitsStream(sink, format);
        }
        commitSink(new Sink(sink.id(), sink.name(), sink.io(), useSdp, sink.source(), sdp, sink.delay(),
                sink.ignoreRefclkGmid(), sink.map()), format);
    }

    /** Hands a checked sink to the driver, saves, and publishes it; all or nothing. */
    private void commitSink(Sink sink, StreamFormat format) throws SessionException {
        LocalSink next = new LocalSink(sink, format);
        synchronized (lock) {
            for (LocalSink other : sinks.values()) {
                if (other.sink().id() != sink.id() && other.sink().name().equals(sink.name())) {
                    throw Validation.invalid("stream name in use");
                }
            }
            LocalSink previous = sinks.get(sink.id());
            Driver d = driver;
            try {
                if (d != null && format != null) {
                    d.startSink(describe(next));
                } else if (d != null && previous != null) {
                    d.stopSink(sink.id());
                }
            } catch (DriverException e) {
                throw driverFailure(e);
            }
            TreeMap<Integer, LocalSink> updated = new TreeMap<>(sinks);
            updated.put(sink.id(), next);
            try {
                save(sources, updated);
            } catch (IOException e) {
                restoreSink(d, sink.id(), previous);
                throw new SessionException("cannot save the status file: " + e.getMessage(), false);
            }
            sinks = Collections.unmodifiableSortedMap(updated);
        }
    }

    @Override
    public void removeSink(int id) throws SessionException {
        Validation.id(id);
        synchronized (lock) {
            if (!sinks.containsKey(id)) {
                throw Validation.invalid("stream not in use");
            }
            TreeMap<Integer, LocalSink> updated = new TreeMap<>(sinks);
            updated.remove(id);
            try {
                save(sources, updated);
            } catch (IOException e) {
                throw new SessionException("cannot save the status file: " + e.getMessage(), false);
            }
            Driver d = driver;
            if (d != null) {
                d.stopSink(id);
            }
            sinks = Collections.unmodifiableSortedMap(updated);
        }
    }

    @Override
    public List<Sink> sinks() {
        return sinks.values().stream().map(LocalSink::sink).toList();
    }

    @Override
    public SinkStatus sinkStatus(int id) throws SessionException {
        Driver d = driverOfSink(id);
        return d == null ? SinkStatus.IDLE : d.sinkStatus(id);
    }

    @Override
    public SinkStatus peekSinkStatus(int id) throws SessionException {
        Driver d = driverOfSink(id);
        return d == null ? SinkStatus.IDLE : d.peekSinkStatus(id);
    }

    /** The driver that plays sink {@code id} (null while none runs); refuses an id not in use. */
    private Driver driverOfSink(int id) throws SessionException {
        Validation.id(id);
        if (!sinks.containsKey(id)) {
            throw Validation.invalid("stream not in use");
        }
        return driver;
    }

    // ---- helpers

    /** The address a source sends to: its own, or rtp_mcast_base + id. */
    String addressInUse(Source s) {
        if (!s.address().isEmpty()) {
            return s.address();
        }
        long base = Ipv4.parse(config.rtp_mcast_base());
        return Ipv4.format((base + s.id()) & 0xFFFFFFFFL);
    }

    /** The sample rate a source runs at: its own, or the daemon's default. */
    int rateInUse(Source s) {
        return s.sampleRate() != 0 ? s.sampleRate() : config.sample_rate();
    }

    private Path mediaDir() {
        return Path.of(config.media_dir());
    }

    /**
     * A stream the driver refuses for what was asked is the caller's error (400); anything else is ours (500). A
     * driver that names the error's category (the kernel module's codes) is reported in its words, as the C++ daemon.
     */
    private static SessionException driverFailure(DriverException e) {
        boolean rejected = e instanceof StreamRejectedException;
        if (e.category() != null) {
            return new SessionException(e.getMessage(), rejected, e.category());
        }
        return new SessionException(rejected ? e.getMessage() : "driver: " + e.getMessage(), rejected);
    }

    private Source withAddressInUse(Source s) {
        return new Source(s.id(), s.enabled(), s.name(), s.io(), s.maxSamplesPerPacket(), s.codec(), addressInUse(s),
                s.ttl(), s.payloadType(), s.dscp(), s.refclkPtpTraceable(), s.map(), rateInUse(s));
    }

    private String sdpOf(LocalSource ls) {
        PtpClock clock = ptpClock;
        String gmid = clock == null ? PtpStatus.NO_GRANDMASTER : clock.status().grandmasterId();
        SessionConfig c = config;
        String secIp = secondaryIp;
        LocalSourceSdp.Secondary sec = secIp == null ? null : new LocalSourceSdp.Secondary(secIp,
                Redundancy.secondaryAddress(c, ls.source().address(), ls.source().id()), c.rtp_port_sec());
        return SdpSupport.localSourceSdp(c, ls.source(), addressInUse(ls.source()), rateInUse(ls.source()),
                ls.version(), gmid, sec);
    }

    private StreamDescription describe(Source s) {
        SessionConfig c = config;
        StreamDescription.Leg secondary = secondaryIp == null ? null
                : new StreamDescription.Leg(Redundancy.secondaryAddress(c, s.address(), s.id()), c.rtp_port_sec());
        return new StreamDescription(s.id(), addressInUse(s), c.rtp_port(), s.codec(), rateInUse(s),
                s.map().size(), s.maxSamplesPerPacket(), s.payloadType(), s.ttl(), s.dscp(), 0, resolvedIo(s.io(), true,
                        rateInUse(s)), s.map(), secondary);
    }

    /** The io as the driver opens it (absolute media paths); checked when the stream was accepted. */
    private String resolvedIo(String io, boolean source, int rate) {
        try {
            return IoSpec.resolve(io, mediaDir(), source, rate);
        } catch (SessionException e) {
            return io; // the file went away since: the driver reports it
        }
    }

    private StreamDescription describe(LocalSink lk) {
        StreamFormat f = lk.format();
        Sink s = lk.sink();
        StreamDescription.Leg secondary = null;
        if (f.redundant() && secondaryIp != null) {
            secondary = new StreamDescription.Leg(f.secondaryAddress(), f.secondaryPort());
        } else if (f.redundant()) {
            LOG.info("sink {}: ST 2022-7 SDP on a daemon with one interface: receiving the first leg only ({}:{})",
                    s.id(), f.address(), f.port());
        }
        return new StreamDescription(s.id(), f.address(), f.port(), f.codec(), f.sampleRate(), f.channels(),
                f.packetSamples(), f.payloadType(), 0, 0, s.delay(), resolvedIo(s.io(), false, f.sampleRate()), s.map(),
                secondary, f.rtpTimestampOffset());
    }

    /** o= session-version of a new source: seconds since the epoch, so it also grows across restarts. */
    private static long initialVersion() {
        return System.currentTimeMillis() / 1000;
    }

    /** Called with the lock held, so announcements keep the order of the changes. */
    private void announce(LocalSource previous, LocalSource next) {
        boolean wasOn = previous != null && previous.source().enabled();
        boolean isOn = next != null && next.source().enabled();
        if (isOn) {
            String sdp = sdpOf(next);
            for (SourceAnnouncer a : announcers) {
                announcing.execute(() -> safely(() -> a.sourceUpdated(next.source(), sdp)));
            }
        } else if (wasOn) {
            String sdp = sdpOf(previous);
            for (SourceAnnouncer a : announcers) {
                announcing.execute(() -> safely(() -> a.sourceRemoved(previous.source(), sdp)));
            }
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.error("announcer failed", e);
        }
    }

    private void startOrLog(Driver d, Source s) {
        try {
            d.startSource(describe(s));
        } catch (DriverException e) {
            LOG.error("driver cannot start source {}: {}", s.id(), e.getMessage());
        }
    }

    private void restoreSource(Driver d, int id, LocalSource previous) {
        if (d == null) {
            return;
        }
        if (previous != null && previous.source().enabled()) {
            startOrLog(d, previous.source());
        } else {
            d.stopSource(id);
        }
    }

    private void restoreSink(Driver d, int id, LocalSink previous) {
        if (d == null) {
            return;
        }
        try {
            if (previous != null && previous.format() != null) {
                d.startSink(describe(previous));
            } else {
                d.stopSink(id);
            }
        } catch (DriverException e) {
            LOG.error("driver cannot restore sink {}: {}", id, e.getMessage());
        }
    }

    private Path statusPath() {
        String f = config.status_file();
        return f.isEmpty() ? null : Path.of(f).toAbsolutePath();
    }

    private void save(SortedMap<Integer, LocalSource> src, SortedMap<Integer, LocalSink> snk) throws IOException {
        Path file = statusPath();
        if (file != null) {
            StatusFile.save(file, src.values().stream().map(LocalSource::source).toList(),
                    snk.values().stream().map(LocalSink::sink).toList());
        }
    }

    /** Loads the status file: keeps every valid entry, logs each rejected one, and keeps a copy of a bad file. */
    private void load() {
        Path file = statusPath();
        if (file == null) {
            return;
        }
        StatusFile.Loaded loaded = StatusFile.load(file);
        List<String> rejected = new ArrayList<>(loaded.rejected());
        TreeMap<Integer, LocalSource> src = new TreeMap<>();
        long version = initialVersion();
        for (Source s : loaded.sources()) {
            try {
                Validation.source(s);
                if (src.containsKey(s.id())) {
                    throw Validation.invalid("duplicate id");
                }
                if (src.values().stream().anyMatch(o -> o.source().name().equals(s.name()))) {
                    throw Validation.invalid("stream name in use");
                }
                src.put(s.id(), new LocalSource(s, version));
            } catch (SessionException e) {
                rejected.add("source " + s.id() + ": " + e.getMessage());
            }
        }
        TreeMap<Integer, LocalSink> snk = new TreeMap<>();
        for (Sink s : loaded.sinks()) {
            try {
                Validation.sink(s);
                if (snk.containsKey(s.id())) {
                    throw Validation.invalid("duplicate id");
                }
                if (snk.values().stream().anyMatch(o -> o.sink().name().equals(s.name()))) {
                    throw Validation.invalid("stream name in use");
                }
                // The SDP saved with the sink is used as is: fetching at start could ask this very daemon.
                StreamFormat format = s.sdp().isBlank() ? null : SdpSupport.sinkFormat(s.sdp());
                if (format != null) {
                    Validation.sinkFitsStream(s, format);
                }
                snk.put(s.id(), new LocalSink(s, format));
            } catch (SessionException e) {
                rejected.add("sink " + s.id() + ": " + e.getMessage());
            }
        }
        if (!rejected.isEmpty()) {
            rejected.forEach(r -> LOG.error("status file {}: rejected {}", file, r));
            try {
                LOG.error("status file {}: the file as it was is kept in {}", file, StatusFile.keepCopy(file));
            } catch (IOException e) {
                LOG.error("status file {}: cannot keep a copy: {}", file, e.getMessage());
            }
        }
        synchronized (lock) {
            sources = Collections.unmodifiableSortedMap(src);
            sinks = Collections.unmodifiableSortedMap(snk);
        }
        LOG.info("status file {}: {} sources, {} sinks", file, src.size(), snk.size());
    }
}
