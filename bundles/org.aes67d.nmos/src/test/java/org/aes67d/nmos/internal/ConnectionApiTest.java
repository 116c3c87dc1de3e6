package org.aes67d.nmos.internal;

import static org.aes67d.nmos.internal.Schemas.check;
import static org.aes67d.nmos.internal.Schemas.is05;
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
import com.fasterxml.jackson.databind.node.ObjectNode;

/** IS-05 v1.1: every response validated against the AMWA schemas, activations reaching the session manager. */
class ConnectionApiTest {
    static final String BASE = "/x-nmos/connection/v1.1/";
    /** An SDP as a GStreamer RTP sender of the testbed announces it (L24, 2 channels, 1 ms). */
    static final String PEER_SDP = "v=0\no=- 1 1 IN IP4 10.15.0.2\ns=gst peer\nt=0 0\nm=audio 5004 RTP/AVP 97\n"
            + "c=IN IP4 239.15.9.9/32\na=source-filter: incl IN IP4 239.15.9.9 10.15.0.2\na=rtpmap:97 L24/48000/2\n"
            + "a=ptime:1\na=ts-refclk:ptp=IEEE1588-2008:00-1D-C1-FF-FE-12-34-56:0\na=mediaclk:direct=0\n";
    private Fixture f;
    private String sender;
    private String receiver;

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(new RegistryFinder(null), Duration.ofSeconds(5));
        f.sessions.putSource(MemorySessions.source(0, "out", "L24", 2));
        f.sessions.putSink(MemorySessions.sink(0, "in", 2));
        sender = f.node.resources().senderId(0);
        receiver = f.node.resources().receiverId(0);
        Fixture.await("receiver", () -> f.node.snapshot().of(Resources.Type.RECEIVER).size() == 1);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private static String receiverPatch(String sdp, boolean enable, String activation) {
        ObjectNode b = Resources.JSON.createObjectNode();
        b.put("sender_id", "5ba5a0ab-5f85-4d2b-9f4a-4a36b7a1f27e");
        b.put("master_enable", enable);
        ObjectNode tf = b.putObject("transport_file");
        tf.put("data", sdp);
        tf.put("type", "application/sdp");
        if (activation != null) {
            b.putObject("activation").put("mode", activation);
        }
        return b.toString();
    }

    @Test
    void everyEndpointAnswersWhatTheSchemasAllow() {
        check(is05("connectionapi-base.json"), f.get(BASE).json());
        check(is05("connectionapi-single.json"), f.get(BASE + "single/").json());
        check(is05("sender-receiver-base.json"), f.get(BASE + "single/senders/").json());
        check(is05("sender-receiver-base.json"), f.get(BASE + "single/receivers/").json());
        check(is05("connectionapi-sender.json"), f.get(BASE + "single/senders/" + sender + "/").json());
        check(is05("connectionapi-receiver.json"), f.get(BASE + "single/receivers/" + receiver + "/").json());
        for (String kind : List.of("senders/" + sender, "receivers/" + receiver)) {
            String schema = kind.startsWith("senders") ? "sender-response-schema.json" : "receiver-response-schema.json";
            check(is05("constraints-schema.json"), f.get(BASE + "single/" + kind + "/constraints").json());
            check(is05(schema), f.get(BASE + "single/" + kind + "/staged").json());
            check(is05(schema), f.get(BASE + "single/" + kind + "/active").json());
            check(is05("transporttype-response-schema.json"), f.get(BASE + "single/" + kind + "/transporttype").json());
        }
        Fixture.Reply tf = f.get(BASE + "single/senders/" + sender + "/transportfile");
        assertEquals(200, tf.status());
        assertTrue(tf.raw().headers().firstValue("Content-Type").orElse("").startsWith("application/sdp"));
        assertTrue(tf.text().contains("a=rtpmap:98 L24/48000/2"), tf.text());
        check(is05("connectionapi-bulk.json"), f.get(BASE + "bulk/").json());
    }

