package org.aes67d.driver.userspace.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** PID {@code org.aes67d.driver}: the daemon.conf keys of the driver, plus the engine's own settings. */
@ObjectClassDefinition(name = "aes67d user-space driver",
        description = "AES67 RTP sources and sinks in the JVM, paced on PTP time")
public @interface DriverConfig {
    @AttributeDefinition(description = "network interface; a second name (comma-separated) carries the ST 2022-7 "
            + "secondary legs")
    String interface_name() default "lo";

    @AttributeDefinition(description = "address to send from, when it is one of the interface's addresses")
    String ip_addr() default "";

    @AttributeDefinition(description = "rate of the Audio Device, and default rate of new streams")
    int sample_rate() default 48000;

    @AttributeDefinition(description = "period of the Audio Device in frames: the latency of its loopback "
            + "binding (the engine itself wakes per packet)")
    int tic_frame_size_at_1fs() default 48;

    @AttributeDefinition(description = "largest packet in frames that a stream may use")
    int max_tic_frame_size() default 1024;

    @AttributeDefinition(description = "RTP port (sources use the port of their description)")
    int rtp_port() default 5004;

    @AttributeDefinition(description = "RTP port on the secondary network (ST 2022-7; streams carry their own)")
    int rtp_port_sec() default 5004;

    @AttributeDefinition(description = "folder that file: and pipe: streams must lie in")
    String media_dir() default "./media";

    @AttributeDefinition(description = "playback and capture channels of the Audio Device")
    int audio_device_channels() default 64;

    @AttributeDefinition(description = "what the Audio Device is bound to: null (playback silent, capture "
            + "discarded), loopback (capture channels are played back: sink n feeds source n), jack (the daemon's "
            + "JACK client: ports capture_N carry the sinks, playback_N feed the sources) or alsa:<pcm>")
    String audio_device_binding() default "null";

    @AttributeDefinition(description = "the pacing thread spins this many microseconds before a packet instead "
            + "of sleeping")
    int spin_us() default 50;

    @AttributeDefinition(description = "timer slack of the pacing thread in ns (prctl PR_SET_TIMERSLACK); 0 keeps "
            + "the kernel default of 50 us")
    int timer_slack_ns() default 1;

    @AttributeDefinition(description = "SCHED_FIFO priority of the pacing thread (the receiver gets one less; "
            + "1..99; 0 = normal scheduling), taken 3 s after start; needs root, CAP_SYS_NICE or an rtprio limit, "
            + "else normal scheduling is kept")
    int rt_priority() default 60;
}
