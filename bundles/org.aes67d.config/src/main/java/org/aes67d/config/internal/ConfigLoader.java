package org.aes67d.config.internal;

import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.aes67d.api.config.InvalidConfigException;

/** Reading a config file, free of OSGi types so that the launcher can check a file before it starts anything. */
public final class ConfigLoader {
    /** Framework property naming the config file; without it the daemon runs on defaults and writes nothing. */
    public static final String CONFIG_FILE_PROPERTY = "aes67d.config";

    private ConfigLoader() {
    }

    /** Reads and validates a config file. */
    public static ConfigDocument load(ConfigSchema schema, Path file) throws InvalidConfigException {
        try {
            return ConfigDocument.parse(schema, Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new InvalidConfigException("", "does not exist");
        } catch (IOException e) {
            throw new InvalidConfigException("", "cannot be read: " + e.getMessage());
        }
    }

    /** The identity the daemon would use with {@code doc}, or the interface problem as a config error. */
    public static NodeIdentity identityOf(ConfigDocument doc) throws InvalidConfigException {
        try {
            return NodeIdentity.of(doc.getString("interface_name"), doc.getString("ip_addr"),
                    doc.getString("custom_node_id"));
        } catch (SocketException e) {
            throw new InvalidConfigException("interface_name", e.getMessage());
        }
    }
}
