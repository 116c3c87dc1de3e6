package org.aes67d.driver.userspace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.Map;

import org.aes67d.api.audio.AudioBackend;
import org.aes67d.api.driver.DriverException;
import org.aes67d.api.driver.StreamRejectedException;
import org.aes67d.api.session.SinkStatus;
import org.aes67d.audio.basic.internal.ToneBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DS component as SCR drives it: activate with a typed config, bind services, deactivate cleanly. */
class ComponentLifecycleTest {
    @TempDir
    Path media;

    private DriverConfig config() {
        String dir = media.toString();
        return new DriverConfig() {
            @Override public Class<? extends Annotation> annotationType() { return DriverConfig.class; }
            @Override public String interface_name() { return "lo"; }
            @Override public String ip_addr() { return ""; }
            @Override public int sample_rate() { return 48000; }
            @Override public int tic_frame_size_at_1fs() { return 48; }
            @Override public int max_tic_frame_size() { return 1024; }
            @Override public int rtp_port() { return 5004; }
            @Override public int rtp_port_sec() { return 5004; }
            @Override public String media_dir() { return dir; }
            @Override public int audio_device_channels() { return 64; }
            @Override public String audio_device_binding() { return "loopback"; }
            @Override public int spin_us() { return 50; }
            @Override public int timer_slack_ns() { return 1; }
            @Override public int rt_priority() { return 0; }
        };
    }

    private static boolean engineThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("aes67d-clock") || t.getName().equals("aes67d-rx"));
    }

    @Test
    void activateServeAndDeactivateLeaveNothingBehind() throws Exception {
        UserspaceDriver d = new UserspaceDriver();
        LockedClock clock = new LockedClock();
        d.setClock(clock);
        d.activate(config());
        ToneBackend tone = new ToneBackend();
        d.addBackend(tone, Map.of(AudioBackend.SCHEME, "tone"));
        d.startSource(Harness.stream(0, "239.69.30.1", 5060, "L24", 48000, 2, 48, 0, "tone:440"));
        d.startSink(Harness.stream(0, "239.69.30.1", 5060, "L24", 48000, 2, 48, 480, "Audio Device"));
        Harness.await(() -> d.sinkStatus(0).receivingRtpPacket(), 5, "the sink to receive the source");
        assertTrue(engineThreadsAlive());

        d.removeBackend(tone, Map.of(AudioBackend.SCHEME, "tone"));
        assertThrows(StreamRejectedException.class,
                () -> d.startSource(Harness.stream(1, "239.69.30.2", 5060, "L24", 48000, 2, 48, 0, "tone:440")));
        d.unsetClock(clock);

        d.deactivate();
        assertFalse(engineThreadsAlive(), "engine threads stopped on deactivate");
        assertEquals(SinkStatus.IDLE, d.sinkStatus(0));
        assertThrows(DriverException.class,
                () -> d.startSource(Harness.stream(0, "239.69.30.1", 5060, "L24", 48000, 2, 48, 0, "tone:440")));
        // the sink's socket is closed: the port can be bound again without SO_REUSEADDR
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            ch.bind(new InetSocketAddress("239.69.30.1", 5060));
        }
    }
}
