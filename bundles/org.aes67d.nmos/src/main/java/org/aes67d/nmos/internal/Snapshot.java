package org.aes67d.nmos.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import org.aes67d.nmos.internal.Resources.Resource;
import org.aes67d.nmos.internal.Resources.Type;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An immutable set of versioned resources. {@link #next} keeps the version of every resource whose content did not
 * change and gives changed or new ones a fresh TAI version, strictly later than any version handed out before.
 */
final class Snapshot {
    static final Snapshot EMPTY = new Snapshot(List.of(), Map.of(), 0);

    private final List<Resource> ordered; // with versions, registration order
    private final Map<String, ObjectNode> unversioned; // id -> body as built, to detect changes
    private final long lastVersion; // TAI ns of the newest version handed out
    private final Map<Type, Map<String, ObjectNode>> index;

    private Snapshot(List<Resource> ordered, Map<String, ObjectNode> unversioned, long lastVersion) {
        this.ordered = List.copyOf(ordered);
        this.unversioned = Map.copyOf(unversioned);
        this.lastVersion = lastVersion;
        this.index = Collections.unmodifiableMap(Resources.index(this.ordered));
    }

    /** The next snapshot for freshly built resources; {@code taiNanos} reads the TAI clock. */
    Snapshot next(List<Resource> built, LongSupplier taiNanos) {
        Map<String, Resource> previous = new HashMap<>();
        ordered.forEach(r -> previous.put(r.id(), r));
        long version = 0;
        List<Resource> out = new ArrayList<>(built.size());
        Map<String, ObjectNode> raw = new HashMap<>();
        for (Resource r : built) {
            raw.put(r.id(), r.body());
            Resource old = previous.get(r.id());
            ObjectNode body = r.body().deepCopy();
            if (old != null && r.body().equals(unversioned.get(r.id()))) {
                body.put("version", old.body().get("version").asText());
            } else {
                if (version == 0) {
                    version = Math.max(taiNanos.getAsLong(), lastVersion + 1);
                }
                body.put("version", version(version));
            }
            if (body.path("caps").has("constraint_sets")) {
                // BCP-004-01: caps.version says when the caps last changed (not the subscription)
                ObjectNode before = unversioned.get(r.id());
                boolean same = old != null && before != null && r.body().get("caps").equals(before.get("caps"));
                ((ObjectNode) body.get("caps")).put("version", same
                        ? old.body().get("caps").get("version").asText() : body.get("version").asText());
            }
            out.add(new Resource(r.type(), r.id(), body));
        }
        return new Snapshot(out, raw, Math.max(version, lastVersion));
    }

    static String version(long taiNanos) {
        return Math.floorDiv(taiNanos, 1_000_000_000L) + ":" + Math.floorMod(taiNanos, 1_000_000_000L);
    }

    List<Resource> ordered() {
        return ordered;
    }

    Map<String, ObjectNode> of(Type type) {
        return index.get(type);
    }

    ObjectNode get(Type type, String id) {
        Map<String, ObjectNode> m = index.get(type);
        return m == null ? null : m.get(id);
    }
}
