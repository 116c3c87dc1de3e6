package org.aes67d.audio.alsa.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
 * {@code io: alsa:<pcm>[?format=..&period=..&periods=..]}: a source captures from the PCM, a sink plays to it.
 * Opening never fails on the device itself: a PCM that is missing, busy or refuses the format is an error in the
 * log and in {@link #status()}, and is retried until it opens (the stream meanwhile sends or takes silence). A
 * malformed io is refused ({@link IllegalArgumentException}: REST 400). A device's clock (capture, and playback
 * once the device shows it is paced) is measured against the PTP media clock and compensated by adaptive
 * resampling (see {@code RingBridge}, {@code PlaybackFeed}).
 */
@Component(service = {AudioBackend.class, AudioStatus.class, AlsaBackend.class}, property = AudioBackend.SCHEME + "=alsa",
        configurationPid = AlsaBackend.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AlsaBackend.Config.class)
public class AlsaBackend implements AudioBackend, AudioStatus {
    static final String PID = "org.aes67d.audio.alsa";

    @ObjectClassDefinition(name = "aes67d audio: ALSA", description = "streams to and from ALSA PCMs (io alsa:...)")
    public @interface Config {
        @AttributeDefinition(description = "period in frames, unless the io sets ?period= (the device may round it)")
        int period_frames() default 96;

        @AttributeDefinition(description = "periods in the device buffer, unless the io sets ?periods=")
        int periods() default 4;

        @AttributeDefinition(description = "audio kept between the device and the engine against scheduling "
                + "jitter, in ms (at least two periods)")
        int margin_ms() default 4;

        @AttributeDefinition(description = "how often a PCM that cannot open (or failed) is tried again, in ms")
        int retry_ms() default 1000;
    }

    private final Config config;
    private final Set<AlsaEndpoint> open = ConcurrentHashMap.newKeySet();

    /** The media clock a device's drift is measured against (absent: the local clock). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PtpClock ptp;

    @Activate
    public AlsaBackend(Config config) {
        this.config = config;
    }

    @Override
    public AudioInput openInput(String io, AudioFormat format) throws IOException {
        AlsaCapture in = new AlsaCapture(io, spec(io, format), format.channels(), format.sampleRate(),
                config.margin_ms(), config.retry_ms(), open::remove, this::mediaNanos);
        open.add(in);
        return in;
    }

    @Override
    public AudioOutput openOutput(String io, AudioFormat format) throws IOException {
        AlsaPlayback out = new AlsaPlayback(io, spec(io, format), format.channels(), format.sampleRate(),
                config.margin_ms(), config.retry_ms(), open::remove, this::mediaNanos);
        open.add(out);
        return out;
    }

    private AlsaSpec spec(String io, AudioFormat format) throws IOException {
        String unusable = AlsaLib.check();
        if (unusable != null) {
            throw new IOException(unusable);
        }
        if (format.channels() < 1 || format.channels() > 256) {
            throw new IllegalArgumentException("alsa: " + format.channels() + " channels (1..256)");
        }
        return AlsaSpec.parse(io, Math.max(AlsaSpec.MIN_PERIOD, Math.min(AlsaSpec.MAX_PERIOD,
                config.period_frames())), Math.max(2, config.periods()));
    }

    /** Any thread, allocation-free: the media clock at local time {@code localNanos}. */
    private long mediaNanos(long localNanos) {
        PtpClock c = ptp;
        return c != null ? c.ptpTimeNanos(localNanos) : localNanos;
    }

    /** The state of every open endpoint, for the status servlet and the console. */
    @Override
    public List<Map<String, Object>> endpoints() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (AlsaEndpoint e : open) {
            list.add(e.status.toMap());
        }
        list.sort((a, b) -> String.valueOf(a.get("io")).compareTo(String.valueOf(b.get("io"))));
        return list;
    }

    @Deactivate
    void deactivate() {
        for (AlsaEndpoint e : List.copyOf(open)) {
            e.close();
        }
    }
}
