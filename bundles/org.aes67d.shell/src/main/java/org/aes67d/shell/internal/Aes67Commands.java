package org.aes67d.shell.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.aes67d.api.config.DaemonConfigService;
import org.aes67d.api.discovery.RemoteSource;
import org.aes67d.api.discovery.SourceBrowser;
import org.aes67d.api.ptp.PtpClock;
import org.aes67d.api.ptp.PtpStatus;
import org.aes67d.api.session.SessionException;
import org.aes67d.api.session.SessionManager;
import org.aes67d.api.session.Sink;
import org.aes67d.api.session.SinkStatus;
import org.aes67d.api.session.Source;
import org.aes67d.util.json.JsonShapeException;
import org.aes67d.util.json.StreamJson;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@code aes67:} commands of the Gogo shell. They read and change the daemon through the same services as
 * the REST API, so a change is validated, persisted and refused exactly as there, with the REST API's error texts
 * (a refused command throws {@link CommandFailure} with that text and changes nothing).
 */
@Component(service = Aes67Commands.class, property = {
    "osgi.command.scope=aes67",
    "osgi.command.function=status",
    "osgi.command.function=sources",
    "osgi.command.function=sinks",
    "osgi.command.function=ptp",
    "osgi.command.function=browse",
    "osgi.command.function=sdp",
    "osgi.command.function=add",
    "osgi.command.function=remove"
})
public final class Aes67Commands {
    private final ObjectMapper json = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SessionManager sessions;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PtpClock ptpClock;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DaemonConfigService config;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private final List<SourceBrowser> browsers = new CopyOnWriteArrayList<>();

    @Descriptor("node, interface, PTP state and stream counts")
    public String status() {
        StringBuilder out = new StringBuilder();
        DaemonConfigService c = config;
        if (c != null) {
            Map<String, Object> snapshot = c.snapshot();
            out.append("node       ").append(snapshot.get("node_id")).append('\n');
            out.append("interface  ").append(snapshot.get("interface_name")).append(" (")
                    .append(snapshot.get("ip_addr")).append(")\n");
        }
        PtpStatus ptp = ptpStatus();
        out.append("ptp        ").append(ptp.state().wireName()).append(", grandmaster ")
                .append(ptp.grandmasterId()).append('\n');
        SessionManager sm = sessions;
        if (sm == null) {
            out.append("streams    session manager not running\n");
        } else {
            out.append("streams    ").append(sm.sources().size()).append(" sources, ").append(sm.sinks().size())
                    .append(" sinks\n");
        }
        out.append("discovery  ");
        List<String> protocols = new ArrayList<>();
        for (SourceBrowser b : browsers) {
            protocols.add(b.protocol() + (b.active() ? "" : " (inactive)") + " " + b.remoteSources().size());
        }
        out.append(protocols.isEmpty() ? "none" : String.join(", ", protocols)).append('\n');
        return out.toString();
    }

    @Descriptor("the local sources, one line each")
    public String sources() {
        Table t = new Table("id", "name", "enabled", "codec", "frames", "address", "channels", "io");
        for (Source s : sessions().sources()) {
            t.row(s.id(), s.name(), s.enabled(), s.codec(), s.maxSamplesPerPacket(), s.address(), s.map().size(),
                    s.io());
        }
        return t.toString();
    }

    @Descriptor("the local sinks with their receive flags, one line each")
    public String sinks() {
        SessionManager sm = sessions();
        Table t = new Table("id", "name", "delay", "channels", "receiving", "muted", "errors", "io");
        for (Sink s : sm.sinks()) {
            String receiving = "?";
            String muted = "?";
            String errors = "?";
            try {
                SinkStatus st = sm.peekSinkStatus(s.id());
                receiving = Boolean.toString(st.receivingRtpPacket());
                muted = Boolean.toString(st.muted());
                errors = errorFlags(st);
            } catch (SessionException e) {
                // removed between the two calls: show it with unknown flags
            }
            t.row(s.id(), s.name(), s.delay(), s.map().size(), receiving, muted, errors, s.io());
        }
        return t.toString();
    }

