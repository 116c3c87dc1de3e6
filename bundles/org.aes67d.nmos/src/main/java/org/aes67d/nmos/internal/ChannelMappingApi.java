package org.aes67d.nmos.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.aes67d.api.session.SessionException;
import org.aes67d.api.session.SessionManager;
import org.aes67d.api.session.Sink;
import org.aes67d.api.session.Source;
import org.aes67d.nmos.internal.ConnectionApi.Refusal;
import org.aes67d.nmos.internal.HttpEndpoint.Reply;
import org.aes67d.nmos.internal.HttpEndpoint.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * IS-08 v1.0 Audio Channel Mapping API over the daemon's virtual Audio Device, i.e. over the {@code map} fields of
 * the streams whose {@code io} is {@code "Audio Device"}:
 * <ul>
 * <li>input {@code device-playback}: the device's playback channels (what applications play); each device source
 * is an output {@code source-N} (its IS-04 source), whose channel {@code j} takes playback channel {@code map[j]};
 * <li>each device sink is an input {@code sink-N} (parent: its receiver), whose channel {@code i} goes to capture
 * channel {@code map[i]}; output {@code device-capture} is the device's capture channels (what applications record).
 * </ul>
 * An activation is turned into new maps and put through the session manager, so it is what the engine plays, and
 * the active map is read back from the session manager on every request. What a map field cannot express is refused
 * with a 400 and its reason: an unrouted source channel, a playback channel twice in one source, a sink channel on two
 * capture channels or on none.
 */
