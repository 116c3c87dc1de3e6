package org.aes67d.discovery.mdns.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import javax.jmdns.impl.DNSCache;
import javax.jmdns.impl.DNSEntry;
import javax.jmdns.impl.DNSRecord;

/**
 * jmDNS bound to one interface address: its own responder, no Avahi or system daemon needed. jmDNS is embedded in
 * this bundle (bnd.bnd) because bounding what it keeps needs its cache, which its public API does not show (it caches
 * every record heard until its TTL ends, and each listener remembers every name it reported).
 */
final class JmdnsBackend implements MdnsBackend {
    static final String SESSION_PTR = MdnsRecords.SESSION_SUBTYPE + "._sub." + MdnsRecords.RTSP_TYPE;
    private final Responder jmdns;
    private final Map<String, ServiceInfo> registered = new ConcurrentHashMap<>();
    private final AtomicInteger namesSeen = new AtomicInteger();
    private volatile boolean failed;
    private BrowseListener browseListener; // guarded by this
    private ServiceListener rtspListener; // guarded by this
    /**
     * Never called (jmDNS hands subtype PTRs to the base type's listeners): it only makes jmDNS query the session
     * subtype, so answers carry it.
     */
    private final ServiceListener subtypeQuery = new ServiceListener() {
        @Override
        public void serviceAdded(ServiceEvent event) {
        }

        @Override
        public void serviceRemoved(ServiceEvent event) {
        }

        @Override
        public void serviceResolved(ServiceEvent event) {
        }
    };

    private JmdnsBackend(Responder jmdns) {
        this.jmdns = jmdns;
    }

    static MdnsBackend open(InetAddress address, String hostName) throws IOException {
        return new JmdnsBackend(new Responder(address, hostName));
    }

    private static String key(ServiceSpec s) {
        return s.type() + "|" + s.name();
    }

    @Override
    public void register(ServiceSpec s) throws IOException {
        ServiceInfo info = ServiceInfo.create(s.type(), s.name(), s.subtype(), s.port(), 0, 0, new HashMap<>(s.txt()));
        try {
            // jmDNS starts one prober per service and, after 10 within 5 s, probes at 1 s instead of 250 ms steps:
            // 64 sessions then take 6-7 s to appear. That throttle stands in for RFC 6762's rule against probe
            // storms after name conflicts (section 8.1), which our distinct names do not cause, so it is reset.
            jmdns.setThrottle(0);
            jmdns.registerService(info); // returns once probing is scheduled; it does not wait for it
        } catch (IllegalStateException | RejectedExecutionException e) {
            failed = true;
            throw new IOException("responder not running: " + e.getMessage(), e);
        }
        registered.put(key(s), info);
    }

    @Override
    public void unregister(ServiceSpec s) {
        ServiceInfo info = registered.remove(key(s));
        if (info != null) {
            try {
                jmdns.unregisterService(info); // the first goodbye goes at once; jmDNS waits for its cancel cycle
            } catch (IllegalStateException | RejectedExecutionException e) {
                failed = true;
            }
        }
    }

    @Override
    public synchronized void browse(BrowseListener listener) {
        browseListener = listener;
        jmdns.addServiceListener(SESSION_PTR, subtypeQuery);
        listen();
    }

    /** (Re)starts the {@code _rtsp._tcp} listener: a fresh one forgets the names the previous one reported. */
    private void listen() {
        BrowseListener target = browseListener;
        ServiceListener l = new ServiceListener() {
            @Override
            public void serviceAdded(ServiceEvent e) {
                namesSeen.incrementAndGet();
                ServiceInfo i = e.getInfo();
                target.added(e.getName(), i == null || i.getSubtype() == null ? "" : i.getSubtype());
            }

            @Override
            public void serviceRemoved(ServiceEvent e) {
                target.removed(e.getName(), domainOf(e.getInfo(), e.getType()));
            }

            @Override
            public void serviceResolved(ServiceEvent e) {
                ServiceInfo i = e.getInfo();
                List<String> addresses = new ArrayList<>();
                for (Inet4Address a : i.getInet4Addresses()) {
                    addresses.add(a.getHostAddress());
                }
                Map<String, String> txt = new HashMap<>();
                for (String k : Collections.list(i.getPropertyNames())) {
                    String v = i.getPropertyString(k);
                    if (v != null) {
                        txt.put(k, v);
                    }
                }
                target.resolved(new Found(e.getType(), e.getName(), domainOf(i, e.getType()), addresses, i.getPort(),
                        txt));
            }
        };
        rtspListener = l;
        namesSeen.set(0);
        jmdns.addServiceListener(MdnsRecords.RTSP_TYPE, l);
    }

