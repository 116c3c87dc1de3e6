package org.aes67d.api.config;

/** A configuration value was missing, of the wrong type or out of range. The message is one line for humans. */
public class InvalidConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String key;

    /** @param key the key at fault, or "" when the problem is the file as a whole */
    public InvalidConfigException(String key, String problem) {
        super(key.isEmpty() ? problem : key + ": " + problem);
        this.key = key;
    }

    /** The configuration key at fault, or "" for a problem with the file as a whole. */
    public String key() {
        return key;
    }
}