    @Descriptor("PTP status as GET /api/ptp/status reports it")
    public String ptp() {
        PtpClock clock = ptpClock;
        PtpStatus s = ptpStatus();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("status", s.state().wireName());
        fields.put("gmid", s.grandmasterId());
        fields.put("jitter", s.jitter());
        if (clock != null) {
            fields.put("offset_ns", s.offsetNs());
            fields.put("path_delay_ns", s.pathDelayNs());
            clock.details().forEach(fields::putIfAbsent);
        }
        StringBuilder out = new StringBuilder();
        fields.forEach((k, v) -> out.append(String.format("%-16s %s%n", k, v)));
        return out.toString();
    }

    @Descriptor("remote sources of every discovery protocol")
    public String browse() {
        return browse("all");
    }

    @Descriptor("remote sources of one discovery protocol")
    public String browse(@Descriptor("all, sap, mdns (or another browser's protocol name)") String protocol) {
        Table t = new Table("source", "id", "name", "address", "last_seen");
        for (SourceBrowser b : browsers) {
            if (!protocol.equalsIgnoreCase("all") && !protocol.equalsIgnoreCase(b.protocol())) {
                continue;
            }
            for (RemoteSource r : b.remoteSources()) {
                t.row(r.protocol(), r.id(), r.name(), r.address(), r.lastSeenSeconds() + " s");
            }
        }
        return t.toString();
    }

    @Descriptor("the SDP of a local source")
    public String sdp(@Descriptor("source id") int id) {
        String context = "failed to get source " + id + " SDP";
        try {
            return sessions().sourceSdp(id);
        } catch (SessionException e) {
            throw new CommandFailure(context + " : (" + e.category() + ") " + e.getMessage());
        }
    }

    @Descriptor("add or update a source or sink from its REST JSON object (quote it: '{...}')")
    public String add(@Descriptor("source or sink") String kind, @Descriptor("stream id") int id,
            @Descriptor("the JSON object of PUT /api/source/{id} or /api/sink/{id}") String body) {
        String what = kind(kind);
        String context = "failed to add " + what + " " + id;
        SessionManager sm = sessions();
        try {
            Map<String, Object> object = parseObject(body);
            if (what.equals("source")) {
                sm.putSource(StreamJson.source(id, object));
            } else {
                sm.putSink(StreamJson.sink(id, object));
            }
        } catch (JsonShapeException e) {
            throw new CommandFailure(context + " : error parsing JSON : " + e.getMessage());
        } catch (SessionException e) {
            throw new CommandFailure(context + " : (" + e.category() + ") " + e.getMessage());
        }
        return what + " " + id + " added";
    }

    @Descriptor("remove a source or sink")
    public String remove(@Descriptor("source or sink") String kind, @Descriptor("stream id") int id) {
        String what = kind(kind);
        SessionManager sm = sessions();
        try {
            if (what.equals("source")) {
                sm.removeSource(id);
            } else {
                sm.removeSink(id);
            }
        } catch (SessionException e) {
            throw new CommandFailure(
                    "failed to remove " + what + " " + id + " : (" + e.category() + ") " + e.getMessage());
        }
        return what + " " + id + " removed";
    }

    private static String kind(String kind) {
        if (!kind.equals("source") && !kind.equals("sink")) {
            throw new CommandFailure("unknown kind '" + kind + "' : must be source or sink");
        }
        return kind;
    }

    private SessionManager sessions() {
        SessionManager sm = sessions;
        if (sm == null) {
            throw new CommandFailure("session manager not running : (daemon) sources and sinks are unavailable");
        }
        return sm;
    }

    private PtpStatus ptpStatus() {
        PtpClock clock = ptpClock;
        return clock == null ? PtpStatus.unlocked() : clock.status();
    }

    private static String errorFlags(SinkStatus s) {
        List<String> set = new ArrayList<>();
        if (s.seqIdError()) {
            set.add("seq");
        }
        if (s.ssrcError()) {
            set.add("ssrc");
        }
        if (s.payloadTypeError()) {
            set.add("pt");
        }
        if (s.sacError()) {
            set.add("sac");
        }
        return set.isEmpty() ? "-" : String.join(",", set);
    }

    /** The same reading of a body as the REST API's: one JSON object, no trailing tokens, no duplicate keys. */
    private Map<String, Object> parseObject(String body) throws JsonShapeException {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new JsonShapeException("expected a JSON object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = json.convertValue(node, LinkedHashMap.class);
            return map;
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new JsonShapeException(e.getOriginalMessage()
                    + (loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")"));
        }
    }
}
