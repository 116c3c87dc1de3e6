package org.aes67d.nmos.internal;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.aes67d.api.ptp.PtpClock;
import org.aes67d.api.ptp.PtpState;
import org.aes67d.api.session.SessionException;
import org.aes67d.api.session.SessionManager;
import org.aes67d.api.session.Sink;
import org.aes67d.api.session.Source;
import org.aes67d.nmos.internal.HttpEndpoint.Reply;
import org.aes67d.nmos.internal.HttpEndpoint.Request;
import org.aes67d.nmos.internal.Resources.Type;
import org.aes67d.sdp.Connection;
import org.aes67d.sdp.MediaDescription;
import org.aes67d.sdp.SdpParseException;
import org.aes67d.sdp.SdpParser;
import org.aes67d.sdp.SessionDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * IS-05 v1.1 Connection API for our senders (local sources) and receivers (local sinks): single and bulk, staged and
 * active, immediate and scheduled (absolute / relative, on PTP time) activation, constraints, the sender's transport
 * file. The active state is read from the session manager, so it always says what really runs; activating a receiver
 * with an SDP makes its sink play that stream, {@code master_enable: false} stops the sink (it stays, idle); a
 * sender's {@code master_enable} enables or disables the source. {@code transport_params} has one entry per leg (two
 * for an ST 2022-7 source whose SDP has two media blocks).
 */