final class ChannelMappingApi {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelMappingApi.class);
    static final String VERSION = "v1.0";
    static final String PREFIX = "/x-nmos/channelmapping/";
    static final String PLAYBACK = "device-playback";
    static final String CAPTURE = "device-capture";
    static final String DEVICE_IO = "Audio Device";
    /** The session manager's map range (0..63); the driver's device has at least that many channels. */
    static final int DEVICE_CHANNELS = 64;
    private static final Pattern INDEX = Pattern.compile("^(0|[1-9][0-9]*)$");

    /** Where an output channel's audio comes from; {@code input} null = unrouted. */
    record Route(String input, int channel) {
    }

    /** The streams of the Audio Device, in ascending id order, read once per request. */
    private record Device(Map<Integer, Source> sources, Map<Integer, Sink> sinks) {
        static Device of(SessionManager sm) {
            Map<Integer, Source> so = new TreeMap<>();
            sm.sources().stream().filter(s -> s.io().equals(DEVICE_IO)).forEach(s -> so.put(s.id(), s));
            Map<Integer, Sink> si = new TreeMap<>();
            sm.sinks().stream().filter(s -> s.io().equals(DEVICE_IO)).forEach(s -> si.put(s.id(), s));
            return new Device(so, si);
        }

        List<String> inputs() {
            List<String> ids = new ArrayList<>();
            ids.add(PLAYBACK);
            sinks.keySet().forEach(id -> ids.add("sink-" + id));
            return ids;
        }

        List<String> outputs() {
            List<String> ids = new ArrayList<>();
            sources.keySet().forEach(id -> ids.add("source-" + id));
            ids.add(CAPTURE);
            return ids;
        }

        /** Channels of an input or output, or -1 when there is no such one. */
        int channels(String id) {
            if (id.equals(PLAYBACK) || id.equals(CAPTURE)) {
                return DEVICE_CHANNELS;
            }
            Integer n = number(id, "sink-");
            if (n != null && sinks.containsKey(n)) {
                return sinks.get(n).map().size();
            }
            n = number(id, "source-");
            return n != null && sources.containsKey(n) ? sources.get(n).map().size() : -1;
        }

        List<String> routable(String output) {
            if (output.equals(CAPTURE)) {
                List<String> r = new ArrayList<>();
                sinks.keySet().forEach(id -> r.add("sink-" + id));
                r.add(null); // a capture channel no sink plays into is silent
                return r;
            }
            return Arrays.asList(PLAYBACK); // a source sends every channel: none may be unrouted (no null)
        }

        /** The active map, output by output. A capture channel two sinks play into shows the lower sink id. */
        Map<String, Route[]> map() {
            Map<String, Route[]> m = new LinkedHashMap<>();
            sources.forEach((id, s) -> {
                Route[] r = new Route[s.map().size()];
                for (int j = 0; j < r.length; j++) {
                    r[j] = new Route(PLAYBACK, s.map().get(j));
                }
                m.put("source-" + id, r);
            });
            Route[] capture = new Route[DEVICE_CHANNELS];
            Arrays.fill(capture, new Route(null, 0));
            sinks.forEach((id, k) -> {
                for (int i = 0; i < k.map().size(); i++) {
                    int c = k.map().get(i);
                    if (c < DEVICE_CHANNELS && capture[c].input() == null) {
                        capture[c] = new Route("sink-" + id, i);
                    }
                }
            });
            m.put(CAPTURE, capture);
            return m;
        }
    }

    /** New maps for the streams an activation changes. */
    record Plan(Map<Integer, List<Integer>> sourceMaps, Map<Integer, List<Integer>> sinkMaps) {
    }

    /** A scheduled activation waiting for its time. */
    private static final class Pending {
        final ObjectNode action;
        ObjectNode activation;
        ScheduledFuture<?> future;

        Pending(ObjectNode action) {
            this.action = action;
        }
    }

    private final Resources resources;
    private final NmosNode.Host host;
    private final Runnable changed;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Pending> pending = new LinkedHashMap<>(); // guarded by this
    private final Map<String, ObjectNode> lastActivation = new HashMap<>(); // output id -> activation; guarded by this
    private ObjectNode lastAny = ConnectionApi.inactiveActivation(); // guarded by this
    private long nextId = 1; // guarded by this

    ChannelMappingApi(Resources resources, NmosNode.Host host, Runnable changed, ScheduledExecutorService scheduler) {
        this.resources = resources;
        this.host = host;
        this.changed = changed;
        this.scheduler = scheduler;
    }

    synchronized Reply handle(Request req, String rest) {
        return ApiCalls.answer("IS-08", VERSION, req, rest, (m, p) -> route(req, m, p));
    }

    private Reply route(Request req, String m, String[] p) throws Refusal {
        if (p.length == 1) {
            return ApiCalls.get(m, NodeApi.array("inputs/", "outputs/", "map/", "io/"));
        }
        Device d = Device.of(ApiCalls.sessions(host));
        switch (p[1]) {
            case "io" -> {
                if (p.length == 2) {
                    return ApiCalls.get(m, io(d));
                }
            }
            case "inputs", "outputs" -> {
                boolean input = p[1].equals("inputs");
                List<String> ids = input ? d.inputs() : d.outputs();
                if (p.length == 2) {
                    ArrayNode a = Resources.JSON.createArrayNode();
                    ids.forEach(id -> a.add(id + "/"));
                    return ApiCalls.get(m, a);
                }
                if (!ids.contains(p[2])) {
                    throw new Refusal(404, (input ? "input " : "output ") + p[2] + " not found");
                }
                if (p.length == 3) {
                    return ApiCalls.get(m, input ? NodeApi.array("properties/", "parent/", "channels/", "caps/")
                            : NodeApi.array("properties/", "sourceid/", "channels/", "caps/"));
                }
                List<String> parts = input ? List.of("properties", "parent", "channels", "caps")
                        : List.of("properties", "sourceid", "channels", "caps");
                if (p.length == 4 && parts.contains(p[3])) {
                    ObjectNode all = input ? input(d, p[2]) : output(d, p[2]);
                    return ApiCalls.get(m, all.get(p[3].equals("sourceid") ? "source_id" : p[3]));
                }
            }
            case "map" -> {
                return map(m, req, p, d);
            }
            default -> {
                // 404 below
            }
        }
        throw new Refusal(404, "no such resource");
    }

    private Reply map(String m, Request req, String[] p, Device d) throws Refusal {
        if (p.length == 2) {
            return ApiCalls.get(m, NodeApi.array("activations/", "active/"));
        }
        if (p[2].equals("active")) {
            if (p.length == 3) {
                ObjectNode a = Resources.JSON.createObjectNode();
                a.set("activation", lastAny.deepCopy());
                a.set("map", entries(d.map(), null));
                return ApiCalls.get(m, a);
            }
            if (p.length == 4) {
                if (!d.outputs().contains(p[3])) {
                    throw new Refusal(404, "output " + p[3] + " not found");
                }
                ObjectNode a = Resources.JSON.createObjectNode();
                a.set("activation", lastActivation.getOrDefault(p[3], ConnectionApi.inactiveActivation()).deepCopy());
                a.set("map", entries(d.map(), p[3]));
                return ApiCalls.get(m, a);
            }
        } else if (p[2].equals("activations")) {
            if (p.length == 3) {
                return switch (m) {
                    case "GET" -> Reply.json(200, pendingList(null));
                    case "POST" -> activate(ApiCalls.parse(req), d);
                    default -> throw new Refusal(405, "activations take GET and POST");
                };
            }
            if (p.length == 4) {
                Pending a = pending.get(p[3]);
                if (a == null) {
                    throw new Refusal(404, "no pending activation " + p[3]);
                }
                return switch (m) {
                    case "GET" -> Reply.json(200, pendingList(p[3]).get(p[3]));
                    case "DELETE" -> {
                        a.future.cancel(false);
                        pending.remove(p[3]);
                        LOG.info("NMOS IS-08: scheduled activation {} cancelled", p[3]);
                        yield Reply.empty(204);
                    }
                    default -> throw new Refusal(405, "an activation takes GET and DELETE");
                };
            }
        }
        throw new Refusal(404, "no such resource");
    }

    // ------------------------------------------------------------------------------------------------ views

    private static Integer number(String id, String prefix) {
        if (!id.startsWith(prefix)) {
            return null;
        }
        try {
            return Integer.valueOf(id.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static ArrayNode labels(int n, String word) {
        ArrayNode a = Resources.JSON.createArrayNode();
        for (int i = 0; i < n; i++) {
            a.addObject().put("label", word + " " + (i + 1));
        }
        return a;
    }

    private ObjectNode io(Device d) {
        ObjectNode io = Resources.JSON.createObjectNode();
        ObjectNode in = io.putObject("inputs");
        d.inputs().forEach(id -> in.set(id, input(d, id)));
        ObjectNode out = io.putObject("outputs");
        d.outputs().forEach(id -> out.set(id, output(d, id)));
        return io;
    }

    private ObjectNode input(Device d, String id) {
        ObjectNode i = Resources.JSON.createObjectNode();
        ObjectNode props = i.putObject("properties");
        ObjectNode parent = i.putObject("parent");
        if (id.equals(PLAYBACK)) {
            props.put("name", "Audio Device playback");
            props.put("description", "what applications play into the daemon's Audio Device");
            parent.putNull("id");
            parent.putNull("type");
        } else {
            Sink k = d.sinks().get(number(id, "sink-"));
            props.put("name", k.name());
            props.put("description", "AES67 sink " + k.id() + " (the stream it plays)");
            parent.put("id", resources.receiverId(k.id()));
            parent.put("type", "receiver");
        }
        i.set("channels", labels(d.channels(id), id.equals(PLAYBACK) ? "Playback" : "Channel"));
        ObjectNode caps = i.putObject("caps");
        caps.put("reordering", true); // every channel of an input may go anywhere
        caps.put("block_size", 1);
        return i;
    }

    private ObjectNode output(Device d, String id) {
        ObjectNode o = Resources.JSON.createObjectNode();
        ObjectNode props = o.putObject("properties");
        if (id.equals(CAPTURE)) {
            props.put("name", "Audio Device capture");
            props.put("description", "what applications record from the daemon's Audio Device");
            o.putNull("source_id");
        } else {
            Source s = d.sources().get(number(id, "source-"));
            props.put("name", s.name());
            props.put("description", "AES67 source " + s.id() + " (the stream it sends)");
            o.put("source_id", resources.sourceId(s.id()));
        }
        o.set("channels", labels(d.channels(id), id.equals(CAPTURE) ? "Capture" : "Channel"));
        ArrayNode routable = o.putObject("caps").putArray("routable_inputs");
        d.routable(id).forEach(routable::add);
        return o;
    }

    private static ObjectNode entries(Map<String, Route[]> map, String only) {
        ObjectNode out = Resources.JSON.createObjectNode();
        map.forEach((id, routes) -> {
            if (only != null && !only.equals(id)) {
                return;
            }
            ObjectNode o = out.putObject(id);
            for (int c = 0; c < routes.length; c++) {
                ObjectNode e = o.putObject(Integer.toString(c));
                if (routes[c].input() == null) {
                    e.putNull("input");
                    e.putNull("channel_index");
                } else {
                    e.put("input", routes[c].input());
                    e.put("channel_index", routes[c].channel());
                }
            }
        });
        return out;
    }

    private ObjectNode pendingList(String only) {
        ObjectNode out = Resources.JSON.createObjectNode();
        pending.forEach((id, a) -> {
            if (only == null || only.equals(id)) {
                ObjectNode o = out.putObject(id);
                o.set("activation", a.activation.deepCopy());
                o.set("action", a.action.deepCopy());
            }
        });
        return out;
    }

    // ------------------------------------------------------------------------------------------------ activation

    private Reply activate(JsonNode body, Device d) throws Refusal {
        if (!body.isObject()) {
            throw new Refusal(400, "the body must be an object with activation and action");
        }
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!n.equals("activation") && !n.equals("action")) {
                throw new Refusal(400, "unknown property " + n);
            }
        }
        JsonNode activation = body.get("activation");
        JsonNode action = body.get("action");
        if (activation == null || action == null) {
            throw new Refusal(400, "the body needs activation and action");
        }
        String mode = checkActivation(activation);
        plan(action, d); // a refusal here changes nothing
        for (Map.Entry<String, Pending> p : pending.entrySet()) {
            Iterator<String> outs = action.fieldNames();
            while (outs.hasNext()) {
                String out = outs.next();
                if (p.getValue().action.has(out)) {
                    throw new Refusal(423, "output " + out + " has a pending activation (" + p.getKey()
                            + "): delete it first");
                }
            }
        }
        String id = Long.toString(nextId++);
        long now = NmosNode.tai(host.ptp());
        ObjectNode reply = Resources.JSON.createObjectNode();
        ObjectNode entry = reply.putObject(id);
        ObjectNode a = Resources.JSON.createObjectNode();
        a.put("mode", mode);
        if (mode.equals("activate_immediate")) {
            a.putNull("requested_time");
            a.put("activation_time", Snapshot.version(now));
            apply(action, a);
            entry.set("activation", a);
            entry.set("action", action);
            return Reply.json(200, reply);
        }
        String requested = activation.path("requested_time").asText(null);
        if (requested == null) {
            throw new Refusal(400, mode + " needs requested_time as <seconds>:<nanoseconds>");
        }
        long at = ConnectionApi.taiNanos(requested);
        long target = mode.equals("activate_scheduled_absolute") ? at : now + at;
        a.put("requested_time", requested);
        a.put("activation_time", Snapshot.version(target));
        Pending p = new Pending((ObjectNode) action.deepCopy());
        p.activation = a;
        pending.put(id, p);
        p.future = scheduler.schedule(() -> runScheduled(id, p, target),
                Math.max(0, target - NmosNode.tai(host.ptp()) - ConnectionApi.EARLY_WAKE_NANOS), TimeUnit.NANOSECONDS);
        LOG.info("NMOS IS-08: activation {} scheduled for {}", id, Snapshot.version(target));
        entry.set("activation", a.deepCopy());
        entry.set("action", action);
        return Reply.json(202, reply);
    }

    private static String checkActivation(JsonNode a) throws Refusal {
        if (!a.isObject() || !a.path("mode").isTextual()) {
            throw new Refusal(400, "activation must be an object with a mode");
        }
        Iterator<String> names = a.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!n.equals("mode") && !n.equals("requested_time")) {
                throw new Refusal(400, "unknown activation property " + n);
            }
        }
        String mode = a.get("mode").asText();
        if (!List.of("activate_immediate", "activate_scheduled_absolute", "activate_scheduled_relative")
                .contains(mode)) {
            throw new Refusal(400, "activation mode must be activate_immediate, activate_scheduled_absolute or "
                    + "activate_scheduled_relative");
        }
        JsonNode rt = a.get("requested_time");
        if (rt != null && !rt.isNull() && !(rt.isTextual() && rt.asText().matches("^[0-9]+:[0-9]+$"))) {
            throw new Refusal(400, "requested_time must be <seconds>:<nanoseconds> or null");
        }
        if (mode.equals("activate_immediate") && rt != null && !rt.isNull()) {
            throw new Refusal(400, "activate_immediate takes no requested_time");
        }
        return mode;
    }

    /** Checks an action against the device as it is now and turns it into the streams' new maps. */
    static Plan plan(JsonNode action, Device d) throws Refusal {
        if (!action.isObject() || action.isEmpty()) {
            throw new Refusal(400, "action must be an object of outputs, with at least one");
        }
        Map<Integer, List<Integer>> sourceMaps = new TreeMap<>();
        Map<Integer, List<Integer>> sinkMaps = new TreeMap<>();
        Route[] capture = d.map().get(CAPTURE).clone();
        boolean captureTouched = false;
        Iterator<Map.Entry<String, JsonNode>> outs = action.fields();
        while (outs.hasNext()) {
            Map.Entry<String, JsonNode> out = outs.next();
            String output = out.getKey();
            int channels = d.outputs().contains(output) ? d.channels(output) : -1;
            if (channels < 0) {
                throw new Refusal(400, "output " + output + " not found");
            }
            if (!out.getValue().isObject()) {
                throw new Refusal(400, "action." + output + " must be an object of channel indexes");
            }
            Integer source = number(output, "source-");
            List<Integer> sourceMap = source == null ? null : new ArrayList<>(d.sources().get(source).map());
            Iterator<Map.Entry<String, JsonNode>> chs = out.getValue().fields();
            while (chs.hasNext()) {
                Map.Entry<String, JsonNode> ch = chs.next();
                String where = "action." + output + "." + ch.getKey();
                if (!INDEX.matcher(ch.getKey()).matches() || ch.getKey().length() > 3
                        || Integer.parseInt(ch.getKey()) >= channels) {
                    throw new Refusal(400, where + ": " + output + " has channels 0.." + (channels - 1));
                }
                Route r = route(where, ch.getValue(), d);
                if (!d.routable(output).contains(r.input())) {
                    throw new Refusal(400, where + ": " + (r.input() == null
                            ? output + " cannot leave a channel unrouted (a source sends every channel)"
                            : "input " + r.input() + " cannot be routed to " + output + " (routable: "
                                    + d.routable(output) + ")"));
                }
                if (sourceMap != null) {
                    sourceMap.set(Integer.parseInt(ch.getKey()), r.channel());
                } else {
                    capture[Integer.parseInt(ch.getKey())] = r;
                    captureTouched = true;
                }
            }
            if (sourceMap != null) {
                if (sourceMap.stream().distinct().count() != sourceMap.size()) {
                    throw new Refusal(400, "action." + output + ": a playback channel twice in one source (the "
                            + "daemon takes each device channel at most once per source): " + sourceMap);
                }
                sourceMaps.put(source, sourceMap);
            }
        }
        if (captureTouched) {
            sinkMaps = sinkMaps(capture, d);
        }
        return new Plan(sourceMaps, sinkMaps);
    }

    private static Route route(String where, JsonNode e, Device d) throws Refusal {
        if (!e.isObject() || !e.has("input") || !e.has("channel_index")) {
            throw new Refusal(400, where + " must be an object with input and channel_index");
        }
        JsonNode input = e.get("input");
        JsonNode index = e.get("channel_index");
        if (input.isNull() && index.isNull()) {
            return new Route(null, 0);
        }
        if (!input.isTextual() || !index.isIntegralNumber() || !index.canConvertToInt()) {
            throw new Refusal(400, where + ": input must be a string and channel_index an integer (both null "
                    + "for unrouted)");
        }
        int n = d.inputs().contains(input.asText()) ? d.channels(input.asText()) : -1;
        if (n < 0) {
            throw new Refusal(400, where + ": input " + input.asText() + " not found");
        }
        if (index.asInt() < 0 || index.asInt() >= n) {
            throw new Refusal(400, where + ": input " + input.asText() + " has channels 0.." + (n - 1));
        }
        return new Route(input.asText(), index.asInt());
    }

    /**
     * The sinks' maps for a capture routing: every channel of a sink must land on exactly one capture channel
     * (a sink plays all its channels, each into one device channel).
     */
    private static Map<Integer, List<Integer>> sinkMaps(Route[] capture, Device d) throws Refusal {
        Map<Integer, Integer[]> next = new TreeMap<>();
        d.sinks().forEach((id, k) -> next.put(id, new Integer[k.map().size()]));
        for (int c = 0; c < capture.length; c++) {
            if (capture[c].input() == null) {
                continue;
            }
            int sink = number(capture[c].input(), "sink-");
            Integer[] m = next.get(sink);
            if (m[capture[c].channel()] != null) {
                throw new Refusal(400, capture[c].input() + " channel " + capture[c].channel()
                        + " would go to capture channels " + m[capture[c].channel()] + " and " + c
                        + ": a sink channel goes to one device channel (unroute the other in the same action)");
            }
            m[capture[c].channel()] = c;
        }
        Map<Integer, List<Integer>> out = new TreeMap<>();
        for (Map.Entry<Integer, Integer[]> e : next.entrySet()) {
            List<Integer> m = Arrays.asList(e.getValue());
            int missing = m.indexOf(null);
            if (missing >= 0) {
                throw new Refusal(400, "sink-" + e.getKey() + " channel " + missing + " would be routed nowhere: "
                        + "the daemon plays every channel of a sink, route it to a capture channel");
            }
            if (!m.equals(d.sinks().get(e.getKey()).map())) {
                out.put(e.getKey(), List.copyOf(m));
            }
        }
        return out;
    }

    /** Puts the new maps through the session manager; on a refusal the streams already changed are put back. */
    private void apply(JsonNode action, ObjectNode activation) throws Refusal {
        SessionManager sm = ApiCalls.sessions(host);
        Device d = Device.of(sm);
        Plan plan = plan(action, d);
        List<Runnable> undo = new ArrayList<>();
        try {
            for (Map.Entry<Integer, List<Integer>> e : plan.sourceMaps().entrySet()) {
                Source s = d.sources().get(e.getKey());
                sm.putSource(withMap(s, e.getValue()));
                undo.add(() -> restore(() -> sm.putSource(s)));
            }
            for (Map.Entry<Integer, List<Integer>> e : plan.sinkMaps().entrySet()) {
                Sink k = d.sinks().get(e.getKey());
                sm.putSink(new Sink(k.id(), k.name(), k.io(), k.useSdp(), k.source(), k.sdp(), k.delay(),
                        k.ignoreRefclkGmid(), e.getValue()));
                undo.add(() -> restore(() -> sm.putSink(k)));
            }
        } catch (SessionException ex) {
            undo.forEach(Runnable::run);
            throw new Refusal(ex.isClientError() ? 400 : 500, "activation refused: " + ex.getMessage());
        }
        action.fieldNames().forEachRemaining(out -> lastActivation.put(out, activation.deepCopy()));
        lastAny = activation.deepCopy();
        LOG.info("NMOS IS-08: map activated ({}): sources {}, sinks {}", activation.get("mode").asText(),
                plan.sourceMaps(), plan.sinkMaps());
        changed.run();
    }

    static Source withMap(Source s, List<Integer> map) {
        return new Source(s.id(), s.enabled(), s.name(), s.io(), s.maxSamplesPerPacket(), s.codec(), s.address(),
                s.ttl(), s.payloadType(), s.dscp(), s.refclkPtpTraceable(), map, s.sampleRate());
    }

    @FunctionalInterface
    private interface SessionCall {
        void run() throws SessionException;
    }

    private static void restore(SessionCall call) {
        try {
            call.run();
        } catch (SessionException e) {
            LOG.error("NMOS IS-08: cannot put a stream back after a refused activation: {}", e.getMessage());
        }
    }

    private void runScheduled(String id, Pending p, long target) {
        if (!NmosNode.parkUntilTai(host, target)) {
            return;
        }
        synchronized (this) {
            if (pending.get(id) != p) {
                return; // cancelled while we waited
            }
            pending.remove(id);
            ObjectNode a = p.activation.deepCopy();
            a.put("activation_time", Snapshot.version(NmosNode.tai(host.ptp())));
            try {
                apply(p.action, a);
            } catch (Refusal r) {
                // the streams changed since the POST: what was valid then is not now
                LOG.error("NMOS IS-08: scheduled activation {} not applied: {}", id, r.getMessage());
            }
        }
    }
}
