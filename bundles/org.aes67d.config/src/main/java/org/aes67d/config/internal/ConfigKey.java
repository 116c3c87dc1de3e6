package org.aes67d.config.internal;

import java.util.List;
import java.util.function.Function;

/**
 * One key of daemon.conf.
 *
 * @param name JSON key, as in the C++ daemon
 * @param type value type
 * @param defaultValue value when the file does not have the key
 * @param check returns null when a value is valid, else the problem in a few words
 * @param targets Configuration Admin records this key feeds, as {@code pid} or {@code pid#property};
 *        without {@code #} the property is the key with '_' turned into '.', which is what an
 *        {@code @interface} config method named like the key reads
 * @param kind whether the key is set by the user, derived by the daemon, or both
 * @param restartRequired whether a change only takes effect after a restart
 * @param description one line for the docs and the console
 * @param operatorOnly whether only the host's operator may change it: it names a file or program of this host (a
 *        folder the daemon reads or writes, a script it runs) or is the Web Console's credentials. Over the
 *        network it changes only with credentials, since otherwise a stranger could make the daemon overwrite
 *        any file, stream any file out, run any program or take the console (and with it the host)
 */
public record ConfigKey(String name, Type type, Object defaultValue, Function<Object, String> check,
        List<String> targets, Kind kind, boolean restartRequired, String description, boolean operatorOnly) {

    public enum Type {
        INT("an integer"), BOOL("a boolean"), STRING("a string");

        final String article;

        Type(String article) {
            this.article = article;
        }
    }

    public enum Kind {
        /** Set by the user. */
        INPUT,
        /** Computed by the daemon, reported and written back; a value in the file or a POST is ignored. */
        DERIVED
    }

    /** The same key with another kind and other targets. */
    ConfigKey withKind(Kind newKind, String... newTargets) {
        return new ConfigKey(name, type, defaultValue, check, List.of(newTargets), newKind, restartRequired,
                description, operatorOnly);
    }

    /** The same key, changed over the network only with credentials. */
    ConfigKey forTheOperatorOnly() {
        return new ConfigKey(name, type, defaultValue, check, targets, kind, restartRequired, description, true);
    }

    /** Property name in a target record. */
    static String propertyOf(String target, String key) {
        int hash = target.indexOf('#');
        return hash < 0 ? key.replace('_', '.') : target.substring(hash + 1);
    }

    static String pidOf(String target) {
        int hash = target.indexOf('#');
        return hash < 0 ? target : target.substring(0, hash);
    }
}
