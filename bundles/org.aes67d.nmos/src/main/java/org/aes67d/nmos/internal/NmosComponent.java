package org.aes67d.nmos.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.aes67d.api.discovery.RemoteSource;
import org.aes67d.api.discovery.SourceAnnouncer;
import org.aes67d.api.discovery.SourceBrowser;
import org.aes67d.api.limits.Refusals;
import org.aes67d.api.ptp.PtpClock;
import org.aes67d.api.security.RequestPolicy;
import org.aes67d.api.session.SessionManager;
import org.aes67d.api.session.Source;
import org.aes67d.nmos.internal.Resources.Identity;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The NMOS node of the daemon: with {@code nmos_enabled} it serves the IS-04 Node API and the IS-05 Connection API on
 * {@code nmos_node_port} and registers with a registry. It only reads and calls the session manager, so stopping
 * this bundle never touches a stream.
 */
@Component(name = "org.aes67d.nmos", service = {SourceAnnouncer.class, SourceBrowser.class, Refusals.class,
        NmosComponent.class},
        configurationPid = "org.aes67d.nmos", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = NmosConfig.class)
public final class NmosComponent implements SourceAnnouncer, SourceBrowser, Refusals, NmosNode.Host {
    private static final Logger LOG = LoggerFactory.getLogger(NmosComponent.class);
    static final Duration HEARTBEAT = Duration.ofSeconds(5);
    /** Sinks and PTP state have no events: compared this often. */
    static final Duration POLL = Duration.ofMillis(500);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile SessionManager sessions;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile PtpClock ptpClock;

    /** The security bundle's policy; while it is stopped the NMOS port refuses changes from web pages. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile RequestPolicy requestPolicy;

    /** One for the component's life: the counts survive a reconfiguration of the node. */
    private final HttpGate gate = new HttpGate(() -> requestPolicy);

    private NmosNode node; // guarded by this
    private DnsSd dnsSd; // guarded by this
    private NmosConfig config; // guarded by this

    @Activate
    public NmosComponent(NmosConfig config) {
        start(config);
    }

    @Modified
    synchronized void modified(NmosConfig config) {
        stop();
        start(config);
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
    }

    private synchronized void start(NmosConfig c) {
        config = c;
        if (!c.nmos_enabled()) {
            LOG.info("NMOS disabled (nmos_enabled false)");
            return;
        }
        try {
            InetAddress address = address(c);
            String name = c.node_id().isBlank() ? "aes67d " + address.getHostAddress() : c.node_id();
            Identity id = new Identity(name, c.nmos_label(), address.getHostAddress(), c.nmos_node_port(),
                    c.interface_name().split(",")[0].strip(), c.mac_addr(), secondary(c));
            URI configured = URI.create("http://" + Resources.hostForUrl(c.nmos_registry_address().strip()) + ":"
                    + c.nmos_registry_port());
            node = new NmosNode(id, new InetSocketAddress(address, c.nmos_node_port()), this,
                    new RegistryFinder(configured), HEARTBEAT, POLL);
            LOG.info("NMOS node {} on {}:{} (registry fallback {})", node.resources().nodeId(),
                    address.getHostAddress(), c.nmos_node_port(), configured);
            if (c.nmos_dns_sd()) {
                NmosNode n = node;
                dnsSd = new DnsSd(address, name, c.nmos_node_port(), n.finder(),
                        () -> n.registrationStatus().registered());
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("NMOS disabled: cannot start the node on port {}: {}", c.nmos_node_port(), e.getMessage());
        }
    }

    private void stop() {
        if (dnsSd != null) {
            dnsSd.close();
            dnsSd = null;
        }
        if (node != null) {
            node.close();
            node = null;
        }
    }

    /**
     * The second network of {@code interface_name: "eth0,eth1"} (ST 2022-7), or null with one: its name, first
     * IPv4 address and MAC as the interface reports them now.
     */
    static Resources.Interface secondary(NmosConfig c) throws SocketException {
        String[] names = c.interface_name().split(",");
        if (names.length < 2 || names[1].isBlank()) {
            return null;
        }
        String name = names[1].strip();
        NetworkInterface nif = NetworkInterface.getByName(name);
        String host = "";
        String mac = "";
        if (nif != null) {
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet4Address) {
                    host = a.getHostAddress();
                    break;
                }
            }
            byte[] hw = nif.getHardwareAddress();
            if (hw != null && hw.length == 6) {
                mac = String.format("%02x:%02x:%02x:%02x:%02x:%02x", hw[0], hw[1], hw[2], hw[3], hw[4], hw[5]);
            }
        }
        return new Resources.Interface(name, host, mac);
    }

    /** The configured {@code ip_addr}, else the interface's first IPv4 address, else loopback. */
    static InetAddress address(NmosConfig c) throws SocketException, IOException {
        if (!c.ip_addr().isBlank()) {
            return InetAddress.getByName(c.ip_addr().strip());
        }
        NetworkInterface nif = NetworkInterface.getByName(c.interface_name().split(",")[0].strip());
        if (nif != null) {
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet4Address) {
                    return a;
                }
            }
        }
        return InetAddress.getLoopbackAddress();
    }

    private synchronized NmosNode node() {
        return node;
    }

    /** {@code GET /api/nmos/status}: the node's registration, or why there is no node. */
    synchronized ObjectNode status() {
        ObjectNode o;
        if (node == null) {
            o = Resources.JSON.createObjectNode();
            o.put("enabled", false);
            o.put("error", config != null && config.nmos_enabled()
                    ? "the node did not start on port " + config.nmos_node_port() + " (see the log)"
                    : "nmos_enabled is false");
        } else {
            o = node.statusJson();
        }
        o.put("dns_sd", config != null && config.nmos_dns_sd());
        // advertised as _nmos-node._tcp for peer-to-peer control while no registry has the node
        o.put("peer_to_peer", dnsSd != null && !o.path("registered").asBoolean());
        return o;
    }

    @Override
    public SessionManager sessions() {
        return sessions;
    }

    @Override
    public PtpClock ptp() {
        return ptpClock;
    }

    @Override
    public void sourceUpdated(Source source, String sdp) {
        NmosNode n = node();
        if (n != null) {
            n.changed();
        }
    }

    @Override
    public void sourceRemoved(Source source, String sdp) {
        sourceUpdated(source, sdp);
    }

    @Override
    public HttpGate gate() {
        return gate;
    }

    @Override
    public String subsystem() {
        return "nmos";
    }

    @Override
    public Map<String, Long> counts() {
        return gate.counts();
    }

    @Override
    public String protocol() {
        return "NMOS";
    }

    @Override
    public List<RemoteSource> remoteSources() {
        NmosNode n = node();
        return n == null ? List.of() : n.remoteSources();
    }

    @Override
    public boolean active() {
        return node() != null;
    }
}
