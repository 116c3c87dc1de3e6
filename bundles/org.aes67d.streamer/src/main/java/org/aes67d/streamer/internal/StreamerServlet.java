package org.aes67d.streamer.internal;

import static org.aes67d.util.http.HttpAnswers.empty;
import static org.aes67d.util.http.HttpAnswers.text;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.aes67d.api.driver.SinkAudioTap;
import org.aes67d.api.ptp.PtpClock;
import org.aes67d.api.ptp.PtpState;
import org.aes67d.api.session.SessionManager;
import org.aes67d.api.session.Sink;
import org.aes67d.util.http.HttpAnswers;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /api/streamer/*} as the C++ daemon serves it: {@code info/{sink}}, {@code streamer/{sink}/{file}} (also
 * at {@code stream/{sink}/{file}}, the path of the C++ daemon's newer releases and its Android player) and the
 * live {@code stream/{sink}}; plus {@code status}, our own counters. While enabled it registers the sink audio tap;
 * a configuration change restarts it (and ends live streams), the sinks never notice.
 */
@Component(service = Servlet.class, configurationPid = "org.aes67d.streamer",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@HttpWhiteboardServletPattern("/api/streamer/*")
@Designate(ocd = StreamerConfig.class)
public final class StreamerServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(StreamerServlet.class);

    static final int OK = 0;
    static final int PTP_NOT_LOCKED = 1;
    static final int CHANNEL_NOT_CAPTURED = 2;
    static final int BUFFERING = 3;
    static final int NOT_ENABLED = 4;
    static final int INVALID_SINK = 5;
    static final int CANNOT_RETRIEVE_SINK = 6;
    /** What the C++ daemon reports; its Android player refuses anything else. */
    static final String FORMAT = "s16";

    private static final Pattern INFO = Pattern.compile("/info/(\\d+)");
    private static final Pattern FILE = Pattern.compile("/(?:streamer|stream)/(\\d{1,9})/(\\d{1,9})");
    private static final Pattern LIVE = Pattern.compile("/stream/(\\d{1,9})");
    private static final long LIVE_IDLE_MS = 5000;

    private final transient ObjectMapper json = new ObjectMapper();
    private final transient StreamerConfig config;
    private final transient StreamerCore core;
    private final String unavailable;
    private final transient ServiceRegistration<SinkAudioTap> tap;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SessionManager sessions;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PtpClock ptp;

    @Activate
    public StreamerServlet(BundleContext context, StreamerConfig config) {
        this.config = config;
        StreamerCore c = null;
        String why = null;
        if (config.streamer_enabled()) {
            try {
                Libav av = Libav.load();
                c = new StreamerCore(av, Math.max(1, config.streamer_files_num()),
                        Math.max(1, config.streamer_file_duration()));
                LOG.info("streamer: enabled, {} files of {} s per sink, AAC-LC by {}", config.streamer_files_num(),
                        config.streamer_file_duration(), av.version);
            } catch (Libav.UnavailableException | UnsatisfiedLinkError e) {
                why = e.getMessage();
                LOG.error("streamer: {}; the streamer serves nothing, the rest of the daemon is unaffected", why);
            }
        }
        this.core = c;
        this.unavailable = why;
        this.tap = c == null ? null : context.registerService(SinkAudioTap.class, c, null);
    }

    @Deactivate
    void deactivate() {
        if (tap != null) {
            tap.unregister();
        }
        if (core != null) {
            core.close();
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HttpAnswers.cppCors(resp); // filtered by the security bundle's origin policy
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        if (req.getMethod().equals("OPTIONS")) {
            empty(resp, 200);
            return;
        }
        if (!req.getMethod().equals("GET")) {
            notFound(resp);
            return;
        }
        Matcher m;
        if ((m = INFO.matcher(path)).matches()) {
            json(resp, info(m.group(1)));
        } else if ((m = FILE.matcher(path)).matches()) {
            file(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), resp);
        } else if ((m = LIVE.matcher(path)).matches()) {
            live(Integer.parseInt(m.group(1)), resp);
        } else if (path.equals("/status")) {
            json(resp, status());
        } else {
            notFound(resp);
        }
    }

    // ---------------------------------------------------------------- info

    /** The C++ daemon's answer: always 200, the outcome in {@code status}. */
    Map<String, Object> info(String idText) {
        Map<String, Object> m = new LinkedHashMap<>();
        int status = OK;
        Sink sink = null;
        Object captured = null;
        int id = idText.length() > 2 ? Integer.MAX_VALUE : Integer.parseInt(idText);
        if (core == null) {
            status = NOT_ENABLED;
        } else if (id >= StreamerCore.MAX_SINKS) {
            status = INVALID_SINK;
        } else if ((sink = sink(id)) == null) {
            status = CANNOT_RETRIEVE_SINK;
        } else {
            captured = core.sink(id);
            status = streamable(sink, captured);
        }
        SinkCapture c = captured instanceof SinkCapture x ? x : null;
        m.put("status", status);
        m.put("file_duration", config.streamer_file_duration());
        m.put("files_num", config.streamer_files_num());
        m.put("player_buffer_files_num", config.streamer_player_buffer_files_num());
        m.put("start_file_id", status == OK ? c.startId() : 0);
        m.put("current_file_id", status == OK ? c.currentId() : 0);
        m.put("channels", c != null ? c.channels : sink != null ? AacEncoder.streamedChannels(sink.map().size()) : 0);
        m.put("format", FORMAT);
        m.put("rate", c != null ? c.rate : 0);
        return m;
    }

    /** PTP not locked, channel not captured, buffering or ok, in the C++ daemon's order. */
    private int streamable(Sink sink, Object captured) {
        PtpClock clock = ptp;
        if (clock == null || clock.state() != PtpState.LOCKED) {
            return PTP_NOT_LOCKED;
        }
        for (int ch : sink.map()) {
            if (ch >= config.streamer_channels()) {
                return CHANNEL_NOT_CAPTURED;
            }
        }
        if (captured instanceof StreamerCore.Unsupported) {
            return CHANNEL_NOT_CAPTURED;
        }
        return captured instanceof SinkCapture c && c.ready() ? OK : BUFFERING;
    }

    private Sink sink(int id) {
        SessionManager sm = sessions;
        if (sm == null) {
            return null;
        }
        for (Sink s : sm.sinks()) {
            if (s.id() == id) {
                return s;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- files and live

    /** The capture of a sink that can be served now; otherwise the error answer has been sent. */
    private SinkCapture servable(int id, String context, HttpServletResponse resp) throws IOException {
        if (core == null) {
            if (unavailable != null) {
                text(resp, 500, context + id + " : (daemon) " + unavailable);
            } else {
                text(resp, 400, "streamer not enabled");
            }
            return null;
        }
        Sink sink = id < StreamerCore.MAX_SINKS ? sink(id) : null;
        if (sink == null) {
            text(resp, 400, "failed to retrieve sink " + id + " : (daemon) "
                    + (id < StreamerCore.MAX_SINKS ? "stream not in use" : "invalid stream id"));
            return null;
        }
        Object captured = core.sink(id);
        String reason = switch (streamable(sink, captured)) {
            case PTP_NOT_LOCKED -> "streamer not running (PTP not locked)";
            case CHANNEL_NOT_CAPTURED -> "channel is not captured";
            case BUFFERING -> "not enough samples buffered, retry later";
            default -> null;
        };
        if (reason != null) {
            text(resp, 400, context + id + " : (daemon) " + reason);
            return null;
        }
        return (SinkCapture) captured;
    }

    private void file(int id, int fileId, HttpServletResponse resp) throws IOException {
        SinkCapture c = servable(id, "failed to fetch stream ", resp);
        if (c == null) {
            return;
        }
        if (fileId >= c.filesNum) {
            text(resp, 400, "failed to fetch stream " + id + " : (daemon) invalid file id " + fileId + " (0.."
                    + (c.filesNum - 1) + ")");
            return;
        }
        int current = c.currentId();
        SinkCapture.File f = c.file(fileId);
        byte[] body = f == null ? new byte[0] : f.adts();
        resp.setStatus(200);
        resp.setContentType("audio/aac");
        resp.setHeader("X-File-Count", Long.toString(f == null ? 0 : f.count()));
        resp.setHeader("X-File-Current-Id", Integer.toString(current));
        resp.setHeader("X-File-Start-Id", Integer.toString((current + c.filesNum / 2) % c.filesNum));
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    /** Chunked ADTS until the client goes, the sink stops or the streamer restarts. */
    private void live(int id, HttpServletResponse resp) throws IOException {
        SinkCapture c = servable(id, "failed to init streamer ", resp);
        if (c == null) {
            return;
        }
        resp.setStatus(200);
        resp.setContentType("audio/aac");
        resp.setHeader("Cache-Control", "no-cache, no-store");
        OutputStream out = resp.getOutputStream();
        LiveClient client = c.listen();
        try {
            out.flush(); // the headers now: players wait for them before they buffer
            while (true) {
                byte[] f = client.next(LIVE_IDLE_MS);
                if (f == null || f.length == 0) {
                    return; // no audio for 5 s (the sink is silent or gone), or the end
                }
                out.write(f);
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away
        } finally {
            c.leave(client);
        }
    }

    // ---------------------------------------------------------------- our own counters

    private Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", config.streamer_enabled());
        m.put("encoder", core != null ? core.encoderVersion() : unavailable != null ? unavailable : "");
        List<Map<String, Object>> list = new ArrayList<>();
        if (core != null) {
            m.put("format_mismatches", core.formatMismatches());
            for (int i = 0; i < StreamerCore.MAX_SINKS; i++) {
                Object s = core.sink(i);
                Map<String, Object> e = new LinkedHashMap<>();
                if (s instanceof SinkCapture c) {
                    e.put("id", i);
                    e.put("rate", c.rate);
                    e.put("channels", c.channels);
                    e.put("bit_rate", AacEncoder.BITS_PER_CHANNEL * c.channels);
                    e.put("ready", c.ready());
                    e.put("current_file_id", c.currentId());
                    e.put("start_file_id", c.startId());
                    e.put("file_count", c.fileCount());
                    e.put("captured_frames", c.ring.written());
                    e.put("dropped_frames", c.ring.dropped());
                    e.put("discontinuities", c.ring.discontinuities());
                    e.put("encoded_frames", c.encodedFrames());
                    e.put("encoded_bytes", c.bytesEncoded());
                    e.put("bytes_held", c.bytesHeld());
                    e.put("listeners", c.listeners());
                    e.put("live_skips", c.liveSkips());
                    e.put("error", c.failure() == null ? "" : c.failure());
                    list.add(e);
                } else if (s instanceof StreamerCore.Unsupported u) {
                    e.put("id", i);
                    e.put("rate", u.rate());
                    e.put("channels", u.channels());
                    e.put("error", "AAC cannot carry this rate or channel count");
                    list.add(e);
                }
            }
        }
        m.put("sinks", list);
        return m;
    }

    // ---------------------------------------------------------------- answers

    private void json(HttpServletResponse resp, Object body) throws IOException {
        HttpAnswers.json(resp, json.writeValueAsBytes(body));
    }

    private static void notFound(HttpServletResponse resp) {
        empty(resp, 404);
    }
}
