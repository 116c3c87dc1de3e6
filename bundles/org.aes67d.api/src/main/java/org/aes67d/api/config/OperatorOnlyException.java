package org.aes67d.api.config;

/**
 * A change that only the host's operator may make: a key naming a file or program of this host (a folder the
 * daemon reads or writes, a script it runs) or the Web Console's credentials, asked for without the operator's
 * credentials. The REST API answers it 403. Nothing has changed.
 */
public class OperatorOnlyException extends InvalidConfigException {
    private static final long serialVersionUID = 1L;

    public OperatorOnlyException(String key, String problem) {
        super(key, problem);
    }
}
