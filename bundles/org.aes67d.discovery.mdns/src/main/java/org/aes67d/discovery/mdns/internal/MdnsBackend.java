package org.aes67d.discovery.mdns.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The DNS-SD operations the component needs; jmDNS in production, a fake in unit tests. */
interface MdnsBackend extends AutoCloseable {
    /**
     * A service to publish.
     *
     * @param type fully qualified, e.g. {@code _rtsp._tcp.local.}
     * @param name instance name (at most 63 UTF-8 bytes)
     * @param subtype e.g. {@code _ravenna_session}, "" for none
     */
    record ServiceSpec(String type, String name, String subtype, int port, Map<String, String> txt) {
        public ServiceSpec {
            txt = Map.copyOf(txt);
        }
    }

    /** A resolved (or, for removals, only named) service of another or this node. */
    record Found(String type, String name, String domain, List<String> addresses, int port, Map<String, String> txt) {
        public Found {
            addresses = List.copyOf(addresses);
            txt = Map.copyOf(txt);
        }
    }

    /** What browsing {@code _rtsp._tcp} reports; called on jmDNS's threads, so it must return quickly. */
    interface BrowseListener {
        /**
         * A name appeared (a PTR record); nothing else is known about it yet. jmDNS reports a name once, with the
         * subtype of the PTR that came first ({@code ravenna_session}, {@code ravenna}, or "" for the plain one).
         */
        void added(String name, String subtype);

        /** SRV, TXT and address of a name are known (again). */
        void resolved(Found found);

        /** The name said goodbye or expired. */
        void removed(String name, String domain);
    }

    /** Publishes; may take a while (probing), callers do not hold locks. */
    void register(ServiceSpec spec) throws IOException;

    /** Withdraws with goodbye packets; blocks until jmDNS finished them (about 1-2 s). */
    void unregister(ServiceSpec spec);

    /** Browses {@code _rtsp._tcp} (and queries the RAVENNA session subtype, so its PTRs come with the subtype). */
    void browse(BrowseListener listener);

    /** Asks the network for SRV/TXT/A of a browsed name; the answer comes as {@link BrowseListener#resolved}. */
    void resolve(String name);

    /**
     * True once the responder has announced its host name; services registered before that probe at jmDNS's slow
     * start-up pace (1 s steps).
     */
    boolean announced();

    /** False once the responder died (socket closed, tasks rejected): the component then opens a new one. */
    boolean alive();

    /** Packets the responder could not parse, since it opened. */
    long malformed();

    /** Removes expired records (goodbyes) now and reports their removal; called every second. */
    void expire();

    /**
     * Drops cached records when more than {@code maxNames} names are cached, keeping those {@code keep} accepts, and
     * restarts browsing when it has seen more than {@code maxNames} names, so what jmDNS keeps stays bounded.
     *
     * @return how many cached names were dropped
     */
    int bound(int maxNames, java.util.function.Predicate<String> keep);

    /** Unregisters everything (goodbye packets) and stops. */
    @Override
    void close();

    /** Opens a backend bound to one address. */
    @FunctionalInterface
    interface Factory {
        MdnsBackend open(java.net.InetAddress address, String hostName) throws IOException;
    }
}
