package org.aes67d.discovery.sap.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.aes67d.api.discovery.RemoteSource;
import org.aes67d.api.discovery.SourceAnnouncer;
import org.aes67d.api.discovery.SourceBrowser;
import org.aes67d.api.limits.Refusals;
import org.aes67d.api.session.Source;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SAP announcer and browser in one: the same group, interface and port serve both, and the browser lists our own
 * announcements as the C++ daemon's does. Immediate, so it listens whether or not anyone has asked for the
 * service yet.
 */
@Component(name = "org.aes67d.discovery.sap", service = {SourceAnnouncer.class, SourceBrowser.class, Refusals.class},
        configurationPid = "org.aes67d.sap", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = SapConfig.class)
public final class SapComponent implements SourceAnnouncer, SourceBrowser, Refusals {
    static final String EXTRA_GROUPS_PROPERTY = "org.aes67d.sap.extra_groups";
    private static final Logger LOG = LoggerFactory.getLogger(SapComponent.class);

    private final String extraGroupsFallback;
    private final int port;
    /** Current SDP of every enabled source, so a restarted engine can announce them again. */
    private final Map<Integer, String> sources = new TreeMap<>();
    private SapEngine engine; // null while the network is unusable (bad interface); guarded by this
    /** Refusals counted by engines closed since this component started (a network change makes a new one). */
    private long pastSpoofed;
    private long pastEvicted;
    private long pastOversized;

    @Activate
    public SapComponent(SapConfig config, BundleContext context) {
        this(config, context.getProperty(EXTRA_GROUPS_PROPERTY), SapSettings.SAP_PORT);
    }

    /** For tests: another port than 9875 keeps them apart from SAP tools running on the host. */
    SapComponent(SapConfig config, String extraGroupsFallback, int port) {
        this.extraGroupsFallback = extraGroupsFallback == null ? "" : extraGroupsFallback;
        this.port = port;
        start(settings(config));
    }

    @Modified
    synchronized void modified(SapConfig config) {
        SapSettings next = settings(config);
        if (engine != null && engine.settings().sameNetwork(next)) {
            engine.setInterval(next.intervalSeconds());
            return;
        }
        stop(); // deletions go out on the old group and interface
        start(next);
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
    }

    private synchronized void start(SapSettings s) {
        try {
            engine = SapEngine.start(s, sources);
        } catch (IOException | RuntimeException e) {
            engine = null;
            LOG.error("SAP disabled: cannot use group {} on interface {}: {}", s.group(), s.interfaceName(),
                    e.getMessage());
        }
    }

    private void stop() {
        if (engine != null) {
            pastSpoofed += engine.spoofed();
            pastEvicted += engine.directory().evicted();
            pastOversized += engine.directory().oversized();
            engine.close();
            engine = null;
        }
    }

    @Override
    public String subsystem() {
        return "sap";
    }

    @Override
    public synchronized Map<String, Long> counts() {
        SapEngine e = engine;
        return Map.of("spoofed", pastSpoofed + (e == null ? 0 : e.spoofed()),
                "table_full", pastEvicted + (e == null ? 0 : e.directory().evicted()),
                "too_large", pastOversized + (e == null ? 0 : e.directory().oversized()));
    }

    SapSettings settings(SapConfig c) {
        String extra = c.sap_extra_groups().isBlank() ? extraGroupsFallback : c.sap_extra_groups();
        List<String> groups = new ArrayList<>();
        for (String g : extra.split(",")) {
            if (!g.isBlank()) {
                groups.add(g.strip());
            }
        }
        String nif = c.interface_name().split(",", -1)[0].strip();
        return new SapSettings(c.sap_mcast_addr().strip(), groups, port, nif, c.ip_addr().strip(), c.sap_interval());
    }

    @Override
    public synchronized void sourceUpdated(Source source, String sdp) {
        sources.put(source.id(), sdp);
        if (engine != null) {
            engine.update(source.id(), sdp);
        }
    }

    @Override
    public synchronized void sourceRemoved(Source source, String sdp) {
        sources.remove(source.id());
        if (engine != null) {
            engine.remove(source.id());
        }
    }

    @Override
    public String protocol() {
        return "SAP";
    }

    @Override
    public List<RemoteSource> remoteSources() {
        SapEngine e;
        synchronized (this) {
            e = engine;
        }
        return e == null ? List.of() : e.remoteSources();
    }

    /** For tests and diagnostics. */
    synchronized SapEngine engine() {
        return engine;
    }
}
