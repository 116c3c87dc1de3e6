package org.aes67d.config.internal;

import org.aes67d.util.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.aes67d.api.config.DaemonConfigService;
import org.aes67d.api.config.InvalidConfigException;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns daemon.conf: loads it, feeds Configuration Admin one record per component, and writes the file back
 * atomically when configuration changes through REST ({@link #update}) or through Configuration Admin
 * (Web Console, FileInstall).
 */
@Component(service = { DaemonConfigService.class, ConfigurationListener.class }, immediate = true)
public final class ConfigBridge implements DaemonConfigService, ConfigurationListener {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigBridge.class);
    /** Multi-location binding: any bundle may consume these records. */
    private static final String ANY_LOCATION = "?";

    private final ConfigurationAdmin configAdmin;
    private final Path file;
    private final Path passwordFile;
    private final ConfigSchema schema = ConfigSchema.daemon();
    private ConfigDocument document;
    private NodeIdentity identity;

    @Activate
    public ConfigBridge(BundleContext context, @Reference ConfigurationAdmin configAdmin)
            throws IOException, InvalidConfigException {
        this.configAdmin = configAdmin;
        String path = context.getProperty(ConfigLoader.CONFIG_FILE_PROPERTY);
        this.file = path == null || path.isEmpty() ? null : Path.of(path).toAbsolutePath();
        String stateDir = context.getProperty("aes67d.state.dir"); // systemd's StateDirectory, from the launcher
        this.passwordFile = (stateDir != null ? Path.of(stateDir)
                : file == null ? Path.of(".").toAbsolutePath() : file.getParent()).resolve(ConsolePassword.FILE_NAME);
        if (file == null) {
            LOG.warn("no config file given ({}): running on defaults, changes are not saved",
                    ConfigLoader.CONFIG_FILE_PROPERTY);
            document = ConfigDocument.defaults(schema);
        } else {
            document = ConfigLoader.load(schema, file);
            LOG.info("configuration loaded from {}", file);
        }
        identity = ConfigLoader.identityOf(document);
        pushRecords();
    }

    @Override
    public synchronized Map<String, Object> snapshot() {
        Map<String, Object> out = document.effective(identity);
        out.remove("webconsole_password"); // the REST API has no authentication: never hand the password out
        out.remove("http_tokens"); // hashes only, but nobody needs them to guess tokens offline
        out.remove("https_keystore_password");
        return Collections.unmodifiableMap(out);
    }

    @Override
    public void update(Map<String, ?> changes) throws InvalidConfigException {
        apply(document -> document.with(changes));
    }

    @Override
    public void update(Map<String, ?> changes, boolean operator) throws InvalidConfigException {
        apply(document -> document.withFromNetwork(changes, operator));
    }

    private interface Change {
        ConfigDocument apply(ConfigDocument current) throws InvalidConfigException;
    }

    private synchronized void apply(Change change) throws InvalidConfigException {
        ConfigDocument candidate = change.apply(document);
        NodeIdentity candidateIdentity = ConfigLoader.identityOf(candidate);
        if (file != null) {
            try {
                AtomicFiles.write(file, candidate.toJson(candidateIdentity));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }
        document = candidate;
        identity = candidateIdentity;
        pushRecords();
    }

    /** Feeds every record; records whose values did not change are left alone (no needless reconfiguration). */
    private void pushRecords() {
        Map<String, Object> effective = document.effective(identity);
        try {
            String password = ConsolePassword.resolve(document.getString("webconsole_password"), passwordFile);
            if (document.getString("webconsole_password").isEmpty()) {
                LOG.info("Web Console user '{}', generated password in {}", document.getString("webconsole_user"),
                        passwordFile);
            }
            effective.put("webconsole_password", ConsolePassword.hashed(password));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + passwordFile, e);
        }
        ConfigDocument.records(schema, effective).forEach((pid, props) -> {
            try {
                configAdmin.getConfiguration(pid, ANY_LOCATION).updateIfDifferent(props);
            } catch (IOException e) {
                LOG.error("cannot update configuration {}: {}", pid, e.getMessage());
            }
        });
    }

    /**
     * A record of ours changed in Configuration Admin. If it differs from the file (an edit in the Web Console
     * or a .cfg in the deploy folder), take the change into the file; if the change is invalid, put the record
     * back. Our own updates arrive here too and are recognised by matching the current document.
     */
    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String pid = event.getPid();
        if (!schema.pids().contains(pid) || event.getFactoryPid() != null) {
            return;
        }
        Map<String, Object> changes = new LinkedHashMap<>();
        synchronized (this) {
            Dictionary<String, Object> props = currentProperties(pid);
            Map<String, Object> effective = document.effective(identity);
            Set<String> derived = Set.of("ip_addr", "mac_addr", "node_id");
            for (ConfigKey key : schema.keys().values()) {
                if (derived.contains(key.name()) || key.name().equals("webconsole_password")) {
                    continue; // read-only here, or hashed in the record
                }
                for (String target : key.targets()) {
                    if (!ConfigKey.pidOf(target).equals(pid) || props == null) {
                        continue;
                    }
                    Object v = props.get(ConfigKey.propertyOf(target, key.name()));
                    if (v != null && !String.valueOf(v).equals(String.valueOf(effective.get(key.name())))) {
                        changes.put(key.name(), v);
                    }
                }
            }
            if (changes.isEmpty() && (props != null || event.getType() != ConfigurationEvent.CM_DELETED)) {
                return;
            }
            try {
                apply(doc -> doc.withLoose(changes));
                LOG.info("configuration {} changed {}; saved", pid, changes.keySet());
            } catch (InvalidConfigException | RuntimeException e) {
                LOG.error("rejected change of configuration {}: {}; restoring the file's values", pid, e.getMessage());
                pushRecordsOf(pid);
            }
        }
    }

    private void pushRecordsOf(String pid) {
        try {
            configAdmin.getConfiguration(pid, ANY_LOCATION).update(
                    ConfigDocument.records(schema, document.effective(identity)).get(pid));
        } catch (IOException e) {
            LOG.error("cannot restore configuration {}: {}", pid, e.getMessage());
        }
    }

    private Dictionary<String, Object> currentProperties(String pid) {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid + ")");
            return found == null ? null : found[0].getProperties();
        } catch (IOException | org.osgi.framework.InvalidSyntaxException e) {
            return null;
        }
    }
}
