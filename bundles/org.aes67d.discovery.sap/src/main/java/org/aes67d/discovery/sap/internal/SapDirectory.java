package org.aes67d.discovery.sap.internal;

import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.aes67d.api.discovery.RemoteSource;

/**
 * The table of sessions heard by SAP: pure logic, the caller passes a monotonic clock in milliseconds. Thread-safe.
 *
 * <ul>
 * <li>An entry's id is {@code sap:<origin>-<hash>} in decimal as the C++ daemon computes it ({@link #idOf}; IPv6
 * origins in their text form), so the same session version is the same id. When
 * two sessions of one origin collide on the 16-bit hash, the second one's id gets {@code -<o= session id>}.</li>
 * <li>A new version of a session (same o= username, session id and address, another hash) replaces the old entry.</li>
 * <li>A deletion removes the entry with its id at once, or else the entry whose SDP has exactly the deletion's o=
 * line (a peer that hashes its deletions differently).</li>
 * <li>The announce period is the time between the last two announcements, once at least 1 s apart (a copy heard
 * twice, e.g. on two groups, is not a period); an entry expires after 10 periods of silence, or 10 x 300 s (RFC 2974's
 * smallest automatic interval) while no period is known.</li>
 * <li>At most {@code capacity} entries: a new session then evicts the one heard least recently, and
 * {@link #evicted()} counts it; a payload over {@code maxSdpBytes} is dropped and counted by {@link #oversized()}.</li>
 * </ul>
 */
final class SapDirectory {
    static final int DEFAULT_CAPACITY = 1024;
    static final int DEFAULT_MAX_SDP_BYTES = 4096;
    static final long MIN_PERIOD_MILLIS = 1000;
    static final long UNKNOWN_PERIOD_MILLIS = SapInterval.MIN_INTERVAL_SECONDS * 1000;
    static final int MISSED_PERIODS = 10;

    /** What a packet did to the table. */
    enum Change { ADDED, REFRESHED, REPLACED, REMOVED, IGNORED, DROPPED }

    private record Entry(String id, String name, String address, String sdp, String sessionKey, String versionKey,
            long lastSeen, long periodMillis) {
    }

    private final int capacity;
    private final int maxSdpBytes;
    /** Insertion order = order of last announcement, so the first entry is the one heard least recently. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
    private long evicted;
    private long oversized;

    SapDirectory() {
        this(DEFAULT_CAPACITY, DEFAULT_MAX_SDP_BYTES);
    }

    SapDirectory(int capacity, int maxSdpBytes) {
        this.capacity = capacity;
        this.maxSdpBytes = maxSdpBytes;
    }

    /**
     * The C++ daemon's id: it copies the header's origin and hash fields into integers as they lie in memory, so on
     * the little-endian machines it runs on (x86, ARM) both read byte-reversed: 127.0.0.1 is 16777343, and the hash
     * of a packet it (or we) sent is the SDP's CRC again. The same packet gets the same id from both daemons.
     */
    static String idOf(SapPacket p) {
        String origin;
        if (p.origin() instanceof Inet4Address) {
            byte[] a = p.origin().getAddress();
            origin = Long.toString((a[0] & 0xFFL) | (a[1] & 0xFFL) << 8 | (a[2] & 0xFFL) << 16 | (a[3] & 0xFFL) << 24);
        } else {
            origin = p.origin().getHostAddress();
        }
        int hash = (p.hash() & 0xFF) << 8 | p.hash() >>> 8;
        return "sap:" + origin + "-" + hash;
    }

    synchronized Change accept(SapPacket p, long now) {
        if (!SapPacket.SDP.equals(p.payloadType())) {
            return Change.IGNORED;
        }
        String id = idOf(p);
        if (p.deletion()) {
            return delete(id, p.payloadText()) ? Change.REMOVED : Change.IGNORED;
        }
        byte[] payload = p.payload();
        if (payload.length > maxSdpBytes) {
            oversized++;
            return Change.DROPPED;
        }
        String sdp = new String(payload, StandardCharsets.UTF_8);
        String sessionKey = SdpLines.sessionKey(sdp);
        Entry same = find(id, sessionKey);
        if (same != null) {
            entries.remove(same.id); // re-inserted last: the most recently heard
            entries.put(same.id, new Entry(same.id, SdpLines.name(sdp), same.address, sdp, sessionKey,
                    SdpLines.versionKey(sdp), now, period(same, now)));
            return Change.REFRESHED;
        }
        Entry previousVersion = null;
        if (sessionKey != null) {
            for (Iterator<Entry> it = entries.values().iterator(); it.hasNext();) {
                Entry e = it.next();
                if (sessionKey.equals(e.sessionKey)) {
                    previousVersion = e;
                    it.remove();
                    break;
                }
            }
        }
        if (previousVersion == null && entries.size() >= capacity) {
            Iterator<Entry> eldest = entries.values().iterator();
            eldest.next();
            eldest.remove();
            evicted++;
        }
        // Two sessions of one origin whose 16-bit hashes collide (a few percent for 64 sources) both stay listed:
        // the second gets the o= session id appended to its id.
        String key = entries.containsKey(id) ? id + "-" + sessionIdOf(sdp) : id;
        entries.put(key, new Entry(key, SdpLines.name(sdp), p.origin().getHostAddress(), sdp, sessionKey,
                SdpLines.versionKey(sdp), now, previousVersion == null ? 0 : period(previousVersion, now)));
        return previousVersion != null ? Change.REPLACED : Change.ADDED;
    }

