package org.aes67d.nmos.internal;

import static org.aes67d.nmos.internal.Schemas.check;
import static org.aes67d.nmos.internal.Schemas.is04;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.aes67d.api.ptp.PtpState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The IS-04 Node API: every response validated against the AMWA schemas. */
class NodeApiTest {
    private Fixture f;

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(new RegistryFinder(null), Duration.ofSeconds(5));
        f.sessions.putSource(MemorySessions.source(0, "stereo", "L24", 2));
        f.sessions.putSource(MemorySessions.source(1, "eight", "L16", 8));
        f.sessions.putSource(MemorySessions.source(2, "aes3", "AM824", 2));
        f.sessions.putSink(MemorySessions.sink(0, "in", 2));
        Fixture.await("3 senders and 1 receiver", () -> f.node.snapshot().of(Resources.Type.SENDER).size() == 3
                && f.node.snapshot().of(Resources.Type.RECEIVER).size() == 1);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void everyEndpointAnswersWhatTheSchemasAllow() {
        Map<String, String> lists = Map.of("sources", "sources.json", "flows", "flows.json", "devices",
                "devices.json", "senders", "senders.json", "receivers", "receivers.json");
        Map<String, String> singles = Map.of("sources", "source.json", "flows", "flow.json", "devices", "device.json",
                "senders", "sender.json", "receivers", "receiver.json");
        check(is04("nodeapi-base.json"), f.get("/x-nmos/node/v1.3/").json());
        check(is04("node.json"), f.get("/x-nmos/node/v1.3/self").json());
        for (var e : lists.entrySet()) {
            Fixture.Reply list = f.get("/x-nmos/node/v1.3/" + e.getKey() + "/");
            assertEquals(200, list.status());
            check(is04(e.getValue()), list.json());
            assertTrue(list.json().size() > 0, e.getKey());
            for (JsonNode r : list.json()) {
                Fixture.Reply one = f.get("/x-nmos/node/v1.3/" + e.getKey() + "/" + r.get("id").asText());
                assertEquals(200, one.status());
                assertEquals(r, one.json());
                check(is04(singles.get(e.getKey())), one.json());
            }
        }
        Fixture.Reply missing = f.get("/x-nmos/node/v1.3/senders/00000000-0000-4000-8000-000000000000");
        assertEquals(404, missing.status());
        check(is04("error.json"), missing.json());
        assertEquals(404, f.get("/x-nmos/node/v9.9/").status());
        check(is04("error.json"), f.get("/x-nmos/node/v9.9/").json());
    }

    @Test
    void receiversCarryBcp00401ConstraintSets() {
        JsonNode receivers = f.get("/x-nmos/node/v1.3/receivers").json();
        for (JsonNode r : receivers) {
            check("bcp-004-01/APIs/schemas/receiver_constraint_sets.json", r);
            JsonNode sets = r.get("caps").get("constraint_sets");
            assertEquals(3, sets.size());
            for (JsonNode set : sets) {
                check("bcp-004-01/APIs/schemas/constraint_set.json", set);
                assertEquals(2, set.get("urn:x-nmos:cap:format:channel_count").get("enum").get(0).asInt());
            }
        }
    }

    @Test
    void flowsDescribeTheStreams() {
        JsonNode flows = f.get("/x-nmos/node/v1.3/flows").json();
        Map<String, String> byLabel = new java.util.HashMap<>();
        for (JsonNode fl : flows) {
            byLabel.put(fl.get("label").asText(), fl.get("media_type").asText() + "/" + fl.path("bit_depth").asInt()
                    + "/" + fl.get("sample_rate").get("numerator").asInt());
        }
        assertEquals(Map.of("stereo", "audio/L24/24/48000", "eight", "audio/L16/16/48000", "aes3",
                "audio/AM824/0/48000"), byLabel);
        JsonNode sources = f.get("/x-nmos/node/v1.3/sources").json();
        for (JsonNode s : sources) {
            assertEquals(s.get("label").asText().equals("eight") ? 8 : 2, s.get("channels").size());
        }
    }

    @Test
    void clocksFollowPtpAndVersionsMoveOnlyOnChange() {
        JsonNode self = f.get("/x-nmos/node/v1.3/self").json();
        JsonNode clock = self.get("clocks").get(0);
        assertEquals("00-1d-c1-ff-fe-12-34-56", clock.get("gmid").asText());
        assertTrue(clock.get("locked").asBoolean());
        assertEquals("00-11-22-33-44-55", self.get("interfaces").get(0).get("port_id").asText());
        String version = self.get("version").asText();
        String deviceVersion = f.get("/x-nmos/node/v1.3/devices").json().get(0).get("version").asText();
        f.clock.state = PtpState.UNLOCKED;
        Fixture.await("unlocked clock", () -> !f.get("/x-nmos/node/v1.3/self").json().get("clocks").get(0)
                .get("locked").asBoolean());
        JsonNode after = f.get("/x-nmos/node/v1.3/self").json();
        check(is04("node.json"), after);
        assertNotEquals(version, after.get("version").asText());
        assertEquals(deviceVersion, f.get("/x-nmos/node/v1.3/devices").json().get(0).get("version").asText());
    }
}