    @Test
    void aReceiverPatchedWithAnSdpBecomesTheSinkAndMasterEnableFalseStopsIt() {
        Fixture.Reply r = f.patch(BASE + "single/receivers/" + receiver + "/staged",
                receiverPatch(PEER_SDP, true, "activate_immediate"));
        assertEquals(200, r.status(), r.text());
        check(is05("receiver-response-schema.json"), r.json());
        assertEquals("activate_immediate", r.json().get("activation").get("mode").asText());
        assertEquals("239.15.9.9", r.json().get("transport_params").get(0).get("multicast_ip").asText());
        assertEquals("10.15.0.2", r.json().get("transport_params").get(0).get("source_ip").asText());
        Sink k = f.sessions.sinks().get(0);
        assertTrue(k.useSdp());
        assertEquals(PEER_SDP, k.sdp());
        assertEquals("file:sink0.wav", k.io()); // the sink keeps its output
        JsonNode active = f.get(BASE + "single/receivers/" + receiver + "/active").json();
        check(is05("receiver-response-schema.json"), active);
        assertEquals(PEER_SDP, active.get("transport_file").get("data").asText());
        assertTrue(f.get(BASE + "single/receivers/" + receiver + "/staged").json().get("activation").get("mode")
                .isNull());
        Fixture.await("IS-04 subscription", () -> f.get("/x-nmos/node/v1.3/receivers/" + receiver).json()
                .get("subscription").get("active").asBoolean());

        r = f.patch(BASE + "single/receivers/" + receiver + "/staged",
                "{\"master_enable\":false,\"activation\":{\"mode\":\"activate_immediate\"}}");
        assertEquals(200, r.status(), r.text());
        assertFalse(f.sessions.sinks().get(0).useSdp());
        assertFalse(f.get(BASE + "single/receivers/" + receiver + "/active").json().get("master_enable").asBoolean());
    }

    @Test
    void aReceiverActivatedWithOneOfOurSenderIdsPlaysThatSendersSdp() throws Exception {
        String staged = BASE + "single/receivers/" + receiver + "/staged";
        Fixture.Reply unknown = f.patch(staged, "{\"sender_id\":\"5ba5a0ab-5f85-4d2b-9f4a-4a36b7a1f27e\","
                + "\"master_enable\":true,\"activation\":{\"mode\":\"activate_immediate\"}}");
        assertEquals(400, unknown.status(), unknown.text());
        check(is05("error.json"), unknown.json());
        assertTrue(unknown.json().get("error").asText().contains("neither one of ours"), unknown.text());
        assertEquals(List.of(MemorySessions.sink(0, "in", 2)), f.sessions.sinks());

        Fixture.Reply r = f.patch(staged, "{\"sender_id\":\"" + sender + "\",\"master_enable\":true,"
                + "\"activation\":{\"mode\":\"activate_immediate\"}}");
        assertEquals(200, r.status(), r.text());
        check(is05("receiver-response-schema.json"), r.json());
        Sink k = f.sessions.sinks().get(0);
        assertTrue(k.useSdp());
        assertEquals(f.sessions.sourceSdp(0), k.sdp());
        JsonNode active = f.get(BASE + "single/receivers/" + receiver + "/active").json();
        assertEquals(sender, active.get("sender_id").asText());
        assertEquals("239.15.0.1", active.get("transport_params").get(0).get("multicast_ip").asText());
    }

    @Test
    void senderMasterEnableTogglesTheSource() {
        Fixture.Reply r = f.patch(BASE + "single/senders/" + sender + "/staged",
                "{\"master_enable\":false,\"activation\":{\"mode\":\"activate_immediate\"}}");
        assertEquals(200, r.status(), r.text());
        check(is05("sender-response-schema.json"), r.json());
        assertFalse(f.sessions.sources().get(0).enabled());
        r = f.patch(BASE + "single/senders/" + sender + "/staged",
                "{\"master_enable\":true,\"transport_params\":[{\"destination_ip\":\"239.15.1.1\"}],"
                        + "\"activation\":{\"mode\":\"activate_immediate\"}}");
        assertEquals(200, r.status(), r.text());
        assertTrue(f.sessions.sources().get(0).enabled());
        assertEquals("239.15.1.1", f.sessions.sources().get(0).address());
        assertTrue(f.get(BASE + "single/senders/" + sender + "/transportfile").text().contains("c=IN IP4 239.15.1.1"));
    }

