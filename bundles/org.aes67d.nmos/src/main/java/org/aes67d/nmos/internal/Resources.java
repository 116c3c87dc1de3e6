package org.aes67d.nmos.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.aes67d.api.ptp.PtpState;
import org.aes67d.api.ptp.PtpStatus;
import org.aes67d.api.session.Sink;
import org.aes67d.api.session.Source;
import org.aes67d.sdp.MediaDescription;
import org.aes67d.sdp.SdpParseException;
import org.aes67d.sdp.SdpParser;
import org.aes67d.sdp.SessionDescription;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds the IS-04 v1.3 resources of this node from the local sources and sinks: one node and one device; per
 * source an NMOS source, flow and sender; per sink a receiver. Ids are name-based UUIDs of the node name and the
 * stream id, so they survive restarts (controllers and registries remember them). Versions are not set here.
 */
final class Resources {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String API_VERSION = "v1.3";
    static final String CLOCK = "clk0";
    /** What a sink can play (the session bundle's playable encodings) at the rates AES67/RAVENNA use. */
    static final List<String> MEDIA_TYPES = List.of("audio/L16", "audio/L24", "audio/AM824");
    static final List<Integer> SAMPLE_RATES = List.of(44100, 48000, 88200, 96000, 176400, 192000, 352800, 384000);

    /** The resource types in registration order (parents first). */
    enum Type {
        NODE("node"), DEVICE("device"), SOURCE("source"), FLOW("flow"), SENDER("sender"), RECEIVER("receiver");

        final String word;

        Type(String word) {
            this.word = word;
        }

        /** The plural used in paths ({@code /senders}). */
        String plural() {
            return word + "s";
        }
    }

    /**
     * Who this node is and where its APIs answer. {@code secondary} is the ST 2022-7 second network interface
     * ({@code interface_name: "eth0,eth1"}), or null with one network.
     */
    record Identity(String name, String label, String host, int port, String interfaceName, String mac,
            Interface secondary) {
        Identity(String name, String label, String host, int port, String interfaceName, String mac) {
            this(name, label, host, port, interfaceName, mac, null);
        }

        /** The interfaces a stream's legs are bound to, primary first. */
        List<String> interfaceNames(int legs) {
            return legs > 1 && secondary != null ? List.of(interfaceName, secondary.name()) : List.of(interfaceName);
        }
    }

    /** A network interface of the node: its name, IPv4 address and MAC ({@code 00:1d:...}, or "" if it has none). */
    record Interface(String name, String host, String mac) {
    }

    Identity identity() {
        return identity;
    }

    /** All media blocks of an SDP (two for an ST 2022-7 one); empty when it has none or does not parse. */
    static List<MediaDescription> allMedia(String sdp) {
        if (sdp == null || sdp.isBlank()) {
            return List.of();
        }
        try {
            return SdpParser.parse(sdp).media();
        } catch (SdpParseException | RuntimeException e) {
            return List.of();
        }
    }

    /** A local source with its current SDP. */
    record LocalSource(Source source, String sdp) {
    }

    /** One resource without its version: compared between refreshes to decide whether the version moves. */
    record Resource(Type type, String id, ObjectNode body) {
    }

    private final Identity identity;
    private final String nodeId;
    private final String deviceId;

    Resources(Identity identity) {
        this.identity = identity;
        this.nodeId = uuid("node");
        this.deviceId = uuid("device");
    }

    String nodeId() {
        return nodeId;
    }

    String deviceId() {
        return deviceId;
    }

    String sourceId(int id) {
        return uuid("source/" + id);
    }

    String flowId(int id) {
        return uuid("flow/" + id);
    }

    String senderId(int id) {
        return uuid("sender/" + id);
    }

    String receiverId(int id) {
        return uuid("receiver/" + id);
    }

