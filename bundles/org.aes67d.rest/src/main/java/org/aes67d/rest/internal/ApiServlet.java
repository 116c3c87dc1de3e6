package org.aes67d.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.aes67d.api.config.DaemonConfigService;
import org.aes67d.api.config.InvalidConfigException;
import org.aes67d.api.config.OperatorOnlyException;
import org.aes67d.api.ptp.PtpClock;
import org.aes67d.api.ptp.PtpStatus;
import org.aes67d.api.discovery.RemoteSource;
import org.aes67d.api.discovery.SourceBrowser;
import org.aes67d.api.session.SessionException;
import org.aes67d.api.session.SessionManager;
import org.aes67d.api.session.SinkStatus;
import org.aes67d.api.session.Source;
import org.aes67d.util.http.HttpAnswers;
import org.aes67d.util.json.JsonShapeException;
import org.aes67d.util.json.StreamJson;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The {@code /api} tree, with the paths, JSON shapes, status codes and error bodies of the C++ daemon.
 * Errors are {@code text/plain}; unknown paths are 404 with an empty body.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/*")
public final class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
    /** Far above any legitimate request body (a full config is about 1.5 KB). */
    static final int MAX_BODY = 64 * 1024;

    private final transient ObjectMapper json = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** Immutable, and its printer is copied per write: one for all answers, not one per request. */
    private final transient ObjectWriter cppWriter = json.writer(CppJson.printer());
    private final transient DaemonConfigService config;
    private final String version;
    /**
     * The last {@code GET /sources} answer and the sources it shows. Clients poll it and sources rarely change, so
     * the answer is reused while they are equal: building it was two fifths of the garbage of such a request, and
     * under a request flood that garbage is what made the collector fall behind (docs/performance.md).
     */
    private final transient AtomicReference<Answer> lastSourcesAnswer = new AtomicReference<>();

    private record Answer(List<Source> sources, byte[] body) {
    }

    /** Paths with a stream id; a non-numeric or negative id does not match and is a 404. */
    private static final Pattern STREAM_PATH =
            Pattern.compile("/(source|sink|source/sdp|sink/status)/(\\d{1,9})");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PtpClock ptpClock;

    /** Optional so that the API keeps answering while the session bundle is being updated. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SessionManager sessions;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private final List<SourceBrowser> browsers = new CopyOnWriteArrayList<>();

    @Activate
    public ApiServlet(BundleContext context, @Reference DaemonConfigService config) {
        this.config = config;
        String v = context.getProperty("aes67d.version");
        this.version = v != null ? v : context.getBundle().getVersion().toString();
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HttpAnswers.cppCors(resp); // filtered by the security bundle's origin policy
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        String method = req.getMethod();
        try {
            if (method.equals("OPTIONS")) {
                resp.setStatus(200);
                resp.setContentLength(0);
                return;
            }
            route(method, path, req, resp);
        } catch (BadRequest e) {
            text(resp, e.status, e.getMessage());
        } catch (Unavailable e) {
            text(resp, 503, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("{} /api{} failed", method, path, e);
            text(resp, 500, "internal error : (daemon) " + e.getMessage());
        }
    }

    private void route(String method, String path, HttpServletRequest req, HttpServletResponse resp)
            throws IOException, BadRequest, Unavailable {
        switch (method + " " + path) {
            case "GET /version" -> json(resp, Map.of("version", version));
            case "GET /config" -> json(resp, configWithLiveState());
            case "POST /config" -> {
                Map<String, Object> changes = readObject(req);
                updateConfig(changes, req, "failed to update config");
                ok(resp);
            }
            case "GET /ptp/config" -> json(resp, ptpConfig());
            case "POST /ptp/config" -> {
                Map<String, Object> body = readObject(req);
                Map<String, Object> changes = new LinkedHashMap<>();
                for (var e : body.entrySet()) {
                    switch (e.getKey()) {
                        case "domain" -> changes.put("ptp_domain", e.getValue());
                        case "dscp" -> changes.put("ptp_dscp", e.getValue());
                        default -> throw new BadRequest("error parsing JSON : unknown key '" + e.getKey() + "'");
                    }
                }
                updateConfig(changes, req, "failed to set PTP config");
                ok(resp);
            }
            case "GET /ptp/status" -> json(resp, ptpStatus());
            case "GET /sources" -> HttpAnswers.json(resp, sourcesAnswer());
            case "GET /sinks" -> json(resp, Map.of("sinks", sinksJson()));
            case "GET /streams" -> {
                Map<String, Object> both = new LinkedHashMap<>();
                both.put("sources", sourcesJson());
                both.put("sinks", sinksJson());
                json(resp, both);
            }
            case "GET /browse/sources/all" -> json(resp, Map.of("remote_sources", remoteSources(null)));
            case "GET /browse/sources/sap" -> json(resp, Map.of("remote_sources", remoteSources("SAP")));
            case "GET /browse/sources/mdns" -> json(resp, Map.of("remote_sources", remoteSources("mDNS")));
            case "GET /browse/sources/nmos" -> json(resp, Map.of("remote_sources", remoteSources("NMOS")));
            default -> {
                Matcher m = STREAM_PATH.matcher(path);
                if (m.matches()) {
                    stream(method, m.group(1), Integer.parseInt(m.group(2)), req, resp);
                } else {
                    notFound(resp);
                }
            }
        }
    }

    /** PUT/DELETE /source/N and /sink/N, GET /source/sdp/N and /sink/status/N. */
    private void stream(String method, String kind, int id, HttpServletRequest req, HttpServletResponse resp)
            throws IOException, BadRequest, Unavailable {
        SessionManager sm = sessions();
        String what = kind.startsWith("source") ? "source" : "sink";
        String context = switch (method + " " + kind) {
            case "PUT source", "PUT sink" -> "failed to add " + what + " " + id;
            case "DELETE source", "DELETE sink" -> "failed to remove " + what + " " + id;
            case "GET source/sdp" -> "failed to get source " + id + " SDP";
            case "GET sink/status" -> "failed to get sink " + id + " status";
            default -> null;
        };
        if (context == null) {
            notFound(resp);
            return;
        }
        try {
            switch (method + " " + kind) {
                case "PUT source" -> sm.putSource(StreamJson.source(id, readObject(req)));
                case "PUT sink" -> sm.putSink(StreamJson.sink(id, readObject(req)));
                case "DELETE source" -> sm.removeSource(id);
                case "DELETE sink" -> sm.removeSink(id);
                case "GET source/sdp" -> {
                    byte[] sdp = sm.sourceSdp(id).getBytes(StandardCharsets.UTF_8);
                    resp.setStatus(200);
                    resp.setContentType("application/sdp");
                    resp.setContentLength(sdp.length);
                    resp.getOutputStream().write(sdp);
                    return;
                }
                default -> {
                    json(resp, sinkStatusJson(sm.sinkStatus(id)));
                    return;
                }
            }
            ok(resp);
        } catch (JsonShapeException e) {
            throw new BadRequest(context + " : error parsing JSON : " + e.getMessage());
        } catch (BadRequest e) {
            throw new BadRequest(context + " : " + e.getMessage());
        } catch (SessionException e) {
            if (!e.isClientError()) {
                LOG.error("{}: {}", context, e.getMessage());
                text(resp, 500, context + " : (" + e.category() + ") " + e.getMessage());
                return;
            }
            throw new BadRequest(context + " : (" + e.category() + ") " + e.getMessage());
        }
    }

    private SessionManager sessions() throws Unavailable {
        SessionManager sm = sessions;
        if (sm == null) {
            throw new Unavailable("session manager not running : (daemon) sources and sinks are unavailable");
        }
        return sm;
    }

    private byte[] sourcesAnswer() throws Unavailable, IOException {
        List<Source> sources = sessions().sources();
        Answer last = lastSourcesAnswer.get();
        if (last != null && last.sources().equals(sources)) {
            return last.body();
        }
        byte[] body = cppWriter.writeValueAsBytes(Map.of("sources", sourcesJson(sources)));
        lastSourcesAnswer.set(new Answer(sources, body));
        return body;
    }

    private List<Map<String, Object>> sourcesJson() throws Unavailable {
        return sourcesJson(sessions().sources());
    }

    private static List<Map<String, Object>> sourcesJson(List<Source> sources) {
        List<Map<String, Object>> out = new ArrayList<>();
        sources.forEach(s -> out.add(StreamJson.source(s, s.address())));
        return out;
    }

    private List<Map<String, Object>> sinksJson() throws Unavailable {
        List<Map<String, Object>> out = new ArrayList<>();
        sessions().sinks().forEach(s -> out.add(StreamJson.sink(s)));
        return out;
    }

    private static Map<String, Object> sinkStatusJson(SinkStatus s) {
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("rtp_seq_id_error", s.seqIdError());
        flags.put("rtp_ssrc_error", s.ssrcError());
        flags.put("rtp_payload_type_error", s.payloadTypeError());
        flags.put("rtp_sac_error", s.sacError());
        flags.put("receiving_rtp_packet", s.receivingRtpPacket());
        flags.put("some_muted", s.someMuted());
        flags.put("all_muted", s.allMuted());
        flags.put("muted", s.muted());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sink_flags", flags);
        out.put("sink_min_time", s.minTime());
        if (!s.verifier().isEmpty()) {
            out.put("verifier", s.verifier()); // ours, next to the C++ daemon's fields (docs/streams.md)
        }
        if (!s.legs().isEmpty()) {
            out.put("legs", s.legs()); // ours: the ST 2022-7 legs (docs/redundancy.md)
        }
        return out;
    }

    /** Every registered browser's sources, or those of one protocol. */
    private List<Map<String, Object>> remoteSources(String protocol) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SourceBrowser b : browsers) {
            if (protocol != null && !protocol.equals(b.protocol())) {
                continue;
            }
            for (RemoteSource r : b.remoteSources()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("source", r.protocol());
                m.put("id", r.id());
                m.put("name", r.name());
                m.put("domain", r.domain());
                m.put("address", r.address());
                m.put("sdp", r.sdp());
                m.put("last_seen", r.lastSeenSeconds());
                m.put("announce_period", r.announcePeriodSeconds());
                out.add(m);
            }
        }
        return out;
    }

    private static void notFound(HttpServletResponse resp) {
        resp.setStatus(404);
        resp.setContentLength(0);
    }

    /** The config, with {@code mdns_enabled} telling whether mDNS really runs, as the C++ daemon reports it. */
    private Map<String, Object> configWithLiveState() {
        Map<String, Object> out = CppJson.configOrder(config.snapshot());
        boolean mdnsRunning = browsers.stream().anyMatch(b -> "mDNS".equals(b.protocol()) && b.active());
        out.put("mdns_enabled", Boolean.TRUE.equals(out.get("mdns_enabled")) && mdnsRunning);
        return out;
    }

    private Map<String, Object> ptpConfig() {
        Map<String, Object> snapshot = config.snapshot();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("domain", snapshot.get("ptp_domain"));
        out.put("dscp", snapshot.get("ptp_dscp"));
        return out;
    }

    private Map<String, Object> ptpStatus() {
        PtpClock clock = ptpClock;
        PtpStatus s = clock == null ? PtpStatus.unlocked() : clock.status();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", s.state().wireName());
        out.put("gmid", s.grandmasterId());
        out.put("jitter", s.jitter());
        if (clock != null) {
            out.put("offset_ns", s.offsetNs());
            out.put("path_delay_ns", s.pathDelayNs());
            clock.details().forEach(out::putIfAbsent); // port_state, offset_rms_ns, gm_* ... (docs/ptp.md)
        }
        return out;
    }

    private void updateConfig(Map<String, Object> changes, HttpServletRequest req, String context)
            throws BadRequest {
        try {
            // the security bundle names the user of a request whose credentials it checked
            config.update(changes, req.getRemoteUser() != null);
        } catch (OperatorOnlyException e) {
            throw new BadRequest(403, context + " : (daemon) " + e.getMessage());
        } catch (InvalidConfigException e) {
            throw new BadRequest(context + " : (daemon) " + e.getMessage());
        }
    }

    /** The request body as a JSON object; anything else is a 400 naming the problem. */
    Map<String, Object> readObject(HttpServletRequest req) throws IOException, BadRequest {
        byte[] body;
        try (InputStream in = req.getInputStream()) {
            body = in.readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            // broken framing (a bad chunk size) or a client gone: its fault, a 400, never a 500 with a stack trace
            throw new BadRequest("error parsing JSON : cannot read the body : " + e.getMessage());
        }
        if (body.length > MAX_BODY) {
            throw new BadRequest("error parsing JSON : body larger than " + MAX_BODY + " bytes");
        }
        return parseObject(json, body);
    }

    static Map<String, Object> parseObject(ObjectMapper json, byte[] body) throws BadRequest {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new BadRequest("error parsing JSON : expected a JSON object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = json.convertValue(node, LinkedHashMap.class);
            return map;
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new BadRequest("error parsing JSON : " + e.getOriginalMessage()
                    + (loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new BadRequest("error parsing JSON : " + e.getMessage());
        }
    }

    private void json(HttpServletResponse resp, Object value) throws IOException {
        HttpAnswers.json(resp, cppWriter.writeValueAsBytes(value));
    }

    private static void ok(HttpServletResponse resp) {
        HttpAnswers.empty(resp, 200);
    }

    private static void text(HttpServletResponse resp, int status, String message) throws IOException {
        HttpAnswers.text(resp, status, message);
    }

    /** A service the request needs is not running (a bundle is being updated); the message is the body. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    /** A client error; the message is the response body. */
    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        BadRequest(String message) {
            this(400, message);
        }

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