    @Test
    void scheduledActivationWaitsForItsPtpTimeAndLocksTheStage() {
        long before = f.sessions.lastSinkPutNanos;
        Fixture.Reply r = f.patch(BASE + "single/receivers/" + receiver + "/staged",
                receiverPatch(PEER_SDP, true, null).replace("}}", "},\"activation\":{\"mode\":"
                        + "\"activate_scheduled_relative\",\"requested_time\":\"0:300000000\"}}"));
        assertEquals(202, r.status(), r.text());
        // while it is pending the stage is locked (2 s leave room for a stalled host before the check)
        Fixture.Reply locked = f.patch(BASE + "single/receivers/" + receiver + "/staged", "{\"master_enable\":false}");
        assertEquals(423, locked.status());
        check(is05("error.json"), locked.json());
        check(is05("receiver-response-schema.json"), r.json());
        long target = ConnectionApiTestSupport.tai(r.json().get("activation").get("activation_time").asText());
        Fixture.await("scheduled activation", () -> f.sessions.lastSinkPutNanos != before);
        long landed = f.clock.ptpTimeNanos(f.sessions.lastSinkPutNanos);
        assertTrue(landed >= target, "activated " + (target - landed) + " ns early");
        System.out.printf("scheduled activation landed %.3f ms after its PTP time%n", (landed - target) / 1e6);
        assertTrue(f.sessions.sinks().get(0).useSdp());
        Fixture.await("stage unlocked", () -> f.get(BASE + "single/receivers/" + receiver + "/staged").json()
                .get("activation").get("mode").isNull());
        JsonNode active = f.get(BASE + "single/receivers/" + receiver + "/active").json();
        assertEquals("activate_scheduled_relative", active.get("activation").get("mode").asText());

        // absolute, then cancelled: nothing happens
        long at = f.clock.now() + 60_000_000_000L;
        r = f.patch(BASE + "single/receivers/" + receiver + "/staged", "{\"master_enable\":false,\"activation\":"
                + "{\"mode\":\"activate_scheduled_absolute\",\"requested_time\":\"" + Snapshot.version(at) + "\"}}");
        assertEquals(202, r.status(), r.text());
        r = f.patch(BASE + "single/receivers/" + receiver + "/staged", "{\"activation\":{\"mode\":null}}");
        assertEquals(200, r.status(), r.text());
        check(is05("receiver-response-schema.json"), r.json());
        assertTrue(f.sessions.sinks().get(0).useSdp());
    }

    @Test
    void aScheduledSenderStartsItsStreamAtTheRequestedPtpTime() throws Exception {
        // a source disabled through the REST API: its legs stay rtp_enabled, master_enable alone turns it on
        Source s = f.sessions.sources().get(0);
        f.sessions.putSource(new Source(s.id(), false, s.name(), s.io(), s.maxSamplesPerPacket(), s.codec(),
                s.address(), s.ttl(), s.payloadType(), s.dscp(), s.refclkPtpTraceable(), s.map(), s.sampleRate()));
        String staged = BASE + "single/senders/" + sender + "/staged";
        JsonNode active = f.get(BASE + "single/senders/" + sender + "/active").json();
        assertFalse(active.get("master_enable").asBoolean());
        assertTrue(active.get("transport_params").get(0).get("rtp_enabled").asBoolean(), active.toString());
        Fixture.Reply r = f.patch(staged, "{\"master_enable\":false,\"activation\":{\"mode\":\"activate_immediate\"}}");
        assertEquals(200, r.status(), r.text());
        assertEquals(Long.MIN_VALUE, f.sessions.lastSourceStart, "an immediate activation starts now");
        long at = f.clock.now() + 300_000_000L;
        r = f.patch(staged, "{\"master_enable\":true,\"activation\":{\"mode\":\"activate_scheduled_absolute\","
                + "\"requested_time\":\"" + Snapshot.version(at) + "\"}}");
        assertEquals(202, r.status(), r.text());
        Fixture.await("scheduled sender activation", () -> f.sessions.sources().get(0).enabled());
        // the engine is told the requested time, so a late activation thread does not move the stream's timeline
        assertEquals(at, f.sessions.lastSourceStart);
    }

