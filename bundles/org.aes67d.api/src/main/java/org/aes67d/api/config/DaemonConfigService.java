package org.aes67d.api.config;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The daemon configuration: the keys of the C++ daemon's {@code daemon.conf}, plus ours.
 * Values are JSON-shaped: {@link String}, {@link Integer}, {@link Boolean}.
 */
@ProviderType
public interface DaemonConfigService {

    /** The current configuration in file order, including derived read-only keys and unknown keys kept from the file. */
    Map<String, Object> snapshot();

    /**
     * Validates every entry of {@code changes} against the current configuration and applies all of them or none.
     * When this returns, the configuration file has been rewritten atomically and Configuration Admin updated.
     * Derived read-only keys present in {@code changes} are ignored when equal to their current value.
     *
     * @throws InvalidConfigException naming the first offending key; nothing has changed
     */
    void update(Map<String, ?> changes) throws InvalidConfigException;

    /**
     * As {@link #update(Map)}, for a change coming from the network: unless {@code operator} (the request carried
     * the Web Console user's credentials or an API token), a changed value of a key that names a file or program
     * of this host, or of the console's credentials, is refused, since with authentication off anybody on the
     * network may send it. Such keys sent with their current value are accepted (clients post whole configs).
     *
     * @throws OperatorOnlyException naming the first such key; nothing has changed
     * @throws InvalidConfigException naming the first offending key; nothing has changed
     * @since 1.1
     */
    void update(Map<String, ?> changes, boolean operator) throws InvalidConfigException;
}