    @Override
    public void resolve(String name) {
        try {
            // not the plain overload: it waits up to 6 s for the answer, on jmDNS's one event thread, so a name that
            // never resolves (a corrupted record) held up every later event; the answer comes as serviceResolved
            jmdns.requestServiceInfo(MdnsRecords.RTSP_TYPE, name, false, 1);
        } catch (IllegalStateException | RejectedExecutionException e) {
            failed = true;
        }
    }

    @Override
    public boolean announced() {
        return jmdns.isAnnounced();
    }

    @Override
    public boolean alive() {
        return !failed && !jmdns.failed() && !jmdns.isClosing() && !jmdns.isClosed() && !jmdns.isCanceling() && !jmdns.isCanceled();
    }

    @Override
    public long malformed() {
        return jmdns.malformed();
    }

    @Override
    public void expire() {
        // jmDNS keeps a goodbye'd record for 1 s (RFC 6762 10.1) and only reaps every 10 s, so removals took up to
        // 11 s to reach listeners; reaping on our 1 s watch makes them take 1-2 s
        jmdns.cleanCache();
    }

    @Override
    public int bound(int maxNames, Predicate<String> keep) {
        synchronized (this) {
            if (rtspListener != null && namesSeen.get() > maxNames) {
                jmdns.removeServiceListener(MdnsRecords.RTSP_TYPE, rtspListener);
                listen();
            }
        }
        DNSCache cache = jmdns.getCache();
        int entries = 0;
        for (List<DNSEntry> l : cache.values()) {
            entries += l.size();
        }
        if (entries <= maxNames) {
            return 0;
        }
        String suffix = "." + MdnsRecords.RTSP_TYPE.toLowerCase(Locale.ROOT);
        int dropped = 0;
        for (Iterator<Map.Entry<String, List<DNSEntry>>> it = cache.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, List<DNSEntry>> e = it.next();
            String name = e.getKey();
            if (name.startsWith("_")) { // a service type (or subtype): its PTRs name the instances
                List<DNSEntry> list = e.getValue();
                synchronized (list) {
                    int before = list.size();
                    list.removeIf(r -> !(r instanceof DNSRecord.Pointer p) || !keep.test(instance(p.getAlias(), suffix)));
                    dropped += before - list.size();
                }
            } else if (!keep.test(instance(name, suffix))) {
                dropped += e.getValue().size();
                it.remove();
            }
        }
        return dropped;
    }

    /** The instance name of {@code <instance>._rtsp._tcp.local.}, or "" for any other name. */
    private static String instance(String fullName, String suffix) {
        String lower = fullName.toLowerCase(Locale.ROOT);
        return lower.endsWith(suffix) ? lower.substring(0, lower.length() - suffix.length()) : "";
    }

    private static String domainOf(ServiceInfo info, String type) {
        if (info != null && info.getDomain() != null && !info.getDomain().isEmpty()) {
            return info.getDomain();
        }
        String t = type.endsWith(".") ? type.substring(0, type.length() - 1) : type;
        return t.substring(t.lastIndexOf('.') + 1);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (rtspListener != null) {
                jmdns.removeServiceListener(MdnsRecords.RTSP_TYPE, rtspListener);
                jmdns.removeServiceListener(SESSION_PTR, subtypeQuery);
                rtspListener = null;
            }
        }
        try {
            jmdns.unregisterAllServices();
        } catch (RuntimeException e) {
            // a dead responder: nothing to say goodbye with
        }
        registered.clear();
        try {
            jmdns.close();
        } catch (RuntimeException e) {
            // closing: the sockets are gone either way
        }
    }
}