    private static long period(Entry e, long now) {
        long since = now - e.lastSeen;
        return since >= MIN_PERIOD_MILLIS ? since : e.periodMillis;
    }

    /** The entry of this announcement: its id and the same session (or the collision entry for that session). */
    private Entry find(String id, String sessionKey) {
        Entry e = entries.get(id);
        if (e != null && java.util.Objects.equals(e.sessionKey, sessionKey)) {
            return e;
        }
        if (e != null && sessionKey != null) {
            Entry c = entries.get(id + "-" + sessionKey.split(" ")[1]);
            if (c != null && sessionKey.equals(c.sessionKey)) {
                return c;
            }
        }
        return null;
    }

    private static String sessionIdOf(String sdp) {
        String key = SdpLines.sessionKey(sdp);
        return key == null ? "x" : key.split(" ")[1];
    }

    private boolean delete(String id, String payload) {
        String sessionKey = SdpLines.sessionKey(payload);
        Entry e = entries.get(id);
        if (e != null && (sessionKey == null || e.sessionKey == null || sessionKey.equals(e.sessionKey))) {
            entries.remove(e.id);
            return true;
        }
        if (sessionKey != null) {
            Entry c = entries.get(id + "-" + sessionKey.split(" ")[1]);
            if (c != null && sessionKey.equals(c.sessionKey)) {
                entries.remove(c.id);
                return true;
            }
        }
        String versionKey = SdpLines.versionKey(payload);
        if (versionKey == null) {
            return false;
        }
        return entries.values().removeIf(x -> versionKey.equals(x.versionKey));
    }

    /** Removes entries silent for 10 periods; answers how many. */
    synchronized int expire(long now) {
        int before = entries.size();
        entries.values().removeIf(e -> now - e.lastSeen > MISSED_PERIODS * periodOrDefault(e));
        return before - entries.size();
    }

    private static long periodOrDefault(Entry e) {
        return e.periodMillis > 0 ? e.periodMillis : UNKNOWN_PERIOD_MILLIS;
    }

    /** The earliest time at which an entry can expire, or Long.MAX_VALUE when empty. */
    synchronized long nextExpiry() {
        long next = Long.MAX_VALUE;
        for (Entry e : entries.values()) {
            next = Math.min(next, e.lastSeen + MISSED_PERIODS * periodOrDefault(e) + 1);
        }
        return next;
    }

    /** Live entries, ordered by name then id; {@code last_seen} and {@code announce_period} in whole seconds. */
    synchronized List<RemoteSource> snapshot(long now) {
        List<RemoteSource> out = new ArrayList<>(entries.size());
        for (Entry e : entries.values()) {
            if (now - e.lastSeen > MISSED_PERIODS * periodOrDefault(e)) {
                continue; // expired but not yet swept
            }
            out.add(new RemoteSource("SAP", e.id, e.name, "", e.address, e.sdp, Math.max(0, now - e.lastSeen) / 1000,
                    Math.round(e.periodMillis / 1000.0)));
        }
        out.sort(Comparator.comparing(RemoteSource::name).thenComparing(RemoteSource::id));
        return out;
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized void clear() {
        entries.clear();
    }

    synchronized long evicted() {
        return evicted;
    }

    synchronized long oversized() {
        return oversized;
    }

    /** For tests: the raw map is never handed out. */
    synchronized Map<String, Long> lastSeenById() {
        Map<String, Long> m = new LinkedHashMap<>();
        entries.values().forEach(e -> m.put(e.id, e.lastSeen));
        return m;
    }
}
