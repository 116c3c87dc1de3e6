package org.aes67d.nmos.internal;

import static org.aes67d.nmos.internal.Schemas.check;
import static org.aes67d.nmos.internal.Schemas.is04;
import static org.aes67d.nmos.internal.Schemas.is08;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.aes67d.api.session.Sink;
import org.aes67d.api.session.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * IS-08 v1.0 over the Audio Device's map fields: every response validated against the AMWA schemas, activations
 * reaching the session manager as new maps, bad actions refused with their reason and nothing changed.
 */
class ChannelMappingApiTest {
    static final String BASE = "/x-nmos/channelmapping/v1.0/";
    private Fixture f;

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(new RegistryFinder(null), Duration.ofSeconds(5));
        f.sessions.putSource(new Source(0, true, "device out", "Audio Device", 48, "L24", "239.15.0.1", 15, 98, 34,
                false, List.of(0, 1)));
        f.sessions.putSource(MemorySessions.source(1, "tone out", "L16", 2)); // not on the device: no output
        f.sessions.putSink(deviceSink(0, "device in", List.of(0, 1)));
        f.sessions.putSink(deviceSink(1, "mono in", List.of(4)));
        f.sessions.putSink(MemorySessions.sink(2, "recorder", 2)); // records to a file: no input
        Fixture.await("resources", () -> f.node.snapshot().of(Resources.Type.RECEIVER).size() == 3);
    }

    static Sink deviceSink(int id, String name, List<Integer> map) {
        return new Sink(id, name, "Audio Device", false, "", "", 480, false, map);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private static String post(String mode, String requested, String action) {
        return "{\"activation\":{\"mode\":\"" + mode + "\"" + (requested == null ? "" : ",\"requested_time\":\""
                + requested + "\"") + "},\"action\":" + action + "}";
    }

    private static String route(String input, int channel) {
        return "{\"input\":\"" + input + "\",\"channel_index\":" + channel + "}";
    }

    @Test
    void everyEndpointAnswersWhatTheSchemasAllow() {
        check(is08("base-schema.json"), f.get(BASE).json());
        JsonNode inputs = f.get(BASE + "inputs/").json();
        check(is08("inputs-outputs-base-schema.json"), inputs);
        assertEquals(List.of("device-playback/", "sink-0/", "sink-1/"), Resources.JSON.convertValue(inputs, List.class));
        JsonNode outputs = f.get(BASE + "outputs/").json();
        check(is08("inputs-outputs-base-schema.json"), outputs);
        assertEquals(List.of("source-0/", "device-capture/"), Resources.JSON.convertValue(outputs, List.class));
        for (JsonNode i : inputs) {
            String in = BASE + "inputs/" + i.asText();
            check(is08("input-base-schema.json"), f.get(in).json());
            check(is08("input-properties-schema.json"), f.get(in + "properties").json());
            check(is08("input-parent-response-schema.json"), f.get(in + "parent").json());
            check(is08("input-channels-response-schema.json"), f.get(in + "channels").json());
            check(is08("input-caps-response-schema.json"), f.get(in + "caps").json());
        }
        for (JsonNode o : outputs) {
            String out = BASE + "outputs/" + o.asText();
            check(is08("output-base-schema.json"), f.get(out).json());
            check(is08("output-properties-schema.json"), f.get(out + "properties").json());
            check(is08("output-sourceid-response-schema.json"), f.get(out + "sourceid").json());
            check(is08("output-channels-response-schema.json"), f.get(out + "channels").json());
            check(is08("output-caps-response-schema.json"), f.get(out + "caps").json());
            check(is08("map-active-output-response-schema.json"), f.get(BASE + "map/active/" + o.asText()).json());
        }
        assertEquals(f.node.resources().receiverId(1), f.get(BASE + "inputs/sink-1/parent").json().get("id").asText());
        assertEquals(f.node.resources().sourceId(0), f.get(BASE + "outputs/source-0/sourceid").json().asText());
        assertTrue(f.get(BASE + "outputs/device-capture/sourceid").json().isNull());
        assertEquals(1, f.get(BASE + "inputs/sink-1/channels").json().size());
        check(is08("io-response-schema.json"), f.get(BASE + "io").json());
        check(is08("map-base-schema.json"), f.get(BASE + "map/").json());
        JsonNode active = f.get(BASE + "map/active").json();
        check(is08("map-active-response-schema.json"), active);
        assertEquals(route("sink-1", 0), active.get("map").get("device-capture").get("4").toString());
        assertEquals(route("device-playback", 1), active.get("map").get("source-0").get("1").toString());
        check(is08("map-activations-get-response-schema.json"), f.get(BASE + "map/activations").json());
        assertEquals(200, f.get("/x-nmos/channelmapping/").status());

        // IS-04: the device advertises the API (IS-08: control type cm-ctrl)
        JsonNode device = f.get("/x-nmos/node/v1.3/devices").json().get(0);
        check(is04("device.json"), device);
        boolean advertised = false;
        for (JsonNode c : device.get("controls")) {
            advertised |= c.get("type").asText().equals("urn:x-nmos:control:cm-ctrl/v1.0")
                    && c.get("href").asText().endsWith(BASE);
        }
        assertTrue(advertised, device.toString());
    }

    @Test
    void anImmediateActivationChangesTheStreamsMaps() {
        Fixture.Reply r = f.post(BASE + "map/activations", post("activate_immediate", null,
                "{\"source-0\":{\"0\":" + route("device-playback", 5) + ",\"1\":" + route("device-playback", 7) + "}}"));
        assertEquals(200, r.status(), r.text());
        check(is08("map-activations-post-response-schema.json"), r.json());
        // the schemas spell the action key "action:" (IS-08 v1.0.1), so the entries are checked on their own
        check(is08("map-entries-schema.json"), r.json().elements().next().get("action"));
        JsonNode a = r.json().elements().next().get("activation");
        assertEquals("activate_immediate", a.get("mode").asText());
        assertFalse(a.get("activation_time").isNull());
        assertEquals(List.of(5, 7), f.sessions.sources().get(0).map());
        assertEquals(List.of(0, 1), f.sessions.sources().get(1).map()); // the tone source is not on the device

        // sink 0 channel 0 moves from capture 0 to 10 (0 unrouted in the same action); sink 1 to capture 0
        r = f.post(BASE + "map/activations", post("activate_immediate", null, "{\"device-capture\":{\"0\":"
                + route("sink-1", 0) + ",\"10\":" + route("sink-0", 0) + ",\"4\":{\"input\":null,\"channel_index\":"
                + "null}}}"));
        assertEquals(200, r.status(), r.text());
        assertEquals(List.of(10, 1), f.sessions.sinks().get(0).map());
        assertEquals(List.of(0), f.sessions.sinks().get(1).map());
        assertEquals("file:sink2.wav", f.sessions.sinks().get(2).io());
        JsonNode active = f.get(BASE + "map/active").json();
        check(is08("map-active-response-schema.json"), active);
        JsonNode capture = active.get("map").get("device-capture");
        assertEquals(route("sink-0", 0), capture.get("10").toString());
        assertEquals(route("sink-1", 0), capture.get("0").toString());
        assertTrue(capture.get("4").get("input").isNull());
        assertEquals("activate_immediate", active.get("activation").get("mode").asText());
        JsonNode one = f.get(BASE + "map/active/source-0").json();
        check(is08("map-active-output-response-schema.json"), one);
        assertEquals(route("device-playback", 7), one.get("map").get("source-0").get("1").toString());
    }

    @Test
    void aScheduledActivationWaitsForItsPtpTimeAndCanBeCancelled() {
        String action = "{\"source-0\":{\"0\":" + route("device-playback", 3) + "}}";
        Fixture.Reply r = f.post(BASE + "map/activations", post("activate_scheduled_relative", "0:300000000", action));
        assertEquals(202, r.status(), r.text());
        check(is08("map-activations-post-response-schema.json"), r.json());
        String id = r.json().fieldNames().next();
        long target = ConnectionApiTestSupport.tai(r.json().get(id).get("activation").get("activation_time").asText());
        Fixture.await("scheduled map", () -> f.sessions.sources().get(0).map().equals(List.of(3, 1)));
        long landed = f.clock.now();
        assertTrue(landed >= target, "activated " + (target - landed) + " ns early");
        Fixture.await("no longer pending", () -> f.get(BASE + "map/activations").json().isEmpty());
        assertEquals("activate_scheduled_relative",
                f.get(BASE + "map/active/source-0").json().get("activation").get("mode").asText());

        // absolute, one minute ahead, listed, then deleted: nothing happens
        long at = f.clock.now() + 60_000_000_000L;
        r = f.post(BASE + "map/activations", post("activate_scheduled_absolute", Snapshot.version(at),
                "{\"source-0\":{\"1\":" + route("device-playback", 9) + "}}"));
        assertEquals(202, r.status(), r.text());
        id = r.json().fieldNames().next();
        JsonNode list = f.get(BASE + "map/activations").json();
        check(is08("map-activations-get-response-schema.json"), list);
        assertTrue(list.has(id), list.toString());
        check(is08("map-entries-schema.json"), list.get(id).get("action"));
        JsonNode single = f.get(BASE + "map/activations/" + id).json();
        check(is08("map-activations-activation-get-response-schema.json"), single);
        assertEquals(Snapshot.version(at), single.get("activation").get("activation_time").asText());
        // another activation of the same output conflicts while this one is pending
        Fixture.Reply conflict = f.post(BASE + "map/activations", post("activate_immediate", null,
                "{\"source-0\":{\"1\":" + route("device-playback", 8) + "}}"));
        assertEquals(423, conflict.status(), conflict.text());
        check(is08("error.json"), conflict.json());
        assertEquals(204, f.delete(BASE + "map/activations/" + id).status());
        assertEquals(404, f.get(BASE + "map/activations/" + id).status());
        assertTrue(f.get(BASE + "map/activations").json().isEmpty());
        assertEquals(List.of(3, 1), f.sessions.sources().get(0).map());
    }

    @Test
    void badActivationsAnswer400WithTheReasonAndChangeNothing() {
        String unrouted = "{\"input\":null,\"channel_index\":null}";
        List<String> bad = List.of("not json", "[]", "{\"action\":{}}", "{\"activation\":{\"mode\":\"activate_immediate\"}}",
                post("activate_immediate", null, "{}"),
                post("soon", null, "{\"source-0\":{\"0\":" + route("device-playback", 1) + "}}"),
                post("activate_immediate", "0:1", "{\"source-0\":{\"0\":" + route("device-playback", 1) + "}}"),
                post("activate_scheduled_relative", null, "{\"source-0\":{\"0\":" + route("device-playback", 1) + "}}"),
                post("activate_immediate", null, "{\"source-9\":{\"0\":" + route("device-playback", 1) + "}}"),
                post("activate_immediate", null, "{\"source-1\":{\"0\":" + route("device-playback", 1) + "}}"),
                post("activate_immediate", null, "{\"source-0\":{\"01\":" + route("device-playback", 1) + "}}"),
                post("activate_immediate", null, "{\"source-0\":{\"2\":" + route("device-playback", 1) + "}}"),
                post("activate_immediate", null, "{\"source-0\":{\"0\":" + route("device-playback", 64) + "}}"),
                post("activate_immediate", null, "{\"source-0\":{\"0\":" + route("nowhere", 0) + "}}"),
                post("activate_immediate", null, "{\"source-0\":{\"0\":" + route("sink-0", 0) + "}}"),
                post("activate_immediate", null, "{\"source-0\":{\"0\":" + unrouted + "}}"),
                post("activate_immediate", null, "{\"source-0\":{\"0\":" + route("device-playback", 1) + "}}"),
                post("activate_immediate", null, "{\"source-0\":{\"0\":{\"input\":\"device-playback\","
                        + "\"channel_index\":\"3\"}}}"),
                post("activate_immediate", null, "{\"device-capture\":{\"0\":" + route("device-playback", 0) + "}}"),
                post("activate_immediate", null, "{\"device-capture\":{\"20\":" + route("sink-0", 0) + "}}"),
                post("activate_immediate", null, "{\"device-capture\":{\"1\":" + unrouted + "}}"),
                post("activate_immediate", null, "{\"device-capture\":{\"9\":" + route("sink-1", 1) + "}}"));
        JsonNode before = f.get(BASE + "map/active").json();
        List<Source> sources = f.sessions.sources();
        List<Sink> sinks = f.sessions.sinks();
        for (String body : bad) {
            Fixture.Reply r = f.post(BASE + "map/activations", body);
            assertEquals(400, r.status(), body + " -> " + r.text());
            check(is08("error.json"), r.json());
            assertFalse(r.json().get("error").asText().isBlank(), r.text());
        }
        assertEquals(before, f.get(BASE + "map/active").json());
        assertEquals(sources, f.sessions.sources());
        assertEquals(sinks, f.sessions.sinks());
        assertTrue(f.get(BASE + "map/activations").json().isEmpty());
        for (String path : List.of("inputs/sink-2/", "outputs/source-1/", "inputs/sink-0/sourceid", "map/active/x",
                "map/activations/7", "io/x", "v0.9/")) {
            Fixture.Reply r = f.get((path.startsWith("v0") ? "/x-nmos/channelmapping/" : BASE) + path);
            assertEquals(404, r.status(), path);
            check(is08("error.json"), r.json());
        }
        assertEquals(405, f.post(BASE + "map/active", "{}").status());
        assertEquals(405, f.delete(BASE + "map/activations").status());
    }
}
