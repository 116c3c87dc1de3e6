package org.aes67d.discovery.mdns.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;

/** jmDNS bound to one interface address: its own responder, no Avahi or system daemon needed. */
final class JmdnsBackend implements MdnsBackend {
    private final JmDNS jmdns;
    private final Map<String, ServiceInfo> registered = new ConcurrentHashMap<>();
    private final List<Map.Entry<String, ServiceListener>> listeners = Collections.synchronizedList(new ArrayList<>());

    private JmdnsBackend(JmDNS jmdns) {
        this.jmdns = jmdns;
    }

    static MdnsBackend open(InetAddress address, String hostName) throws IOException {
        return new JmdnsBackend(JmDNS.create(address, hostName));
    }

    private static String key(ServiceSpec s) {
        return s.type() + "|" + s.name();
    }

    @Override
    public void register(ServiceSpec s) throws IOException {
        ServiceInfo info = ServiceInfo.create(s.type(), s.name(), s.subtype(), s.port(), 0, 0, new HashMap<>(s.txt()));
        jmdns.registerService(info);
        registered.put(key(s), info);
    }

    @Override
    public void unregister(ServiceSpec s) {
        ServiceInfo info = registered.remove(key(s));
        if (info != null) {
            jmdns.unregisterService(info);
        }
    }

    @Override
    public void browse(String type, Consumer<Found> resolved, Consumer<Found> removed) {
        ServiceListener l = new ServiceListener() {
            @Override
            public void serviceAdded(ServiceEvent e) {
                // ask for SRV/TXT/A without waiting: the answer comes back as serviceResolved
                jmdns.requestServiceInfo(e.getType(), e.getName(), false);
            }

            @Override
            public void serviceRemoved(ServiceEvent e) {
                removed.accept(new Found(e.getType(), e.getName(), domainOf(e.getInfo(), e.getType()), List.of(), 0,
                        Map.of()));
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
                resolved.accept(new Found(e.getType(), e.getName(), domainOf(i, e.getType()), addresses, i.getPort(),
                        txt));
            }
        };
        listeners.add(Map.entry(type, l));
        jmdns.addServiceListener(type, l);
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
        synchronized (listeners) {
            listeners.forEach(e -> jmdns.removeServiceListener(e.getKey(), e.getValue()));
            listeners.clear();
        }
        jmdns.unregisterAllServices();
        registered.clear();
        try {
            jmdns.close();
        } catch (IOException e) {
            // closing: the sockets are gone either way
        }
    }
}