    @Test
    void aScheduledTimeAlreadyPastStartsTheSenderNow() {
        String staged = BASE + "single/senders/" + sender + "/staged";
        Fixture.Reply r = f.patch(staged, "{\"master_enable\":false,\"activation\":{\"mode\":\"activate_immediate\"}}");
        assertEquals(200, r.status(), r.text());
        f.sessions.lastSourceStart = 0;
        long past = f.clock.now() - 3_600_000_000_000L; // an hour ago: no hour of backlog, no skipped packets
        r = f.patch(staged, "{\"master_enable\":true,\"activation\":{\"mode\":\"activate_scheduled_absolute\","
                + "\"requested_time\":\"" + Snapshot.version(past) + "\"}}");
        assertEquals(202, r.status(), r.text());
        Fixture.await("past scheduled sender activation", () -> f.sessions.lastSourceStart != 0);
        assertEquals(Long.MIN_VALUE, f.sessions.lastSourceStart, "started now, as an immediate activation");
    }

    @Test
    void badRequestsAnswerTheSpecsErrorAndChangeNothing() {
        String staged = BASE + "single/receivers/" + receiver + "/staged";
        List<String> bad = List.of("not json", "[]", "{\"bogus\":1}", "{\"master_enable\":\"yes\"}",
                "{\"transport_params\":[{},{}]}", "{\"transport_params\":[{\"destination_port\":70000}]}",
                "{\"transport_params\":[{\"multicast_ip\":\"host.example\"}]}",
                "{\"transport_params\":[{\"interface_ip\":\"10.99.0.1\"}]}",
                "{\"transport_file\":{\"data\":\"garbage\",\"type\":\"application/sdp\"}}",
                "{\"transport_file\":{\"data\":\"v=0\",\"type\":null}}",
                "{\"activation\":{\"mode\":\"activate_scheduled_absolute\"}}",
                "{\"activation\":{\"mode\":\"sometime\"}}", "{\"sender_id\":\"nope\"}",
                "{\"master_enable\":true,\"activation\":{\"mode\":\"activate_immediate\"}}");
        JsonNode before = f.get(staged).json();
        for (String body : bad) {
            Fixture.Reply r = f.patch(staged, body);
            assertEquals(400, r.status(), body + " -> " + r.text());
            check(is05("error.json"), r.json());
        }
        assertEquals(before, f.get(staged).json());
        assertEquals(List.of(MemorySessions.sink(0, "in", 2)), f.sessions.sinks());
        Fixture.Reply missing = f.get(BASE + "single/receivers/00000000-0000-4000-8000-000000000000/staged");
        assertEquals(404, missing.status());
        check(is05("error.json"), missing.json());
        Fixture.Reply wrongMethod = f.post(staged, "{}");
        assertEquals(405, wrongMethod.status());
        check(is05("error.json"), wrongMethod.json());
    }

    @Test
    void bulkActivatesEachAndReportsEach() {
        String body = "[{\"id\":\"" + receiver + "\",\"params\":" + receiverPatch(PEER_SDP, true, "activate_immediate")
                + "},{\"id\":\"00000000-0000-4000-8000-000000000000\",\"params\":{\"master_enable\":true}}]";
        Fixture.Reply r = f.post(BASE + "bulk/receivers", body);
        assertEquals(200, r.status(), r.text());
        check(is05("bulk-response-schema.json"), r.json());
        assertEquals(200, r.json().get(0).get("code").asInt());
        assertEquals(404, r.json().get(1).get("code").asInt());
        assertTrue(f.sessions.sinks().get(0).useSdp());
        Fixture.Reply senders = f.post(BASE + "bulk/senders", "[{\"id\":\"" + sender
                + "\",\"params\":{\"master_enable\":false,\"activation\":{\"mode\":\"activate_immediate\"}}}]");
        check(is05("bulk-response-schema.json"), senders.json());
        assertFalse(f.sessions.sources().get(0).enabled());
    }
}
