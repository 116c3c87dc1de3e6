package org.aes67d.driver.userspace.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.aes67d.api.audio.AudioBackend;
import org.aes67d.api.driver.Driver;
import org.aes67d.api.driver.DriverException;
import org.aes67d.api.driver.SinkArrivals;
import org.aes67d.api.driver.SinkAudioTap;
import org.aes67d.api.driver.SourceCounters;
import org.aes67d.api.driver.StreamDescription;
import org.aes67d.api.driver.StreamLevels;
import org.aes67d.api.health.Liveness;
import org.aes67d.api.ptp.PtpClock;
import org.aes67d.api.session.SinkStatus;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default Driver: AES67 in user space. A configuration change restarts the component; the session manager
 * then hands every stream to the new instance (it does so whenever a Driver appears).
 */
@Component(service = {Driver.class, Liveness.class}, configurationPid = "org.aes67d.driver",
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {"aes67d.driver=userspace", Liveness.NAME + "=engine"})
@Designate(ocd = DriverConfig.class)
public class UserspaceDriver implements Driver, Liveness {
    private static final Logger LOG = LoggerFactory.getLogger(UserspaceDriver.class);

    private final Map<String, AudioBackend> backends = new ConcurrentHashMap<>();
    private final SinkTaps taps = new SinkTaps();
    private volatile PtpClock clock;
    private volatile EngineDriver driver;
    private volatile DeviceBinding deviceBinding;

    @Activate
    void activate(DriverConfig config) throws IOException {
        String binding = config.audio_device_binding().trim();
        boolean bound = !binding.equals("null") && !binding.equals("loopback") && DeviceBinding.check(binding) == null;
        if (!binding.equals("null") && !binding.equals("loopback") && !bound) {
            LOG.warn("audio_device_binding \"{}\" unknown ({}): using null", binding, DeviceBinding.check(binding));
        }
        Engine.Settings settings = new Engine.Settings(config.sample_rate(),
                Math.max(64, config.audio_device_channels()), binding.equals("loopback"),
                Math.max(1, config.tic_frame_size_at_1fs()),
                TimeUnit.MICROSECONDS.toNanos(Math.max(0, config.spin_us())), Math.max(0, config.timer_slack_ns()),
                Math.max(0, config.rt_priority()));
        Net net = Net.of(config.interface_name(), config.ip_addr());
        Engine engine = new Engine(settings, clock);
        Net secondary = Net.secondaryOf(config.interface_name());
        EngineDriver d = new EngineDriver(engine, net, Path.of(config.media_dir()),
                Math.max(1, config.max_tic_frame_size()), backends::get, taps).withSecondary(secondary);
        engine.start();
        driver = d;
        engine.setClock(clock); // a clock bound between the two reads above must not be lost
        if (bound) {
            deviceBinding = new DeviceBinding(engine, binding, backends::get,
                    Math.max(1, config.tic_frame_size_at_1fs()), Math.max(0, config.rt_priority()));
        }
        LOG.info("user-space driver on {}{}: Audio Device {} ch at {} Hz, binding {}", net,
                secondary == null ? "" : " and " + secondary + " (ST 2022-7)", settings.deviceChannels(),
                settings.deviceRate(), binding);
    }

    /** The systemd watchdog's view: the clock and receiver threads' loop counts. */
    @Override
    public long[] progress() {
        EngineDriver d = driver;
        return d == null ? new long[0] : d.engine().progress();
    }

