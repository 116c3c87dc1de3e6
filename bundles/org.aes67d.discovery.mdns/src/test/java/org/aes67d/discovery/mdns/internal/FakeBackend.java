package org.aes67d.discovery.mdns.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Records what the component publishes and lets a test play the network's answers. */
final class FakeBackend implements MdnsBackend {
    final Map<String, ServiceSpec> published = new ConcurrentHashMap<>();
    final List<String> log = new CopyOnWriteArrayList<>();
    final Map<String, List<Consumer<Found>>> resolvedListeners = new ConcurrentHashMap<>();
    final Map<String, List<Consumer<Found>>> removedListeners = new ConcurrentHashMap<>();
    volatile boolean closed;

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
    public void browse(String type, Consumer<Found> resolved, Consumer<Found> removed) {
        resolvedListeners.computeIfAbsent(type, t -> new CopyOnWriteArrayList<>()).add(resolved);
        removedListeners.computeIfAbsent(type, t -> new CopyOnWriteArrayList<>()).add(removed);
    }

    void resolve(Found f) {
        new ArrayList<>(resolvedListeners.getOrDefault(MdnsRecords.BROWSE_TYPE, List.of())).forEach(l -> l.accept(f));
    }

    void remove(Found f) {
        new ArrayList<>(removedListeners.getOrDefault(MdnsRecords.BROWSE_TYPE, List.of())).forEach(l -> l.accept(f));
    }

    ServiceSpec find(String name) {
        return published.values().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    @Override
    public void close() {
        published.clear();
        closed = true;
    }
}
