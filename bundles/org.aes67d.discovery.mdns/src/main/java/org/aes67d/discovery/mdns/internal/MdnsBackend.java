package org.aes67d.discovery.mdns.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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

    void register(ServiceSpec spec) throws IOException;

    void unregister(ServiceSpec spec);

    /** Calls {@code resolved} whenever a service of {@code type} is (re)resolved, {@code removed} when it goes. */
    void browse(String type, Consumer<Found> resolved, Consumer<Found> removed);

    /** Unregisters everything (goodbye packets) and stops. */
    @Override
    void close();

    /** Opens a backend bound to one address. */
    @FunctionalInterface
    interface Factory {
        MdnsBackend open(java.net.InetAddress address, String hostName) throws IOException;
    }
}
