package org.aes67d.nmos.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NMOS discovery on multicast DNS (jmDNS, its own responder on the node's address): browses
 * {@code _nmos-register._tcp} (v1.3) and {@code _nmos-registration._tcp} (older names) and hands each usable
 * registry to the {@link RegistryFinder} with its {@code pri}; while the node is not registered anywhere it advertises
 * {@code _nmos-node._tcp} so that controllers can find it peer to peer.
 */
final class DnsSd implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DnsSd.class);
    static final String REGISTER = "_nmos-register._tcp.local.";
    static final String REGISTRATION = "_nmos-registration._tcp.local.";
    static final String NODE = "_nmos-node._tcp.local.";

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aes67d-nmos-dnssd");
        t.setDaemon(true);
        return t;
    });
    private JmDNS jmdns; // dnssd thread
    private ServiceInfo advertised; // dnssd thread

    /**
     * @param registered whether the node is registered now (the node is advertised while it is not)
     */
    DnsSd(InetAddress address, String name, int nodePort, RegistryFinder finder, Supplier<Boolean> registered) {
        thread.execute(() -> {
            try {
                jmdns = JmDNS.create(address, "aes67d-nmos-" + Integer.toHexString(name.hashCode()));
            } catch (IOException e) {
                LOG.error("NMOS: DNS-SD disabled, cannot start mDNS on {}: {}", address.getHostAddress(), e.getMessage());
                return;
            }
            ServiceListener l = listener(finder);
            jmdns.addServiceListener(REGISTER, l);
            jmdns.addServiceListener(REGISTRATION, l);
        });
        thread.scheduleWithFixedDelay(() -> advertise(name, nodePort, registered.get()), 2, 5, TimeUnit.SECONDS);
    }

    private ServiceListener listener(RegistryFinder finder) {
        return new ServiceListener() {
            @Override
            public void serviceAdded(ServiceEvent e) {
                jmdns.requestServiceInfo(e.getType(), e.getName(), false);
            }

            @Override
            public void serviceRemoved(ServiceEvent e) {
                finder.lost(e.getType() + e.getName());
            }

            @Override
            public void serviceResolved(ServiceEvent e) {
                ServiceInfo i = e.getInfo();
                Map<String, String> txt = new HashMap<>();
                for (String k : Collections.list(i.getPropertyNames())) {
                    String v = i.getPropertyString(k);
                    if (v != null) {
                        txt.put(k, v);
                    }
                }
                Inet4Address[] a = i.getInet4Addresses();
                String host = a.length > 0 ? a[0].getHostAddress() : null;
                RegistryFinder.Found f = registry(e.getType() + e.getName(), host, i.getPort(), txt);
                if (f != null) {
                    LOG.info("NMOS: registry found by DNS-SD: {} (pri {})", f.uri(), f.priority());
                    finder.found(f);
                }
            }
        };
    }

    /**
     * A registry from its SRV/TXT records, or null when we cannot use it: no address, an API version list without
     * v1.3, a protocol other than http, or authorization required (IS-10 is not implemented). A missing
     * {@code pri} ranks last, as does a {@code pri} outside 0..99 (100+ is for development registries).
     */
    static RegistryFinder.Found registry(String name, String host, int port, Map<String, String> txt) {
        if (host == null || port <= 0) {
            return null;
        }
        String versions = txt.getOrDefault("api_ver", "v1.0");
        if (Arrays.stream(versions.split(",")).map(String::strip).noneMatch(Resources.API_VERSION::equals)) {
            return null;
        }
        if (!txt.getOrDefault("api_proto", "http").equals("http") || txt.getOrDefault("api_auth", "false").equals("true")) {
            return null;
        }
        int pri;
        try {
            pri = Integer.parseInt(txt.getOrDefault("pri", "").strip());
        } catch (NumberFormatException e) {
            pri = Integer.MAX_VALUE;
        }
        return new RegistryFinder.Found(name, URI.create("http://" + Resources.hostForUrl(host) + ":" + port), pri);
    }

    private void advertise(String name, int port, boolean registered) {
        if (jmdns == null) {
            return;
        }
        try {
            if (!registered && advertised == null) {
                Map<String, String> txt = Map.of("api_ver", Resources.API_VERSION, "api_proto", "http", "api_auth",
                        "false");
                advertised = ServiceInfo.create(NODE, name, port, 0, 0, new HashMap<>(txt));
                jmdns.registerService(advertised);
                LOG.info("NMOS: no registry; advertising the node peer to peer ({})", NODE);
            } else if (registered && advertised != null) {
                jmdns.unregisterService(advertised);
                advertised = null;
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("NMOS: cannot advertise {}: {}", NODE, e.toString());
        }
    }

    @Override
    public void close() {
        thread.execute(() -> {
            if (jmdns != null) {
                try {
                    jmdns.close();
                } catch (IOException e) {
                    LOG.debug("jmDNS close", e);
                }
            }
        });
        thread.shutdown();
        try {
            thread.awaitTermination(1500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
