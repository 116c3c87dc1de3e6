package org.aes67d.discovery.mdns.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Records what the component publishes and lets a test play the network's answers. */
final class FakeBackend implements MdnsBackend {
    final Map<String, ServiceSpec> published = new ConcurrentHashMap<>();
    final List<String> log = new CopyOnWriteArrayList<>();
    final List<String> resolveRequests = new CopyOnWriteArrayList<>();
    volatile BrowseListener listener;
    volatile boolean closed;
    volatile boolean alive = true;

    @Override
    public void register(ServiceSpec spec) {
        published.put(spec.type() + "|" + spec.name(), spec);
        log.add("+" + spec.name());
    }

    @Override
    public void unregister(ServiceSpec spec) {
        published.remove(spec.type() + "|" + spec.name());
        log.add("-" + spec.name());
    }

    @Override
    public void browse(BrowseListener l) {
        listener = l;
    }

    @Override
    public void resolve(String name) {
        resolveRequests.add(name);
    }

    @Override
    public boolean announced() {
        return true;
    }

    @Override
    public boolean alive() {
        return alive && !closed;
    }

    @Override
    public long malformed() {
        return 0;
    }

    @Override
    public void expire() {
    }

    @Override
    public int bound(int maxNames, Predicate<String> keep) {
        return 0;
    }

    /** The network announces a service: its PTR (as jmDNS reports it, with the first PTR's subtype), then SRV/TXT/A. */
    void resolve(Found f, String subtype) {
        listener.added(f.name(), subtype);
        listener.resolved(f);
    }

    void remove(Found f) {
        listener.removed(f.name(), f.domain());
    }

    ServiceSpec find(String name) {
        return published.values().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    ServiceSpec find(String type, String name) {
        return published.get(type + "|" + name);
    }

    @Override
    public void close() {
        published.clear();
        closed = true;
    }
}
