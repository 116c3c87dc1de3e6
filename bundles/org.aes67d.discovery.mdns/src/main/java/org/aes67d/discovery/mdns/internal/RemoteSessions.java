package org.aes67d.discovery.mdns.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.aes67d.api.discovery.RemoteSource;
import org.aes67d.discovery.mdns.internal.MdnsBackend.Found;
import org.aes67d.rtsp.RtspClient;
import org.aes67d.util.Crc16;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser's table: RAVENNA sessions found on {@code _rtsp._tcp} (node records, subtype {@code _ravenna}, are
 * not described; cameras are described but not listed), each followed on an
 * RTSP connection kept open for ANNOUNCE (as the C++ daemon's browser does), so a change shows up at once.
 *
 * <p>Bounded: at most {@link #MAX_SESSIONS} sessions (a new one evicts the one heard least recently), at most
 * {@link #MAX_PENDING} names waiting to be resolved (the oldest make room), at most {@link #MAX_WATCHED} kept connections (sessions beyond
 * are described again every {@link #REFRESH_MILLIS}); every overflow is counted.
 */
final class RemoteSessions implements MdnsBackend.BrowseListener {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteSessions.class);
    static final int MAX_SESSIONS = 512;
    static final int MAX_PENDING = 512;
    static final int MAX_WATCHED = 256;
    static final long REFRESH_MILLIS = 30_000;
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** A name not resolved within this long is forgotten (its slot in the pending table freed). */
    static final long PENDING_MILLIS = 10_000;
    /** Connection attempts before a session that was never described is given up (its slot freed). */
    static final int FIRST_ATTEMPTS = 3;
    private static final long RECONNECT_MILLIS = 2_000;

    private record Described(String sdp, String id, long at) {
    }

    /** A listed (or being described) session. */
    private final class Remote implements SessionFollower.Session {
        final String key;
        volatile Found found;
        /** The last SDP, its id (computed once per change, so listing stays cheap) and when it came; null before. */
        volatile Described described;
        volatile boolean gone;
        /** Followed on a kept connection (else described every REFRESH_MILLIS). */
        boolean watched; // guarded by RemoteSessions.this

        Remote(String key, Found found) {
            this.key = key;
            this.found = found;
        }

        void stop() {
            gone = true;
            SessionFollower f = follower;
            if (f != null) {
                f.unfollow(this);
            }
        }

        @Override
        public String describeUrl() {
            return MdnsRecords.describeUrl(found);
        }

        @Override
        public boolean wanted() {
            return !gone && !closed;
        }

        @Override
        public void described(String sdp) {
            update(this, sdp);
        }

        @Override
        public void givenUp() {
            dropUnlisted(this);
        }

        @Override
        public boolean everDescribed() {
            return described != null;
        }
    }

    private final MdnsBackend backend;
    private final ScheduledExecutorService describing;
    private final Predicate<Found> own;
    private final LinkedHashMap<String, Remote> remotes = new LinkedHashMap<>(16, 0.75f, true); // guarded by this
    private record Pending(String subtype, long since) {
    }

    /** Names waiting for SRV/TXT/A, with the subtype they were announced with, oldest first. */
    private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>(); // guarded by this
    private int watched; // guarded by this
    /** The kept connections' thread, started with the first one. */
    private volatile SessionFollower follower;
    private volatile boolean closed;
    final AtomicLong evicted = new AtomicLong();
    final AtomicLong pendingOverflow = new AtomicLong();

    /**
     * @param own true for a service this node published, skipped (the C++ daemon lists its own only on lo)
     */
    RemoteSessions(MdnsBackend backend, ScheduledExecutorService describing, Predicate<Found> own) {
        this.backend = backend;
        this.describing = describing;
        this.own = own;
        schedule(this::refreshUnwatched, REFRESH_MILLIS);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Keeps cached records of listed and pending names when jmDNS's cache is trimmed. */
    synchronized boolean keep(String lowerCaseName) {
        return remotes.containsKey(lowerCaseName) || pending.containsKey(lowerCaseName);
    }

    @Override
    public void added(String name, String subtype) {
        String k = key(name);
        synchronized (this) {
            if (closed || remotes.containsKey(k) || pending.containsKey(k)) {
                return;
            }
            long now = System.nanoTime();
            for (Iterator<Pending> it = pending.values().iterator(); it.hasNext();) {
                if (now - it.next().since() < TimeUnit.MILLISECONDS.toNanos(PENDING_MILLIS)) {
                    break;
                }
                it.remove(); // never resolved: jmDNS's resolver has given up on it long ago
            }
            if (pending.size() >= MAX_PENDING) {
                // the oldest goes, not the newcomer: jmDNS reports a name only once, so a name refused here would
                // never be seen again, and under a flood the newest are the likeliest to be real
                Iterator<String> oldest = pending.keySet().iterator();
                oldest.next();
                oldest.remove();
                pendingOverflow.incrementAndGet();
            }
            pending.put(k, new Pending(subtype.startsWith("_") ? subtype.substring(1) : subtype, now));
        }
        backend.resolve(name);
    }

    @Override
    public void resolved(Found f) {
        schedule(() -> classify(f), 0);
    }

    @Override
    public void removed(String name, String domain) {
        Remote r;
        synchronized (this) {
            pending.remove(key(name));
            r = remotes.remove(key(name));
            if (r != null && r.watched) {
                watched--;
            }
        }
        if (r != null) {
            r.stop();
        }
    }

    /**
     * Decides on a resolved name: {@code _ravenna_session} (or no subtype: devices that publish none, or whose plain
     * PTR came first) is described; {@code _ravenna} is a node record and is not, so nodes see no DESCRIBE of theirs.
     */
    private void classify(Found f) {
        String k = key(f.name());
        synchronized (this) {
            Pending p = pending.get(k);
            if (p == null) {
                Remote known = remotes.get(k);
                if (known != null) {
                    known.found = f; // moved: the next (re)connection uses the new address
                }
                return;
            }
            if (p.subtype().equalsIgnoreCase(MdnsRecords.NODE_SUBTYPE.substring(1))) {
                pending.remove(k);
                return;
            }
        }
        if (own.test(f)) {
            synchronized (this) {
                pending.remove(k);
            }
            return;
        }
        Remote fresh;
        Remote evict = null;
        SessionFollower followWith;
        synchronized (this) {
            if (closed) {
                return;
            }
            pending.remove(k);
            if (remotes.size() >= MAX_SESSIONS) {
                Iterator<Remote> it = remotes.values().iterator();
                evict = it.next();
                it.remove();
                if (evict.watched) {
                    watched--;
                }
                evicted.incrementAndGet();
            }
            fresh = new Remote(k, f);
            remotes.put(k, fresh);
            followWith = watched < MAX_WATCHED ? follower() : null;
            if (followWith != null) {
                watched++;
                fresh.watched = true;
            }
        }
        if (evict != null) {
            evict.stop();
        }
        if (followWith != null) {
            followWith.follow(fresh);
        } else {
            describeOnce(fresh);
        }
    }

    /** The follower, started on first use; null if it cannot be (sessions are then described periodically). */
    private SessionFollower follower() { // guarded by this
        if (follower == null && !closed) {
            try {
                follower = new SessionFollower(TIMEOUT.toMillis(), RECONNECT_MILLIS, FIRST_ATTEMPTS);
            } catch (IOException e) {
                LOG.error("mDNS: cannot follow sessions on kept RTSP connections ({}); describing them every {} s",
                        e.getMessage(), REFRESH_MILLIS / 1000);
                return null;
            }
        }
        return follower;
    }

    private void describeOnce(Remote r) {
        String url = MdnsRecords.describeUrl(r.found);
        if (url == null || r.gone) {
            return;
        }
        try {
            String sdp = RtspClient.describe(URI.create(url), TIMEOUT);
            if (MdnsRecords.isAudioSession(sdp)) {
                update(r, sdp);
            } else {
                dropUnlisted(r);
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("DESCRIBE {} failed: {}", url, e.getMessage());
        }
    }

    private void refreshUnwatched() {
        if (closed) {
            return; // a replaced responder's table: stop the cycle
        }
        List<Remote> poll = new ArrayList<>();
        synchronized (this) {
            remotes.values().stream().filter(r -> !r.watched).forEach(poll::add);
        }
        poll.forEach(this::describeOnce);
        schedule(this::refreshUnwatched, REFRESH_MILLIS);
    }

    private synchronized void dropUnlisted(Remote r) {
        if (remotes.get(r.key) == r) {
            remotes.remove(r.key);
            if (r.watched) {
                watched--;
            }
        }
    }

    private static void update(Remote r, String sdp) {
        r.described = new Described(sdp, id(sdp), System.nanoTime());
    }

    private void schedule(Runnable task, long delayMillis) {
        try {
            describing.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    /** The C++ daemon's id of a session found by mDNS: {@code rtsp:} and the CRC-16 of its SDP in hex. */
    static String id(String sdp) {
        return "rtsp:" + Integer.toHexString(Crc16.ccittFalse(sdp.getBytes(StandardCharsets.UTF_8)));
    }

    List<RemoteSource> list() {
        long now = System.nanoTime();
        List<Remote> snapshot;
        synchronized (this) {
            snapshot = new ArrayList<>(remotes.values());
        }
        List<RemoteSource> out = new ArrayList<>();
        for (Remote r : snapshot) {
            Described d = r.described;
            Found f = r.found;
            if (d != null && !f.addresses().isEmpty()) {
                out.add(new RemoteSource("mDNS", d.id(), f.name(), f.domain(), f.addresses().get(0), d.sdp(),
                        TimeUnit.NANOSECONDS.toSeconds(now - d.at()), 0));
            }
        }
        out.sort(Comparator.comparing(RemoteSource::name).thenComparing(RemoteSource::id));
        return out;
    }

    synchronized int size() {
        return remotes.size();
    }

    synchronized int pendingCount() {
        return pending.size();
    }

    void close() {
        List<Remote> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(remotes.values());
            remotes.clear();
            pending.clear();
            watched = 0;
        }
        all.forEach(Remote::stop);
        SessionFollower f = follower;
        if (f != null) {
            f.close();
        }
    }

    /** For the stats line and tests. */
    synchronized Map<String, Long> counters() {
        return Map.of("evicted", evicted.get(), "pending_overflow", pendingOverflow.get(), "sessions",
                (long) remotes.size(), "pending", (long) pending.size(), "watched", (long) watched);
    }
}
