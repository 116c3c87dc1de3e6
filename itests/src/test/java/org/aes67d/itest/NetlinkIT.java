package org.aes67d.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * The netlink driver bundle in the runtime's bundle set. This kernel has no module, so "auto" keeps the user-space
 * driver and says why; with the simulated module as its transport, REST calls reach the module's protocol and its
 * replies come back through REST, while our PTP clock and the user-space engine stand down.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NetlinkIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String PTP = "org.aes67d.ptp.internal.PtpSlave";
    private static final String USERSPACE = "org.aes67d.driver.userspace.internal.UserspaceDriver";

    @Inject
    private ServiceComponentRuntime scr;
    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() throws Exception {
        return new RuntimeIT().config();
    }

    private Http http() {
        return new Http(Integer.getInteger("aes67d.itest.port"));
    }

    private static String compact(HttpResponse<String> r) {
        return r.body().replace(" ", "").replace("\n", "");
    }

    private boolean enabled(String component) {
        ComponentDescriptionDTO d = scr.getComponentDescriptionDTOs().stream().filter(x -> x.name.equals(component))
                .findFirst().orElse(null);
        assertNotNull(component, d);
        return scr.isComponentEnabled(d);
    }

    @Test
    public void withoutTheModuleAutoRunsTheUserSpaceDriverAndSaysWhyThenTheSimulatedModuleTakesOver()
            throws Exception {
        Http http = http();
        // the driver choice follows configuration asynchronously: wait for the state, not just an answer
        HttpResponse<String> status = http.getUntil("/api/driver", r -> r.statusCode() == 200
                && compact(r).contains("\"mode\":\"auto\"") && compact(r).contains("kernelmodulenotloaded"), TIMEOUT);
        String s = compact(status);
        assertTrue(s, s.contains("\"driver\":\"userspace\"") && s.contains("\"mode\":\"auto\""));
        assertTrue(s, s.contains("kernelmodulenotloaded(socket(AF_NETLINK,SOCK_RAW,31)failed:Protocolnotsupported"));
        assertTrue(enabled(PTP));
        assertTrue(enabled(USERSPACE));
        // no CORS header by default (docs/security.md): a new path is under the same policy as the others
        assertEquals("", status.headers().firstValue("Access-Control-Allow-Origin").orElse(""));

        // the simulated module as transport: "auto" now finds a module that answers Hello
        var transport = configAdmin.getConfiguration("org.aes67d.netlink.transport", "?");
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("transport", "simulated");
        transport.update(p);
        try {
            s = compact(http.getUntil("/api/driver", r -> compact(r).contains("\"connected\":true"), TIMEOUT));
            assertTrue(s, s.contains("\"driver\":\"netlink\"") && s.contains("\"abi\":2"));
            assertTrue("our PTP clock stands down", Poll.until(() -> !enabled(PTP), TIMEOUT));
            assertTrue("the user-space engine stands down", Poll.until(() -> !enabled(USERSPACE), TIMEOUT));

            // PTP status is the module's (the simulated one reports the C++ fake driver's grandmaster)
            String ptp = compact(http.getUntil("/api/ptp/status", r -> compact(r).contains("AB-AB-AB-AB"), TIMEOUT));
            assertTrue(ptp, ptp.contains("\"status\":\"unlocked\"") && ptp.contains("\"gmid\":\"AB-AB-AB-AB-AB-AB-AB-AB\""));

            String source = StreamsIT.source("to module", "L24", 48);
            assertEquals(200, http.send("PUT", "/api/source/0", source, null).statusCode());
            int port = Integer.getInteger("aes67d.itest.port");
            String sink = StreamsIT.sinkFromUrl("from module", "http://127.0.0.1:" + port + "/api/source/sdp/0");
            HttpResponse<String> put = http.send("PUT", "/api/sink/0", sink, null);
            assertEquals(put.body(), 200, put.statusCode());
            assertTrue(compact(http.get("/api/driver")).contains("\"streams\":2"));
            // the sink's status comes from the module's GetRTPStreamStatus reply
            String st = compact(http.get("/api/sink/status/0"));
            assertTrue(st, st.contains("\"receiving_rtp_packet\":true"));

            // the module refuses 48 samples x 12 channels x 3 bytes (> 1460): -401, the C++ daemon's 400
            String big = source.replace("\"name\": \"to module\"", "\"name\": \"too big\"")
                    .replace("[0, 1]", "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]");
            HttpResponse<String> refused = http.send("PUT", "/api/source/1", big, null);
            assertEquals(refused.body(), 400, refused.statusCode());
            assertEquals("failed to add source 1 : (driver) command failed", refused.body());
            assertFalse(http.get("/api/sources").body().contains("too big"));

            assertEquals(200, http.send("DELETE", "/api/sink/0", null, null).statusCode());
            assertEquals(200, http.send("DELETE", "/api/source/0", null, null).statusCode());
            assertTrue(compact(http.get("/api/driver")).contains("\"streams\":0"));
        } finally {
            transport.delete();
        }
        // back to the kernel transport: no module, so the user-space driver and our PTP run again
        s = compact(http.getUntil("/api/driver", r -> compact(r).contains("\"driver\":\"userspace\""), TIMEOUT));
        assertTrue(s, s.contains("\"driver\":\"userspace\""));
        assertTrue(Poll.until(() -> enabled(PTP) && enabled(USERSPACE), TIMEOUT));
    }

    @Test
    public void autoFollowsTheModuleComingAndGoingAndTheStreamsFollowIt() throws Exception {
        Http http = http();
        http.getUntil("/api/driver", r -> r.statusCode() == 200, TIMEOUT);
        // the simulated module, "unloaded" at first; short periods so the test does not wait for the defaults
        var transport = configAdmin.getConfiguration("org.aes67d.netlink.transport", "?");
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("transport", "simulated");
        p.put("simulated.loaded", false);
        p.put("netlink.probe.ms", 300);
        p.put("netlink.fallback.ms", 1500);
        p.put("netlink.poll.ms", 300);
        transport.update(p);
        try {
            // the silent simulated module, not the kernel's "not loaded" of the test before
            String s = compact(http.getUntil("/api/driver", r -> compact(r).contains("kernelmodulenotused(Hello:")
                    && compact(r).contains("\"driver\":\"userspace\""), TIMEOUT));
            assertTrue(s, s.contains("\"mode\":\"auto\""));
            assertTrue(Poll.until(() -> enabled(PTP) && enabled(USERSPACE), TIMEOUT));
            assertEquals(200, http.send("PUT", "/api/source/3", StreamsIT.source("follows", "L24", 48), null)
                    .statusCode());

            // "insmod": auto finds it at runtime and the running source moves to it
            p.put("simulated.loaded", true);
            transport.update(p);
            s = compact(http.getUntil("/api/driver", r -> compact(r).contains("\"streams\":1")
                    && compact(r).contains("thekernelmoduleappeared"), TIMEOUT));
            assertTrue(s, s.contains("\"driver\":\"netlink\""));
            assertTrue(Poll.until(() -> !enabled(PTP) && !enabled(USERSPACE), TIMEOUT));

            // "rmmod": silent past netlink_fallback_ms, the user-space driver takes over with the same source
            p.put("simulated.loaded", false);
            transport.update(p);
            s = compact(http.getUntil("/api/driver", r -> compact(r).contains("\"driver\":\"userspace\"")
                    && compact(r).contains("thekernelmodulewentaway"), TIMEOUT));
            assertTrue(s, s.contains("\"mode\":\"auto\""));
            assertTrue(Poll.until(() -> enabled(PTP) && enabled(USERSPACE), TIMEOUT));
            assertTrue(http.get("/api/sources").body().contains("follows"));
            assertTrue(compact(http.get("/api/source/sdp/3")).contains("m=audio"));

            // and back again: the source is in the module once more
            p.put("simulated.loaded", true);
            transport.update(p);
            s = compact(http.getUntil("/api/driver", r -> compact(r).contains("\"streams\":1"), TIMEOUT));
            assertTrue(s, s.contains("\"driver\":\"netlink\""));
            assertEquals(200, http.send("DELETE", "/api/source/3", null, null).statusCode());
            assertTrue(compact(http.getUntil("/api/driver", r -> compact(r).contains("\"streams\":0"), TIMEOUT))
                    .contains("\"streams\":0"));
        } finally {
            http.send("DELETE", "/api/source/3", null, null);
            transport.delete();
        }
        assertTrue(compact(http.getUntil("/api/driver", r -> compact(r).contains("\"driver\":\"userspace\""),
                TIMEOUT)).contains("\"driver\":\"userspace\""));
        assertTrue(Poll.until(() -> enabled(PTP) && enabled(USERSPACE), TIMEOUT));
    }

    @Test
    public void driverNetlinkWithoutTheModuleGivesClearErrorsUntilItComes() throws Exception {
        Http http = http();
        http.getUntil("/api/driver", r -> r.statusCode() == 200, TIMEOUT);
        assertEquals(200, http.post("/api/config", "{\"driver\": \"netlink\"}").statusCode());
        try {
            String s = compact(http.getUntil("/api/driver", r -> compact(r).contains("\"driver\":\"netlink\"")
                    && compact(r).contains("kernelmodulenotloaded"), TIMEOUT));
            assertTrue(s, s.contains("\"driver\":\"netlink\"") && s.contains("\"mode\":\"netlink\"")
                    && s.contains("\"connected\":false"));
            assertTrue(Poll.until(() -> !enabled(PTP) && !enabled(USERSPACE), TIMEOUT));
            HttpResponse<String> r = http.send("PUT", "/api/source/5", StreamsIT.source("away", "L24", 48), null);
            assertEquals(r.body(), 500, r.statusCode());
            assertEquals("failed to add source 5 : (daemon) failed to send command to driver", r.body());
            assertTrue(compact(http.get("/api/ptp/status")).contains("\"status\":\"unlocked\""));
        } finally {
            assertEquals(200, http.post("/api/config", "{\"driver\": \"auto\"}").statusCode());
        }
        assertTrue(Poll.until(() -> enabled(PTP) && enabled(USERSPACE), TIMEOUT));
        assertTrue(compact(http.get("/api/driver")).contains("\"driver\":\"userspace\""));
    }
}