    private String uuid(String what) {
        return UUID.nameUUIDFromBytes(("aes67d-nmos/" + identity.name() + "/" + what).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    String apiBase() {
        return "http://" + hostForUrl(identity.host()) + ":" + identity.port();
    }

    static String hostForUrl(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    /**
     * All resources in registration order.
     *
     * @param activeReceiverSenders per sink id, the sender id its active IS-05 state names (absent = null)
     */
    List<Resource> build(List<LocalSource> sources, List<Sink> sinks, PtpStatus ptp,
            Map<Integer, String> activeReceiverSenders) {
        List<Resource> out = new ArrayList<>();
        out.add(new Resource(Type.NODE, nodeId, node(ptp)));
        out.add(new Resource(Type.DEVICE, deviceId, device(sources, sinks)));
        List<Resource> flows = new ArrayList<>();
        List<Resource> senders = new ArrayList<>();
        for (LocalSource s : sources) {
            MediaDescription m = media(s.sdp());
            out.add(new Resource(Type.SOURCE, sourceId(s.source().id()), source(s.source(), m)));
            flows.add(new Resource(Type.FLOW, flowId(s.source().id()), flow(s.source(), m)));
            senders.add(new Resource(Type.SENDER, senderId(s.source().id()), sender(s.source(),
                    allMedia(s.sdp()).size())));
        }
        out.addAll(flows);
        out.addAll(senders);
        for (Sink k : sinks) {
            out.add(new Resource(Type.RECEIVER, receiverId(k.id()), receiver(k, activeReceiverSenders.get(k.id()))));
        }
        return out;
    }

    /** The first audio block of an SDP, or null when it cannot be parsed (the flow then says what it can). */
    static MediaDescription media(String sdp) {
        if (sdp == null || sdp.isBlank()) {
            return null;
        }
        try {
            SessionDescription d = SdpParser.parse(sdp);
            return d.media().isEmpty() ? null : d.media().get(0);
        } catch (SdpParseException | RuntimeException e) {
            return null;
        }
    }

    private ObjectNode core(String id, String label, String description) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id);
        o.put("version", "0:0");
        o.put("label", label);
        o.put("description", description);
        o.putObject("tags");
        return o;
    }

    private ObjectNode node(PtpStatus ptp) {
        ObjectNode n = core(nodeId, identity.label(), "AES67 daemon " + identity.name());
        n.put("href", apiBase() + "/");
        ObjectNode api = n.putObject("api");
        api.putArray("versions").add(API_VERSION);
        ObjectNode ep = api.putArray("endpoints").addObject();
        ep.put("host", identity.host());
        ep.put("port", identity.port());
        ep.put("protocol", "http");
        ep.put("authorization", false);
        n.putObject("caps");
        n.putArray("services");
        ObjectNode clock = n.putArray("clocks").addObject();
        clock.put("name", CLOCK);
        clock.put("ref_type", "ptp");
        clock.put("traceable", false);
        clock.put("version", "IEEE1588-2008");
        clock.put("gmid", ptp.grandmasterId().toLowerCase(Locale.ROOT));
        clock.put("locked", ptp.state() == PtpState.LOCKED);
        ObjectNode iface = n.putArray("interfaces").addObject();
        iface.put("chassis_id", mac(identity.mac()));
        iface.put("port_id", mac(identity.mac()));
        iface.put("name", identity.interfaceName());
        if (identity.secondary() != null) {
            ObjectNode second = n.withArray("interfaces").addObject();
            String secondMac = identity.secondary().mac().isEmpty() ? identity.mac() : identity.secondary().mac();
            second.put("chassis_id", mac(identity.mac()));
            second.put("port_id", mac(secondMac));
            second.put("name", identity.secondary().name());
        }
        return n;
    }

    /** {@code 00:1d:c1:...} (daemon.conf) to the NMOS form {@code 00-1d-c1-...}. */
    static String mac(String mac) {
        String m = mac.toLowerCase(Locale.ROOT).replace(':', '-');
        return m.matches("([0-9a-f]{2}-){5}[0-9a-f]{2}") ? m : "00-00-00-00-00-00";
    }

    private ObjectNode device(List<LocalSource> sources, List<Sink> sinks) {
        ObjectNode d = core(deviceId, identity.label(), "AES67 audio device of " + identity.name());
        d.put("type", "urn:x-nmos:device:generic");
        d.put("node_id", nodeId);
        ArrayNode s = d.putArray("senders");
        sources.forEach(x -> s.add(senderId(x.source().id())));
        ArrayNode r = d.putArray("receivers");
        sinks.forEach(x -> r.add(receiverId(x.id())));
        ObjectNode control = d.putArray("controls").addObject();
        control.put("href", apiBase() + "/x-nmos/connection/" + ConnectionApi.VERSION + "/");
        control.put("type", "urn:x-nmos:control:sr-ctrl/" + ConnectionApi.VERSION);
        control.put("authorization", false);
        ObjectNode mapping = d.withArray("controls").addObject();
        mapping.put("href", apiBase() + ChannelMappingApi.PREFIX + ChannelMappingApi.VERSION + "/");
        mapping.put("type", "urn:x-nmos:control:cm-ctrl/" + ChannelMappingApi.VERSION);
        mapping.put("authorization", false);
        return d;
    }

    private ObjectNode source(Source src, MediaDescription m) {
        ObjectNode s = core(sourceId(src.id()), src.name(), "AES67 source " + src.id());
        s.putObject("caps");
        s.put("device_id", deviceId);
        s.putArray("parents");
        s.put("clock_name", CLOCK);
        s.put("format", "urn:x-nmos:format:audio");
        ArrayNode ch = s.putArray("channels");
        int n = m != null ? m.channels() : Math.max(1, src.map().size());
        for (int i = 0; i < n; i++) {
            ch.addObject().put("label", "Channel " + (i + 1));
        }
        return s;
    }

    private ObjectNode flow(Source src, MediaDescription m) {
        ObjectNode f = core(flowId(src.id()), src.name(), "AES67 flow of source " + src.id());
        f.put("source_id", sourceId(src.id()));
        f.put("device_id", deviceId);
        f.putArray("parents");
        f.put("format", "urn:x-nmos:format:audio");
        int rate = m != null ? m.sampleRate() : src.sampleRate() > 0 ? src.sampleRate() : 48000;
        f.putObject("sample_rate").put("numerator", rate);
        String encoding = m != null ? m.encoding() : src.codec().toUpperCase(Locale.ROOT);
        f.put("media_type", "audio/" + encoding);
        switch (encoding) {
            case "L16" -> f.put("bit_depth", 16);
            case "L24" -> f.put("bit_depth", 24);
            default -> { } // AM824 is a coded flow (IEC 61883-6 frames): no bit_depth
        }
        return f;
    }

    private ObjectNode sender(Source src, int legs) {
        ObjectNode s = core(senderId(src.id()), src.name(), "AES67 sender of source " + src.id());
        s.putObject("caps");
        s.put("flow_id", flowId(src.id()));
        s.put("transport", "urn:x-nmos:transport:rtp.mcast");
        s.put("device_id", deviceId);
        s.put("manifest_href", apiBase() + "/x-nmos/connection/" + ConnectionApi.VERSION + "/single/senders/"
                + senderId(src.id()) + "/transportfile");
        ArrayNode bindings = s.putArray("interface_bindings"); // one per leg of its SDP
        identity.interfaceNames(legs).forEach(bindings::add);
        ObjectNode sub = s.putObject("subscription");
        sub.putNull("receiver_id");
        sub.put("active", src.enabled());
        return s;
    }

    private ObjectNode receiver(Sink sink, String activeSender) {
        ObjectNode r = core(receiverId(sink.id()), sink.name(), "AES67 sink " + sink.id() + " (" + sink.io() + ")");
        r.put("device_id", deviceId);
        r.put("transport", "urn:x-nmos:transport:rtp");
        ArrayNode bindings = r.putArray("interface_bindings"); // both networks' legs on a redundant node
        identity.interfaceNames(2).forEach(bindings::add);
        ObjectNode sub = r.putObject("subscription");
        if (activeSender == null) {
            sub.putNull("sender_id");
        } else {
            sub.put("sender_id", activeSender);
        }
        sub.put("active", sink.useSdp() || !sink.source().isEmpty());
        r.put("format", "urn:x-nmos:format:audio");
        ObjectNode caps = r.putObject("caps");
        ArrayNode types = caps.putArray("media_types");
        MEDIA_TYPES.forEach(types::add);
        caps.set("constraint_sets", constraintSets(sink));
        return r;
    }

    /**
     * BCP-004-01: one constraint set per media type, each with the sample rates we play and the channel count the
     * sink's map fixes (a sink plays exactly as many channels as its map has entries); bit depth for linear PCM.
     */
    static ArrayNode constraintSets(Sink sink) {
        ArrayNode sets = JSON.createArrayNode();
        for (String type : MEDIA_TYPES) {
            ObjectNode set = sets.addObject();
            set.putObject("urn:x-nmos:cap:format:media_type").putArray("enum").add(type);
            ArrayNode rates = set.putObject("urn:x-nmos:cap:format:sample_rate").putArray("enum");
            SAMPLE_RATES.forEach(rate -> rates.addObject().put("numerator", rate));
            set.putObject("urn:x-nmos:cap:format:channel_count").putArray("enum").add(sink.map().size());
            switch (type) {
                case "audio/L16" -> set.putObject("urn:x-nmos:cap:format:sample_depth").putArray("enum").add(16);
                case "audio/L24" -> set.putObject("urn:x-nmos:cap:format:sample_depth").putArray("enum").add(24);
                default -> { }
            }
        }
        return sets;
    }

    /** The resources keyed by id within each type, for lookups by the APIs. */
    static Map<Type, Map<String, ObjectNode>> index(List<Resource> resources) {
        Map<Type, Map<String, ObjectNode>> byType = new LinkedHashMap<>();
        for (Type t : Type.values()) {
            byType.put(t, new LinkedHashMap<>());
        }
        resources.forEach(r -> byType.get(r.type()).put(r.id(), r.body()));
        return byType;
    }
}
