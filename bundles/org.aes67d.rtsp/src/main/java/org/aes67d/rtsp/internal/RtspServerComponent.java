package org.aes67d.rtsp.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Map;

import org.aes67d.api.discovery.SourceAnnouncer;
import org.aes67d.api.limits.Refusals;
import org.aes67d.api.session.Source;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTSP server as a SourceAnnouncer: it keeps the current SDP of every enabled source, answers DESCRIBE with it
 * and ANNOUNCEs a changed SDP to the clients that described that source on a still-open connection. It listens on
 * all addresses (as the C++ daemon does); URLs it writes use {@code ip_addr}.
 */
@Component(name = "org.aes67d.rtsp", service = {SourceAnnouncer.class, Refusals.class}, configurationPid = "org.aes67d.rtsp",
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = RtspConfig.class)
public final class RtspServerComponent implements SourceAnnouncer, Refusals {
    private static final Logger LOG = LoggerFactory.getLogger(RtspServerComponent.class);
    static final int IDLE_MILLIS = 60_000;

    private final RtspSources sources = new RtspSources();
    private final int idleMillis;
    private volatile String host = "127.0.0.1";
    private RtspServer server; // guarded by this; null when the port could not be bound
    private int configuredPort;
    /** Refusals counted by servers closed since this component started (a port change makes a new one). */
    private long pastConnections;
    private long pastTooLarge;
    private long pastMalformed;

    @Activate
    public RtspServerComponent(RtspConfig config) {
        this(config, IDLE_MILLIS);
    }

    /** For tests: a short idle timeout. */
    RtspServerComponent(RtspConfig config, int idleMillis) {
        this.idleMillis = idleMillis;
        apply(config);
    }

    @Modified
    synchronized void modified(RtspConfig config) {
        apply(config);
    }

    private synchronized void apply(RtspConfig config) {
        host = address(config);
        if (server != null && config.rtsp_port() == configuredPort) {
            return; // only the address in URLs changed
        }
        stop();
        configuredPort = config.rtsp_port();
        try {
            server = new RtspServer(null, configuredPort, sources, idleMillis, this::baseUrl);
            LOG.info("RTSP server on port {}", server.port());
        } catch (IOException e) {
            LOG.error("RTSP server disabled: cannot listen on port {}: {}", configuredPort, e.getMessage());
        }
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
    }

    private void stop() {
        if (server != null) {
            pastConnections += server.refusedConnections();
            pastTooLarge += server.tooLarge();
            pastMalformed += server.malformed();
            server.close();
            server = null;
        }
    }

    @Override
    public String subsystem() {
        return "rtsp";
    }

    @Override
    public synchronized Map<String, Long> counts() {
        RtspServer s = server;
        return Map.of("too_many_connections", pastConnections + (s == null ? 0 : s.refusedConnections()),
                "too_large", pastTooLarge + (s == null ? 0 : s.tooLarge()),
                "malformed", pastMalformed + (s == null ? 0 : s.malformed()));
    }

    /** {@code rtsp://ip:port}, for ANNOUNCE URLs. */
    String baseUrl() {
        RtspServer s;
        synchronized (this) {
            s = server;
        }
        return "rtsp://" + host + ":" + (s == null ? configuredPort : s.port());
    }

    /** The port actually bound (tests configure 0), or -1. */
    synchronized int port() {
        return server == null ? -1 : server.port();
    }

    /** The listener now (null while unbound): tests look at its queues. */
    synchronized RtspServer listener() {
        return server;
    }

    synchronized int connectionCount() {
        return server == null ? 0 : server.connectionCount();
    }

    @Override
    public void sourceUpdated(Source source, String sdp) {
        if (sources.put(source.id(), sdp)) {
            RtspServer s;
            synchronized (this) {
                s = server;
            }
            if (s != null) {
                s.announce(source.id());
            }
        }
    }

    @Override
    public void sourceRemoved(Source source, String sdp) {
        sources.remove(source.id());
    }

    static String address(RtspConfig c) {
        if (!c.ip_addr().isBlank()) {
            return c.ip_addr().strip();
        }
        try {
            NetworkInterface nif = NetworkInterface.getByName(c.interface_name().split(",", -1)[0].strip());
            if (nif != null) {
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            LOG.debug("cannot read interface {}: {}", c.interface_name(), e.getMessage());
        }
        return "127.0.0.1";
    }
}