final class ConnectionApi {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionApi.class);
    static final String VERSION = "v1.1";
    static final String PREFIX = "/x-nmos/connection/";
    static final String SDP_TYPE = "application/sdp";
    private static final Pattern UUID = Pattern.compile(
            "^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    private static final Pattern TAI = Pattern.compile("^[0-9]+:[0-9]+$");
    private static final Set<String> SENDER_PARAMS =
            Set.of("source_ip", "destination_ip", "source_port", "destination_port", "rtp_enabled");
    private static final Set<String> RECEIVER_PARAMS =
            Set.of("source_ip", "multicast_ip", "interface_ip", "destination_port", "rtp_enabled");

    /** A 4xx/5xx answer with the IS-05 error body. */
    static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;

        Refusal(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    /** What we keep per sender or receiver besides what the session manager says. */
    private static final class Endpoint {
        ObjectNode staged; // null until first read: then built from the active state
        ObjectNode lastActivation = inactiveActivation();
        String peerId; // receiver: the sender_id of the last activation; sender: receiver_id
        ScheduledFuture<?> pending;
        ObjectNode pendingParams; // identifies the pending activation (a cancelled one finds another here)
    }

    private final Resources resources;
    private final NmosNode.Host host;
    private final Supplier<Snapshot> snapshot;
    private final Runnable changed;
    private final ScheduledExecutorService scheduler;
    private final Function<String, String> remoteSdp;
    private final Map<String, Endpoint> endpoints = new HashMap<>(); // guarded by this

    /** @param remoteSdp the transport file of another node's sender by its id, or null when not known */
    ConnectionApi(Resources resources, NmosNode.Host host, Supplier<Snapshot> snapshot, Runnable changed,
            ScheduledExecutorService scheduler, Function<String, String> remoteSdp) {
        this.resources = resources;
        this.host = host;
        this.snapshot = snapshot;
        this.changed = changed;
        this.scheduler = scheduler;
        this.remoteSdp = remoteSdp;
    }

    /** Per sink id, the sender id its last activation named (for the IS-04 receiver's subscription). */
    synchronized Map<Integer, String> activeSenders() {
        Map<Integer, String> out = new HashMap<>();
        SessionManager sm = host.sessions();
        if (sm == null) {
            return out;
        }
        for (Sink k : sm.sinks()) {
            Endpoint e = endpoints.get(resources.receiverId(k.id()));
            if (e != null && e.peerId != null && k.useSdp()) {
                out.put(k.id(), e.peerId);
            }
        }
        return out;
    }

    static ObjectNode inactiveActivation() {
        ObjectNode a = Resources.JSON.createObjectNode();
        a.putNull("mode");
        a.putNull("requested_time");
        a.putNull("activation_time");
        return a;
    }

    // ------------------------------------------------------------------------------------------------ routing

    synchronized Reply handle(Request req, String rest) {
        return ApiCalls.answer("IS-05", VERSION, req, rest, (m, p) -> route(req, m, p));
    }

    private Reply route(Request req, String m, String[] p) throws Refusal {
        if (p.length == 1) {
            return ApiCalls.get(m, NodeApi.array("bulk/", "single/"));
        }
        if (p[1].equals("bulk")) {
            if (p.length == 2) {
                return ApiCalls.get(m, NodeApi.array("senders/", "receivers/"));
            }
            if (p.length == 3 && (p[2].equals("senders") || p[2].equals("receivers"))) {
                if (!m.equals("POST")) {
                    throw new Refusal(405, "bulk endpoints take POST");
                }
                return bulk(p[2].equals("senders") ? Type.SENDER : Type.RECEIVER, req);
            }
            throw new Refusal(404, "no such resource");
        }
        if (!p[1].equals("single")) {
            throw new Refusal(404, "no such resource");
        }
        if (p.length == 2) {
            return ApiCalls.get(m, NodeApi.array("senders/", "receivers/"));
        }
        Type type = p[2].equals("senders") ? Type.SENDER : p[2].equals("receivers") ? Type.RECEIVER : null;
        if (type == null) {
            throw new Refusal(404, "no such resource");
        }
        if (p.length == 3) {
            ArrayNode ids = Resources.JSON.createArrayNode();
            snapshot.get().of(type).keySet().forEach(id -> ids.add(id + "/"));
            return ApiCalls.get(m, ids);
        }
        String id = p[3];
        int stream = streamId(type, id);
        if (p.length == 4) {
            return ApiCalls.get(m, type == Type.SENDER
                    ? NodeApi.array("constraints/", "staged/", "active/", "transportfile/", "transporttype/")
                    : NodeApi.array("constraints/", "staged/", "active/", "transporttype/"));
        }
        if (p.length > 5) {
            throw new Refusal(404, "no such resource");
        }
        return switch (p[4]) {
            case "constraints" -> ApiCalls.get(m, constraints(type, stream));
            case "active" -> ApiCalls.get(m, active(type, stream, id));
            case "transporttype" ->
                ApiCalls.get(m, Resources.JSON.getNodeFactory().textNode("urn:x-nmos:transport:rtp"));
            case "staged" -> switch (m) {
                case "GET" -> Reply.json(200, staged(type, stream, id).deepCopy()); // serialised outside the lock
                case "PATCH" -> patch(type, stream, id, ApiCalls.parse(req));
                default -> throw new Refusal(405, "staged takes GET and PATCH");
            };
            case "transportfile" -> {
                if (type != Type.SENDER) {
                    throw new Refusal(404, "receivers have no transport file");
                }
                if (!m.equals("GET")) {
                    throw new Refusal(405, "transportfile takes GET");
                }
                yield Reply.text(200, SDP_TYPE, sourceSdp(stream));
            }
            default -> throw new Refusal(404, "no such resource");
        };
    }

    /** The local stream id of a sender/receiver id of this node, or 404. */
    private int streamId(Type type, String id) throws Refusal {
        SessionManager sm = ApiCalls.sessions(host);
        if (type == Type.SENDER) {
            for (Source s : sm.sources()) {
                if (resources.senderId(s.id()).equals(id)) {
                    return s.id();
                }
            }
        } else {
            for (Sink k : sm.sinks()) {
                if (resources.receiverId(k.id()).equals(id)) {
                    return k.id();
                }
            }
        }
        throw new Refusal(404, type.word + " " + id + " not found");
    }

    private Source source(int id) throws Refusal {
        return ApiCalls.sessions(host).sources().stream().filter(s -> s.id() == id).findFirst()
                .orElseThrow(() -> new Refusal(404, "source " + id + " not found"));
    }

    private Sink sink(int id) throws Refusal {
        return ApiCalls.sessions(host).sinks().stream().filter(s -> s.id() == id).findFirst()
                .orElseThrow(() -> new Refusal(404, "sink " + id + " not found"));
    }

    private String sourceSdp(int id) throws Refusal {
        try {
            return ApiCalls.sessions(host).sourceSdp(id);
        } catch (SessionException e) {
            throw new Refusal(404, "no transport file: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------------ state

    private String hostIp() {
        return snapshot.get().of(Type.NODE).values().iterator().next().get("api").get("endpoints").get(0)
                .get("host").asText();
    }

    /** The secondary interface's address for a receiver's second leg ("" where it has none). */
    private String secondaryIp() {
        Resources.Interface second = resources.identity().secondary();
        return second == null || second.host().isEmpty() ? hostIp() : second.host();
    }

    /**
     * Legs of a sender: those of its SDP. Of a receiver: two on a node with a second network (ST 2022-7), whatever
     * it receives now (a receiver's legs are its interfaces; a one-leg SDP leaves the second leg disabled).
     */
    private int legs(Type type, int stream) throws Refusal {
        if (type == Type.RECEIVER) {
            return resources.identity().secondary() != null ? 2 : 1;
        }
        try {
            return Math.max(1, Math.min(2, SdpParser.parse(sourceSdp(stream)).media().size()));
        } catch (SdpParseException e) {
            return 1;
        }
    }

    private ArrayNode constraints(Type type, int stream) throws Refusal {
        ArrayNode out = Resources.JSON.createArrayNode();
        for (int leg = 0; leg < legs(type, stream); leg++) {
            ObjectNode c = out.addObject();
            if (type == Type.SENDER) {
                c.putObject("source_ip").putArray("enum").add(hostIp());
                c.putObject("destination_ip");
                c.putObject("source_port");
                MediaDescription m = Resources.media(sourceSdp(stream));
                c.putObject("destination_port").putArray("enum").add(m != null ? m.port() : 5004);
                c.putObject("rtp_enabled");
            } else {
                c.putObject("source_ip");
                c.putObject("multicast_ip");
                c.putObject("interface_ip").putArray("enum").add(leg == 0 ? hostIp() : secondaryIp());
                c.putObject("destination_port");
                c.putObject("rtp_enabled");
            }
        }
        return out;
    }

    private Endpoint endpoint(String id) {
        return endpoints.computeIfAbsent(id, x -> new Endpoint());
    }

    /** The active state, read from the session manager. */
    private ObjectNode active(Type type, int stream, String id) throws Refusal {
        Endpoint e = endpoint(id);
        ObjectNode a = Resources.JSON.createObjectNode();
        if (type == Type.SENDER) {
            Source s = source(stream);
            String sdp = sourceSdp(stream);
            if (e.peerId == null) {
                a.putNull("receiver_id");
            } else {
                a.put("receiver_id", e.peerId);
            }
            a.put("master_enable", s.enabled());
            a.set("activation", e.lastActivation.deepCopy());
            a.set("transport_params", senderParams(sdp));
        } else {
            Sink k = sink(stream);
            boolean on = k.useSdp() || !k.source().isEmpty();
            if (e.peerId == null || !on) {
                a.putNull("sender_id");
            } else {
                a.put("sender_id", e.peerId);
            }
            a.put("master_enable", on);
            a.set("activation", e.lastActivation.deepCopy());
            ObjectNode tf = a.putObject("transport_file");
            if (on && !k.sdp().isBlank()) {
                tf.put("data", k.sdp());
                tf.put("type", SDP_TYPE);
            } else {
                tf.putNull("data");
                tf.putNull("type");
            }
            a.set("transport_params", receiverParams(on ? k.sdp() : null, on, legs(type, stream)));
        }
        return a;
    }

    /**
     * The sender's legs. {@code rtp_enabled} is true for each: the source has one on/off, which is
     * {@code master_enable}; so a controller starts a disabled source with {@code master_enable: true} alone.
     */
    private ArrayNode senderParams(String sdp) {
        ArrayNode legs = Resources.JSON.createArrayNode();
        List<MediaDescription> media = List.of();
        try {
            media = SdpParser.parse(sdp).media();
        } catch (SdpParseException e) {
            // no SDP: one leg with what we know
        }
        int n = Math.max(1, Math.min(2, media.size()));
        for (int i = 0; i < n; i++) {
            MediaDescription m = i < media.size() ? media.get(i) : null;
            ObjectNode leg = legs.addObject();
            leg.put("source_ip", hostIp());
            leg.put("destination_ip", m != null ? m.connection().address() : "auto");
            leg.put("source_port", "auto");
            if (m != null) {
                leg.put("destination_port", m.port());
            } else {
                leg.put("destination_port", "auto");
            }
            leg.put("rtp_enabled", true);
        }
        return legs;
    }

    /** One entry per leg: leg i from the SDP's media block i; a leg the SDP does not have is disabled. */
    private ArrayNode receiverParams(String sdp, boolean enabled, int legCount) {
        ArrayNode legs = Resources.JSON.createArrayNode();
        List<MediaDescription> media = Resources.allMedia(sdp);
        for (int i = 0; i < legCount; i++) {
            MediaDescription m = i < media.size() ? media.get(i) : null;
            ObjectNode leg = legs.addObject();
            leg.putNull("source_ip");
            leg.putNull("multicast_ip");
            leg.put("interface_ip", i == 0 ? hostIp() : secondaryIp());
            leg.put("destination_port", "auto");
            fillLeg(leg, m);
            // no SDP at all: the receiver is idle and every leg could receive; a leg the SDP lacks cannot
            leg.put("rtp_enabled", m != null ? enabled : media.isEmpty() && i == 0);
        }
        return legs;
    }

    /** A receiver leg's addresses and port from a media block (kept as they are when {@code m} is null). */
    private static void fillLeg(ObjectNode leg, MediaDescription m) {
        if (m == null) {
            return;
        }
        String filter = sourceFilterAddress(m.sourceFilter());
        if (filter == null) {
            leg.putNull("source_ip");
        } else {
            leg.put("source_ip", filter);
        }
        if (m.connection() != null && m.connection().multicast()) {
            leg.put("multicast_ip", m.connection().address());
        } else {
            leg.putNull("multicast_ip");
        }
        leg.put("destination_port", m.port());
    }

    /** The source address of {@code incl IN IP4 <dest> <source>}, or null. */
    static String sourceFilterAddress(String filter) {
        if (filter == null) {
            return null;
        }
        String[] f = filter.strip().split("\\s+");
        return f.length >= 5 && f[0].equals("incl") ? f[4] : null;
    }

    private ObjectNode staged(Type type, int stream, String id) throws Refusal {
        Endpoint e = endpoint(id);
        if (e.staged == null) {
            e.staged = active(type, stream, id);
            e.staged.set("activation", inactiveActivation());
        }
        return e.staged;
    }

    // ------------------------------------------------------------------------------------------------ PATCH

    private Reply patch(Type type, int stream, String id, JsonNode body) throws Refusal {
        Endpoint e = endpoint(id);
        ObjectNode staged = staged(type, stream, id);
        if (!body.isObject()) {
            throw new Refusal(400, "the body must be a JSON object");
        }
        JsonNode activation = body.get("activation");
        boolean cancelOnly = body.size() == 1 && activation != null && activation.path("mode").isNull();
        if (e.pending != null && !cancelOnly) {
            throw new Refusal(423, "a scheduled activation is pending: cancel it first (activation mode null)");
        }
        ObjectNode next = staged.deepCopy();
        merge(type, stream, next, body);
        if (activation == null || activation.path("mode").isNull()) {
            if (e.pending != null) {
                e.pending.cancel(false);
                e.pending = null;
                e.pendingParams = null;
            }
            next.set("activation", inactiveActivation());
            e.staged = next;
            return Reply.json(200, next.deepCopy());
        }
        String mode = activation.get("mode").asText();
        long now = NmosNode.tai(host.ptp());
        if (mode.equals("activate_immediate")) {
            apply(type, stream, id, next, mode, null, now, START_NOW);
            ObjectNode reply = next.deepCopy();
            ObjectNode a = reply.putObject("activation");
            a.put("mode", mode);
            a.putNull("requested_time");
            a.put("activation_time", Snapshot.version(now));
            next.set("activation", inactiveActivation());
            e.staged = next;
            return Reply.json(200, reply);
        }
        String requested = activation.path("requested_time").asText(null);
        if (requested == null || !TAI.matcher(requested).matches()) {
            throw new Refusal(400, mode + " needs requested_time as <seconds>:<nanoseconds>");
        }
        long at = taiNanos(requested);
        long target = mode.equals("activate_scheduled_absolute") ? at : now + at;
        ObjectNode a = next.putObject("activation");
        a.put("mode", mode);
        a.put("requested_time", requested);
        a.put("activation_time", Snapshot.version(target));
        e.staged = next;
        ObjectNode params = next.deepCopy();
        e.pendingParams = params;
        // a time already past when requested activates at once (IS-05), and its stream starts now: no backlog
        long startAt = target > now ? target : START_NOW;
        e.pending = scheduler.schedule(() -> runScheduled(type, stream, id, params, mode, requested, target, startAt),
                delayNanos(target), TimeUnit.NANOSECONDS);
        return Reply.json(202, next.deepCopy());
    }

    /** The executor is woken this much early; the last stretch is waited out in short parks (timer slack). */
    static final long EARLY_WAKE_NANOS = 20_000_000L;

    /** Nanoseconds from now until shortly before TAI {@code target}. */
    private long delayNanos(long target) {
        return Math.max(0, target - NmosNode.tai(host.ptp()) - EARLY_WAKE_NANOS);
    }

    private void runScheduled(Type type, int stream, String id, ObjectNode params, String mode, String requested,
            long target, long startAt) {
        // outside the lock: the API keeps answering while we wait for the exact PTP time
        if (!NmosNode.parkUntilTai(host, target)) {
            return;
        }
        synchronized (this) {
            Endpoint e = endpoint(id);
            if (e.pendingParams != params) {
                return; // cancelled or replaced while we waited
            }
            e.pending = null;
            e.pendingParams = null;
            try {
                // on PTP time, a sender's stream starts at the requested time even if this thread ran late
                PtpClock ptp = host.ptp();
                boolean onPtp = ptp != null && ptp.state() == PtpState.LOCKED;
                apply(type, stream, id, params, mode, requested, NmosNode.tai(ptp), onPtp ? startAt : START_NOW);
            } catch (Refusal r) {
                LOG.error("NMOS: scheduled activation of {} {} failed: {}", type.word, id, r.getMessage());
            }
            if (e.staged != null) {
                e.staged.set("activation", inactiveActivation());
            }
        }
    }

    static long taiNanos(String tai) throws Refusal {
        String[] p = tai.split(":");
        try {
            long s = Long.parseLong(p[0]);
            long ns = Long.parseLong(p[1]);
            if (ns >= 1_000_000_000L || s > 9_000_000_000L) {
                throw new Refusal(400, "TAI time out of range: " + tai);
            }
            return s * 1_000_000_000L + ns;
        } catch (NumberFormatException ex) {
            throw new Refusal(400, "TAI time out of range: " + tai);
        }
    }

    /** Checks a staged PATCH body key by key (the stage schema, and our constraints) and merges it into {@code next}. */
    private void merge(Type type, int stream, ObjectNode next, JsonNode body) throws Refusal {
        String peer = type == Type.SENDER ? "receiver_id" : "sender_id";
        Iterator<Map.Entry<String, JsonNode>> it = body.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "master_enable" -> {
                    requireType(f.getKey(), v, JsonNodeType.BOOLEAN);
                    next.set("master_enable", v);
                }
                case "activation" -> checkActivation(v);
                case "transport_params" -> mergeParams(type, stream, (ArrayNode) next.get("transport_params"), v);
                case "transport_file" -> {
                    if (type != Type.RECEIVER) {
                        throw new Refusal(400, "senders take no transport_file");
                    }
                    mergeTransportFile(next, v);
                }
                default -> {
                    if (!f.getKey().equals(peer)) {
                        throw new Refusal(400, "unknown property " + f.getKey());
                    }
                    if (!v.isNull() && !(v.isTextual() && UUID.matcher(v.asText()).matches())) {
                        throw new Refusal(400, peer + " must be a UUID or null");
                    }
                    next.set(peer, v);
                }
            }
        }
    }

    private static void requireType(String key, JsonNode v, JsonNodeType type) throws Refusal {
        if (v.getNodeType() != type) {
            throw new Refusal(400, key + " must be " + type.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static void checkActivation(JsonNode a) throws Refusal {
        if (!a.isObject() || !a.has("mode")) {
            throw new Refusal(400, "activation must be an object with mode");
        }
        Iterator<String> names = a.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!n.equals("mode") && !n.equals("requested_time")) {
                throw new Refusal(400, "unknown activation property " + n);
            }
        }
        JsonNode mode = a.get("mode");
        if (!mode.isNull() && !(mode.isTextual() && Set.of("activate_immediate", "activate_scheduled_absolute",
                "activate_scheduled_relative").contains(mode.asText()))) {
            throw new Refusal(400, "activation mode must be activate_immediate, activate_scheduled_absolute, "
                    + "activate_scheduled_relative or null");
        }
        JsonNode rt = a.get("requested_time");
        if (rt != null && !rt.isNull() && !(rt.isTextual() && TAI.matcher(rt.asText()).matches())) {
            throw new Refusal(400, "requested_time must be <seconds>:<nanoseconds> or null");
        }
    }

    private void mergeParams(Type type, int stream, ArrayNode legs, JsonNode v) throws Refusal {
        if (!v.isArray() || v.size() != legs.size()) {
            throw new Refusal(400, "transport_params must be an array of " + legs.size() + " leg(s)");
        }
        Set<String> allowed = type == Type.SENDER ? SENDER_PARAMS : RECEIVER_PARAMS;
        ArrayNode constraints = constraints(type, stream);
        for (int i = 0; i < v.size(); i++) {
            JsonNode leg = v.get(i);
            if (!leg.isObject()) {
                throw new Refusal(400, "transport_params[" + i + "] must be an object");
            }
            Iterator<Map.Entry<String, JsonNode>> it = leg.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> p = it.next();
                String k = p.getKey();
                JsonNode x = p.getValue();
                if (!allowed.contains(k)) {
                    throw new Refusal(400, "transport_params[" + i + "]." + k + " is not supported");
                }
                checkParam(i, k, x, type);
                JsonNode allowedValues = constraints.get(i).path(k).path("enum");
                if (allowedValues.isArray() && !(x.isTextual() && x.asText().equals("auto"))) {
                    boolean ok = false;
                    for (JsonNode a : allowedValues) {
                        ok |= a.equals(x);
                    }
                    if (!ok) {
                        throw new Refusal(400, "transport_params[" + i + "]." + k + " must be one of " + allowedValues);
                    }
                }
                ((ObjectNode) legs.get(i)).set(k, x);
            }
        }
    }

    private static void checkParam(int leg, String k, JsonNode x, Type type) throws Refusal {
        String where = "transport_params[" + leg + "]." + k;
        switch (k) {
            case "rtp_enabled" -> requireType(where, x, JsonNodeType.BOOLEAN);
            case "destination_port", "source_port" -> {
                boolean auto = x.isTextual() && x.asText().equals("auto");
                int min = k.equals("source_port") ? 0 : 1;
                if (!auto && !(x.canConvertToInt() && x.isIntegralNumber() && x.asInt() >= min && x.asInt() <= 65535)) {
                    throw new Refusal(400, where + " must be a port number or \"auto\"");
                }
            }
            default -> {
                boolean nullable = type == Type.RECEIVER && (k.equals("source_ip") || k.equals("multicast_ip"));
                if (x.isNull() && nullable) {
                    return;
                }
                if (!x.isTextual() || !(x.asText().equals("auto") || Addresses.isIp(x.asText()))) {
                    throw new Refusal(400, where + " must be an IP address or \"auto\"" + (nullable ? " or null" : ""));
                }
            }
        }
    }

    private static void mergeTransportFile(ObjectNode next, JsonNode v) throws Refusal {
        if (!v.isObject()) {
            throw new Refusal(400, "transport_file must be an object");
        }
        JsonNode data = v.get("data");
        JsonNode type = v.get("type");
        Iterator<String> names = v.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!n.equals("data") && !n.equals("type")) {
                throw new Refusal(400, "unknown transport_file property " + n);
            }
        }
        if (data == null || type == null || data.isNull() != type.isNull()
                || (!data.isNull() && !(data.isTextual() && type.isTextual()))) {
            throw new Refusal(400, "transport_file needs data and type, both strings or both null");
        }
        if (!type.isNull() && !type.asText().equals(SDP_TYPE)) {
            throw new Refusal(400, "transport_file type must be " + SDP_TYPE);
        }
        if (!data.isNull()) {
            try {
                SessionDescription d = SdpParser.parse(data.asText());
                if (d.media().isEmpty()) {
                    throw new Refusal(400, "transport_file: the SDP has no audio media");
                }
                // the receiver's transport parameters follow the file (IS-05: parsed on staging), leg by leg; a
                // second leg the file does not have is disabled, one it has is enabled
                ArrayNode legs = (ArrayNode) next.get("transport_params");
                for (int i = 0; i < legs.size(); i++) {
                    ObjectNode leg = (ObjectNode) legs.get(i);
                    MediaDescription m = i < d.media().size() ? d.media().get(i) : null;
                    fillLeg(leg, m);
                    if (i > 0) {
                        leg.put("rtp_enabled", m != null);
                    }
                }
            } catch (SdpParseException e) {
                throw new Refusal(400, "transport_file: cannot parse SDP: " + e.getMessage());
            }
        }
        next.set("transport_file", v);
    }

    // ------------------------------------------------------------------------------------------------ activation

    /** No start time: a sender's stream starts at its next packet boundary. */
    private static final long START_NOW = Long.MIN_VALUE;

    /**
     * Makes {@code params} the running state of the stream; a sender started by it starts its timeline at PTP time
     * {@code startPtp} (the scheduled time), unless {@link #START_NOW}.
     */
    private void apply(Type type, int stream, String id, ObjectNode params, String mode, String requested, long at,
            long startPtp) throws Refusal {
        SessionManager sm = ApiCalls.sessions(host);
        Endpoint e = endpoint(id);
        boolean enable = params.get("master_enable").asBoolean();
        try {
            if (type == Type.SENDER) {
                Source s = source(stream);
                JsonNode leg = params.get("transport_params").get(0);
                boolean on = enable && leg.path("rtp_enabled").asBoolean(true);
                String dest = leg.path("destination_ip").asText("auto");
                String address = dest.equals("auto") ? s.address() : dest;
                Source next = new Source(s.id(), on, s.name(), s.io(), s.maxSamplesPerPacket(), s.codec(), address,
                        s.ttl(), s.payloadType(), s.dscp(), s.refclkPtpTraceable(), s.map(), s.sampleRate());
                if (startPtp == START_NOW) {
                    sm.putSource(next);
                } else {
                    sm.putSource(next, startPtp);
                }
                e.peerId = params.path("receiver_id").isNull() ? null : params.get("receiver_id").asText();
            } else {
                Sink k = sink(stream);
                JsonNode data = params.get("transport_file").get("data");
                JsonNode legs = params.get("transport_params");
                boolean anyLeg = false;
                for (JsonNode leg : legs) {
                    anyLeg |= leg.path("rtp_enabled").asBoolean(true);
                }
                boolean on = enable && anyLeg;
                String sdp = null;
                if (on && data != null && !data.isNull()) {
                    sdp = withLegs(data.asText(), legs);
                } else if (on) {
                    // no file: the SDP of the sender named, as it announces it (its own transport parameters)
                    sdp = senderSdp(params.path("sender_id"));
                }
                Sink next = on
                        ? new Sink(k.id(), k.name(), k.io(), true, "", sdp, k.delay(), k.ignoreRefclkGmid(), k.map())
                        : new Sink(k.id(), k.name(), k.io(), false, "", "", k.delay(), k.ignoreRefclkGmid(), k.map());
                sm.putSink(next);
                e.peerId = params.path("sender_id").isNull() ? null : params.get("sender_id").asText();
            }
        } catch (SessionException ex) {
            throw new Refusal(ex.isClientError() ? 400 : 500, "activation refused: " + ex.getMessage());
        }
        ObjectNode a = Resources.JSON.createObjectNode();
        a.put("mode", mode);
        if (requested == null) {
            a.putNull("requested_time");
        } else {
            a.put("requested_time", requested);
        }
        a.put("activation_time", Snapshot.version(at));
        e.lastActivation = a;
        LOG.info("NMOS: {} {} activated ({}, master_enable {})", type.word, id, mode, enable);
        changed.run();
    }

    /**
     * The transport file of {@code senderId}: one of our own senders (its source's SDP), else a sender of another
     * node the registry's Query API lists (the SDP its manifest_href served at the last listing).
     */
    private String senderSdp(JsonNode senderId) throws Refusal {
        if (!senderId.isTextual()) {
            throw new Refusal(400, "activating a receiver needs a transport_file with the sender's SDP, or a "
                    + "sender_id");
        }
        String id = senderId.asText();
        for (Source s : ApiCalls.sessions(host).sources()) {
            if (resources.senderId(s.id()).equals(id)) {
                return sourceSdp(s.id());
            }
        }
        String remote = remoteSdp.apply(id);
        if (remote == null || remote.isBlank()) {
            throw new Refusal(400, "sender " + id + " is neither one of ours nor listed by the registry's Query "
                    + "API: stage its transport_file");
        }
        return remote;
    }

    /**
     * The SDP as the staged legs say: each media block with its leg's destination port and multicast group when a
     * controller changed them after staging the file (the file itself is kept as sent otherwise), and without the
     * blocks whose leg is disabled (ST 2022-7: the sink then joins only the legs left; with one block left the
     * DUP grouping goes too).
     */
    static String withLegs(String sdp, JsonNode legs) {
        String[] parts = sdp.split("(?m)(?=^m=)");
        List<MediaDescription> media = Resources.allMedia(sdp);
        if (media.isEmpty() || parts.length != media.size() + 1) {
            return sdp;
        }
        if (media.size() == 1) { // its c= line may be at session level: change the whole text
            return legs.size() == 0 ? sdp : withParams(sdp, media.get(0), legs.get(0));
        }
        StringBuilder blocks = new StringBuilder();
        int kept = 0;
        for (int i = 0; i < media.size(); i++) {
            JsonNode leg = i < legs.size() ? legs.get(i) : null;
            if (leg != null && !leg.path("rtp_enabled").asBoolean(true)) {
                continue;
            }
            blocks.append(leg == null ? parts[i + 1] : withParams(parts[i + 1], media.get(i), leg));
            kept++;
        }
        if (kept == 0 || kept == media.size()) {
            return kept == 0 ? sdp : parts[0] + blocks;
        }
        // one block left: no longer a DUP group (a session-level c= line, if any, still applies to it)
        return parts[0].replaceAll("(?m)^a=group:DUP[^\\r\\n]*(\\r?\\n)?", "") + blocks;
    }

    /** The text of {@code m}'s block (or of a one-block SDP) with the leg's destination port and multicast group. */
    private static String withParams(String block, MediaDescription m, JsonNode leg) {
        String out = block;
        JsonNode port = leg.get("destination_port");
        if (port != null && port.isInt() && port.asInt() != m.port()) {
            out = out.replaceFirst("(?m)^m=audio " + m.port() + " ", "m=audio " + port.asInt() + " ");
        }
        JsonNode group = leg.get("multicast_ip");
        if (group != null && group.isTextual() && !group.asText().equals("auto") && m.connection() != null
                && !group.asText().equals(m.connection().address())) {
            out = out.replace("c=IN IP4 " + m.connection().address(), "c=IN IP4 " + group.asText());
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ bulk

    private Reply bulk(Type type, Request req) throws Refusal {
        JsonNode body = ApiCalls.parse(req);
        if (!body.isArray()) {
            throw new Refusal(400, "the body must be an array of {id, params}");
        }
        ArrayNode out = Resources.JSON.createArrayNode();
        for (JsonNode item : body) {
            if (!item.isObject() || !item.path("id").isTextual() || !item.path("params").isObject()) {
                throw new Refusal(400, "each entry needs id and params");
            }
        }
        for (JsonNode item : body) {
            String id = item.get("id").asText();
            ObjectNode r = out.addObject();
            r.put("id", id);
            try {
                Reply single = patch(type, streamId(type, id), id, item.get("params"));
                r.put("code", single.status());
            } catch (Refusal e) {
                r.put("code", e.code);
                r.put("error", e.getMessage());
                r.putNull("debug");
            }
        }
        return Reply.json(200, out);
    }
}