    @Deactivate
    void deactivate() {
        DeviceBinding b = deviceBinding;
        deviceBinding = null;
        if (b != null) {
            b.close();
        }
        EngineDriver d = driver;
        driver = null;
        if (d != null) {
            d.close();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setClock(PtpClock c) {
        clock = c;
        EngineDriver d = driver;
        if (d != null) {
            d.setClock(c);
        }
    }

    void unsetClock(PtpClock c) {
        if (clock == c) {
            clock = null;
            EngineDriver d = driver;
            if (d != null) {
                d.setClock(null);
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addBackend(AudioBackend b, Map<String, Object> props) {
        for (String scheme : schemes(props)) {
            backends.put(scheme, b);
        }
    }

    void removeBackend(AudioBackend b, Map<String, Object> props) {
        for (String scheme : schemes(props)) {
            backends.remove(scheme, b);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTap(SinkAudioTap t) {
        taps.add(t);
    }

    void removeTap(SinkAudioTap t) {
        taps.remove(t);
    }

    private static String[] schemes(Map<String, Object> props) {
        Object v = props.get(AudioBackend.SCHEME);
        if (v instanceof String) {
            return new String[] {(String) v};
        }
        if (v instanceof String[]) {
            return (String[]) v;
        }
        return new String[0];
    }

    private EngineDriver driver() throws DriverException {
        EngineDriver d = driver;
        if (d == null) {
            throw new DriverException("user-space driver is stopping", null);
        }
        return d;
    }

    @Override
    public void startSource(StreamDescription source) throws DriverException {
        startSource(source, SourceStream.UNSET);
    }

    @Override
    public void startSource(StreamDescription source, long startPtpNanos) throws DriverException {
        driver().startSource(source, startPtpNanos);
        LOG.info("source {} started{}: {} {}ch {} Hz {} frames -> {}:{}{} from {}", source.id(),
                startPtpNanos == SourceStream.UNSET ? "" : " at PTP " + startPtpNanos + " ns", source.codec(),
                source.channels(), source.sampleRate(), source.framesPerPacket(), source.address(), source.port(),
                legText(source), source.io());
    }

    @Override
    public void stopSource(int id) {
        EngineDriver d = driver;
        if (d != null) {
            d.stopSource(id);
        }
    }

    @Override
    public void startSink(StreamDescription sink) throws DriverException {
        driver().startSink(sink);
        LOG.info("sink {} started: {} {}ch {} Hz from {}:{}{} delay {} -> {}", sink.id(), sink.codec(),
                sink.channels(), sink.sampleRate(), sink.address(), sink.port(), legText(sink), sink.delay(),
                sink.io());
    }

    /** The second leg for the start-up log line ("" with one leg). */
    private String legText(StreamDescription d) {
        EngineDriver e = driver;
        if (d.secondary() == null) {
            return "";
        }
        return e != null && e.hasSecondary() ? " and " + d.secondary().address() + ":" + d.secondary().port()
                : " (its ST 2022-7 second leg ignored: one interface)";
    }

    @Override
    public void stopSink(int id) {
        EngineDriver d = driver;
        if (d != null) {
            d.stopSink(id);
        }
    }

    @Override
    public SinkStatus sinkStatus(int id) {
        EngineDriver d = driver;
        return d == null ? SinkStatus.IDLE : d.sinkStatus(id);
    }

    @Override
    public SinkStatus peekSinkStatus(int id) {
        EngineDriver d = driver;
        return d == null ? SinkStatus.IDLE : d.peekSinkStatus(id);
    }

    @Override
    public StreamLevels sourceLevels(int id) {
        EngineDriver d = driver;
        return d == null ? null : d.sourceLevels(id);
    }

    @Override
    public StreamLevels sinkLevels(int id) {
        EngineDriver d = driver;
        return d == null ? null : d.sinkLevels(id);
    }

    @Override
    public SourceCounters sourceCounters(int id) {
        EngineDriver d = driver;
        return d == null ? null : d.sourceCounters(id);
    }

    @Override
    public SinkArrivals sinkArrivals(int id) {
        EngineDriver d = driver;
        return d == null ? null : d.sinkArrivals(id);
    }

    /** The running engine's driver, for the meters' endpoints of this bundle (null while stopped). */
    EngineDriver engineDriver() {
        return driver;
    }
}
