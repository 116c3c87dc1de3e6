package org.aes67d.nmos.internal;

import static org.aes67d.nmos.internal.Schemas.check;
import static org.aes67d.nmos.internal.Schemas.is04;
import static org.aes67d.nmos.internal.Schemas.is05;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A node with two networks (ST 2022-7, {@code interface_name: "lo,sec0"}): its receivers have two legs, bound to
 * both interfaces; a DUP SDP fills both, a one-leg SDP disables the second, and disabling a leg makes the sink
 * join only the other. Every answer validated against the AMWA schemas.
 */
class RedundantReceiverTest {
    private static final String BASE = "/x-nmos/connection/v1.1/single/receivers/";
    /** RFC 7104 form, as the C++ daemon and we write it: one media block per leg, each with its c= line. */
    static final String DUP_SDP = "v=0\no=- 7 1 IN IP4 10.15.0.2\ns=dup peer\nt=0 0\na=group:DUP 1 2\n"
            + "m=audio 5004 RTP/AVP 97\nc=IN IP4 239.15.9.9/32\n"
            + "a=source-filter: incl IN IP4 239.15.9.9 10.15.0.2\na=rtpmap:97 L24/48000/2\na=ptime:1\na=mid:1\n"
            + "m=audio 5006 RTP/AVP 97\nc=IN IP4 239.16.9.9/32\n"
            + "a=source-filter: incl IN IP4 239.16.9.9 10.16.0.2\na=rtpmap:97 L24/48000/2\na=ptime:1\na=mid:2\n";
    private Fixture f;
    private String receiver;

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(new RegistryFinder(null), Duration.ofSeconds(5), null,
                new Resources.Interface("sec0", "10.16.0.1", "00:11:22:33:44:66"));
        f.sessions.putSink(MemorySessions.sink(0, "in", 2));
        receiver = f.node.resources().receiverId(0);
        Fixture.await("receiver", () -> f.node.snapshot().of(Resources.Type.RECEIVER).size() == 1);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private static String patch(String sdp) {
        ObjectNode b = Resources.JSON.createObjectNode();
        b.put("master_enable", true);
        ObjectNode tf = b.putObject("transport_file");
        tf.put("data", sdp);
        tf.put("type", "application/sdp");
        b.putObject("activation").put("mode", "activate_immediate");
        return b.toString();
    }

    @Test
    void theReceiverHasALegPerNetwork() {
        JsonNode r = f.get("/x-nmos/node/v1.3/receivers/" + receiver).json();
        check(is04("receiver_audio.json"), r);
        assertEquals("[\"lo\",\"sec0\"]", r.get("interface_bindings").toString());
        JsonNode node = f.get("/x-nmos/node/v1.3/self").json();
        check(is04("node.json"), node);
        assertEquals("sec0", node.get("interfaces").get(1).get("name").asText());
        assertEquals("00-11-22-33-44-66", node.get("interfaces").get(1).get("port_id").asText());
        JsonNode constraints = f.get(BASE + receiver + "/constraints").json();
        check(is05("constraints-schema.json"), constraints);
        assertEquals(2, constraints.size());
        assertEquals("10.16.0.1", constraints.get(1).get("interface_ip").get("enum").get(0).asText());
        JsonNode staged = f.get(BASE + receiver + "/staged").json();
        check(is05("receiver-response-schema.json"), staged);
        assertEquals(2, staged.get("transport_params").size());
        assertEquals("10.16.0.1", staged.get("transport_params").get(1).get("interface_ip").asText());
    }

    @Test
    void aDupSdpFillsBothLegsAndDisablingOneLeavesTheSinkTheOther() {
        Fixture.Reply r = f.patch(BASE + receiver + "/staged", patch(DUP_SDP));
        assertEquals(200, r.status(), r.text());
        check(is05("receiver-response-schema.json"), r.json());
        JsonNode legs = r.json().get("transport_params");
        assertEquals("239.15.9.9", legs.get(0).get("multicast_ip").asText());
        assertEquals("10.15.0.2", legs.get(0).get("source_ip").asText());
        assertEquals("239.16.9.9", legs.get(1).get("multicast_ip").asText());
        assertEquals("10.16.0.2", legs.get(1).get("source_ip").asText());
        assertEquals(5006, legs.get(1).get("destination_port").asInt());
        assertTrue(legs.get(1).get("rtp_enabled").asBoolean());
        assertEquals(DUP_SDP, f.sessions.sinks().get(0).sdp(), "both legs: the file as sent");
        JsonNode active = f.get(BASE + receiver + "/active").json();
        check(is05("receiver-response-schema.json"), active);
        assertEquals("239.16.9.9", active.get("transport_params").get(1).get("multicast_ip").asText());

        // the second network is taken out of service: the sink joins only the first leg
        ObjectNode b = Resources.JSON.createObjectNode();
        ArrayNode params = b.putArray("transport_params");
        params.addObject();
        params.addObject().put("rtp_enabled", false);
        b.putObject("activation").put("mode", "activate_immediate");
        r = f.patch(BASE + receiver + "/staged", b.toString());
        assertEquals(200, r.status(), r.text());
        String sdp = f.sessions.sinks().get(0).sdp();
        assertFalse(sdp.contains("a=group:DUP"), sdp);
        assertFalse(sdp.contains("239.16.9.9"), sdp);
        assertTrue(sdp.contains("m=audio 5004 RTP/AVP 97\nc=IN IP4 239.15.9.9/32\n"), sdp);
        JsonNode activeLegs = f.get(BASE + receiver + "/active").json().get("transport_params");
        assertFalse(activeLegs.get(1).get("rtp_enabled").asBoolean(), activeLegs.toString());
        assertTrue(activeLegs.get(0).get("rtp_enabled").asBoolean(), activeLegs.toString());
    }

    @Test
    void aOneLegSdpDisablesTheSecondLegAndTheLegCountIsFixed() {
        Fixture.Reply r = f.patch(BASE + receiver + "/staged", patch(ConnectionApiTest.PEER_SDP));
        assertEquals(200, r.status(), r.text());
        check(is05("receiver-response-schema.json"), r.json());
        assertFalse(r.json().get("transport_params").get(1).get("rtp_enabled").asBoolean());
        assertEquals(ConnectionApiTest.PEER_SDP, f.sessions.sinks().get(0).sdp());

        String before = f.get(BASE + receiver + "/staged").json().toString();
        r = f.patch(BASE + receiver + "/staged", "{\"transport_params\":[{\"destination_port\":5008}]}");
        assertEquals(400, r.status(), r.text());
        assertTrue(r.text().contains("2 leg"), r.text());
        assertEquals(before, f.get(BASE + receiver + "/staged").json().toString(), "nothing staged");
    }
}
