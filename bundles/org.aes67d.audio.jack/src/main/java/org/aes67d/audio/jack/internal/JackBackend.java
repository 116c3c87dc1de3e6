package org.aes67d.audio.jack.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.aes67d.api.audio.AudioBackend;
import org.aes67d.api.audio.AudioFormat;
import org.aes67d.api.audio.AudioInput;
import org.aes67d.api.audio.AudioOutput;
import org.aes67d.api.audio.AudioStatus;
import org.aes67d.api.ptp.PtpClock;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@code io: jack:<prefix>[?connect=<port name prefix>]}: the stream gets JACK ports {@code <prefix>_1..N} on the
 * daemon's client (input ports for a source, output ports for a sink); {@code connect} links port i to the i-th
 * other port whose full name starts with it (e.g. {@code system:capture_}); the Audio Device's ports
 * ({@code capture}, {@code playback}) take it from the configuration instead. No JACK server is not an error of
 * the request: the stream runs silent, the status says why, and the client connects when a server appears.
 */
@Component(service = {AudioBackend.class, AudioStatus.class, JackBackend.class}, property = AudioBackend.SCHEME + "=jack",
        configurationPid = JackBackend.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = JackBackend.Config.class)
public class JackBackend implements AudioBackend, AudioStatus {
    static final String PID = "org.aes67d.audio.jack";
    /** Port prefixes of the Audio Device's binding (driver.userspace opens jack:capture and jack:playback). */
    static final String DEVICE_CAPTURE = "capture";
    static final String DEVICE_PLAYBACK = "playback";
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.\\- ]{1,64}");

    @ObjectClassDefinition(name = "aes67d audio: JACK", description = "streams to and from JACK ports (io jack:...)")
    public @interface Config {
        @AttributeDefinition(description = "name of the daemon's JACK client (JACK appends a number if it is taken)")
        String client_name() default "aes67d";

        @AttributeDefinition(description = "JACK server to connect to (\"\" = the default server)")
        String server_name() default "";

        @AttributeDefinition(description = "audio kept between the JACK cycle and the engine against scheduling "
                + "jitter, in ms (at least two JACK periods)")
        int margin_ms() default 4;

        @AttributeDefinition(description = "how often a missing JACK server is tried again, in ms")
        int retry_ms() default 1000;

        @AttributeDefinition(description = "ports capture_N (the Audio Device's capture, what the sinks receive) "
                + "are connected to the JACK input ports with this name prefix, e.g. system:playback_")
        String device_capture_connect() default "";

        @AttributeDefinition(description = "ports playback_N (the Audio Device's playback, what the sources send) "
                + "are connected from the JACK output ports with this name prefix, e.g. system:capture_")
        String device_playback_connect() default "";
    }

    private final Config config;
    private final JackClient client;

    /** The media clock the JACK graph's drift is measured against (absent: the local clock). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PtpClock ptp;

    @Activate
    public JackBackend(Config config) {
        this.config = config;
        this.client = new JackClient(config.client_name().isBlank() ? "aes67d" : config.client_name().trim(),
                config.server_name().trim(), config.retry_ms(), this::mediaNanos);
    }

    /** Any thread, allocation-free: the media clock at local time {@code localNanos}. */
    private long mediaNanos(long localNanos) {
        PtpClock c = ptp;
        return c != null ? c.ptpTimeNanos(localNanos) : localNanos;
    }

    @Override
    public AudioInput openInput(String io, AudioFormat format) {
        return open(io, format, true);
    }

    @Override
    public AudioOutput openOutput(String io, AudioFormat format) {
        return open(io, format, false);
    }

    private JackStream open(String io, AudioFormat format, boolean input) {
        String rest = io.startsWith("jack:") ? io.substring(5) : io;
        int q = rest.indexOf('?');
        String prefix = (q < 0 ? rest : rest.substring(0, q)).trim();
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("expected jack:<port prefix>[?connect=<port name prefix>], the prefix "
                    + "1..64 of A-Z a-z 0-9 _ . - and space, e.g. jack:mic");
        }
        String connect = "";
        if (q >= 0) {
            String option = rest.substring(q + 1);
            if (!option.startsWith("connect=") || option.length() == 8) {
                throw new IllegalArgumentException("jack option \"" + option + "\" (connect=<port name prefix>)");
            }
            connect = option.substring(8);
        } else if (prefix.equals(DEVICE_CAPTURE) && !input) {
            connect = config.device_capture_connect().trim();
        } else if (prefix.equals(DEVICE_PLAYBACK) && input) {
            connect = config.device_playback_connect().trim();
        }
        if (format.channels() < 1 || format.channels() > 256) {
            throw new IllegalArgumentException("jack: " + format.channels() + " channels (1..256)");
        }
        int target = Math.max(2 * client.bufferSize(), format.sampleRate() * Math.max(1, config.margin_ms()) / 1000);
        JackStream s = new JackStream(client, io, prefix, input, format.channels(), format.sampleRate(), target,
                connect);
        client.add(s);
        return s;
    }

    /** The client and every stream's ports, for the status servlet. */
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client_name", client.name());
        m.put("active", client.active());
        m.put("sample_rate", client.rate());
        m.put("buffer_size", client.bufferSize());
        m.put("server_xruns", client.serverXruns());
        m.put("error", client.error());
        m.put("endpoints", endpoints());
        return m;
    }

    /** Every stream's ports, with the client's name in front of the io. */
    @Override
    public List<Map<String, Object>> endpoints() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (JackStream s : client.streams()) {
            Map<String, Object> e = s.status.toMap();
            e.put("jack_client", client.name());
            list.add(e);
        }
        return list;
    }

    JackClient client() {
        return client;
    }

    @Deactivate
    void deactivate() {
        client.close();
    }
}
