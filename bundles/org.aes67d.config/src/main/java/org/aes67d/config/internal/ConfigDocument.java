package org.aes67d.config.internal;

import java.io.IOException;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.aes67d.api.config.InvalidConfigException;
import org.aes67d.api.config.OperatorOnlyException;
import org.aes67d.config.internal.ConfigKey.Kind;
import org.aes67d.config.internal.ConfigKey.Type;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An immutable, validated daemon.conf: typed values of the known keys, and the unknown keys exactly as they
 * were in the file (kept, ignored, written back).
 */
public final class ConfigDocument {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final ConfigSchema schema;
    private final Map<String, Object> values;
    private final Map<String, JsonNode> unknown;

    private ConfigDocument(ConfigSchema schema, Map<String, Object> values, Map<String, JsonNode> unknown) {
        this.schema = schema;
        this.values = Collections.unmodifiableMap(values);
        this.unknown = Collections.unmodifiableMap(unknown);
    }

    /** Every key at its default. */
    public static ConfigDocument defaults(ConfigSchema schema) {
        Map<String, Object> values = new LinkedHashMap<>();
        schema.keys().values().forEach(k -> values.put(k.name(), k.defaultValue()));
        return new ConfigDocument(schema, values, new LinkedHashMap<>());
    }

    /**
     * Parses and validates a file's content. Missing keys take their defaults. For compatibility with files
     * read by the C++ daemon (which accepts quoted numbers), a number or boolean may be written as a string.
     */
    public static ConfigDocument parse(ConfigSchema schema, byte[] content) throws InvalidConfigException {
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new InvalidConfigException("", "not valid JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidConfigException("", "cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidConfigException("", "must hold a JSON object");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        schema.keys().values().forEach(k -> values.put(k.name(), k.defaultValue()));
        Map<String, JsonNode> unknown = new LinkedHashMap<>();
        for (var it = root.fields(); it.hasNext();) {
            var field = it.next();
            ConfigKey key = schema.key(field.getKey());
            if (key == null) {
                unknown.put(field.getKey(), field.getValue());
            } else if (key.kind() == Kind.INPUT) {
                values.put(key.name(), check(key, fromFile(key, field.getValue())));
            }
        }
        ConfigDocument doc = new ConfigDocument(schema, values, unknown);
        doc.checkAcrossKeys();
        return doc;
    }

    /**
     * A copy with {@code changes} applied, each value of exactly the key's JSON type. Derived keys are ignored;
     * a key neither known nor kept from the file is rejected (it is most likely a typo).
     */
    public ConfigDocument with(Map<String, ?> changes) throws InvalidConfigException {
        Map<String, Object> newValues = new LinkedHashMap<>(values);
        Map<String, JsonNode> newUnknown = new LinkedHashMap<>(unknown);
        for (var change : changes.entrySet()) {
            String name = change.getKey();
            ConfigKey key = schema.key(name);
            if (key == null) {
                if (!unknown.containsKey(name)) {
                    throw new InvalidConfigException(name, "unknown key");
                }
                newUnknown.put(name, JSON.valueToTree(change.getValue()));
            } else if (key.kind() == Kind.INPUT) {
                newValues.put(name, check(key, strict(key, change.getValue())));
            }
        }
        ConfigDocument doc = new ConfigDocument(schema, newValues, newUnknown);
        doc.checkAcrossKeys();
        return doc;
    }

    /**
     * As {@link #with(Map)}, for changes from the network: without {@code operator} credentials a changed value of
     * an operator-only key is refused (its current value is accepted: clients post whole configs back).
     */
    public ConfigDocument withFromNetwork(Map<String, ?> changes, boolean operator) throws InvalidConfigException {
        ConfigDocument doc = with(changes);
        if (!operator) {
            for (String name : changes.keySet()) {
                ConfigKey key = schema.key(name);
                if (key != null && key.operatorOnly() && !Objects.equals(values.get(name), doc.values.get(name))) {
                    throw new OperatorOnlyException(name, (name.startsWith("webconsole_")
                            ? "is the Web Console's login" : "names a file or program of this host")
                            + ": change it in the config file, or send the Web Console user's credentials");
                }
            }
        }
        return doc;
    }

    /** A copy with values coming from Configuration Admin, where a .cfg file gives every value as a string. */
    public ConfigDocument withLoose(Map<String, ?> changes) throws InvalidConfigException {
        Map<String, Object> typed = new LinkedHashMap<>();
        for (var change : changes.entrySet()) {
            ConfigKey key = schema.key(change.getKey());
            Object v = change.getValue();
            typed.put(change.getKey(), key == null ? v : loose(key, v));
        }
        return with(typed);
    }

    public Object get(String key) {
        return values.get(key);
    }

    public String getString(String key) {
        return (String) values.get(key);
    }

    public int getInt(String key) {
        return (Integer) values.get(key);
    }

    public ConfigSchema schema() {
        return schema;
    }

    /** Known keys with derived ones filled in from {@code identity}, then unknown keys; as plain Java values. */
    public Map<String, Object> effective(NodeIdentity identity) {
        Map<String, Object> out = new LinkedHashMap<>(values);
        out.put("ip_addr", identity.ipAddr());
        out.put("mac_addr", identity.macAddr());
        out.put("node_id", identity.nodeId());
        unknown.forEach((k, v) -> out.put(k, JSON.convertValue(v, Object.class)));
        return out;
    }

    /** The file content: {@link #effective} as indented JSON with a trailing newline. */
    public byte[] toJson(NodeIdentity identity) {
        ObjectNode root = JSON.createObjectNode();
        values.keySet().forEach(k -> root.set(k, JSON.valueToTree(effective(identity).get(k))));
        unknown.forEach(root::set);
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return (JSON.writer(printer).writeValueAsString(root) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("config cannot be serialised", e);
        }
    }

    /** The Configuration Admin records fed by {@code effective} values, by PID. */
    public static Map<String, Dictionary<String, Object>> records(ConfigSchema schema, Map<String, Object> effective) {
        Map<String, Dictionary<String, Object>> out = new LinkedHashMap<>();
        schema.pids().forEach(pid -> out.put(pid, new Hashtable<>()));
        for (ConfigKey key : schema.keys().values()) {
            Object v = effective.get(key.name());
            for (String target : key.targets()) {
                out.get(ConfigKey.pidOf(target)).put(ConfigKey.propertyOf(target, key.name()), v);
            }
        }
        return out;
    }

    private void checkAcrossKeys() throws InvalidConfigException {
        if (getInt("max_tic_frame_size") < getInt("tic_frame_size_at_1fs")) {
            throw new InvalidConfigException("max_tic_frame_size", "must not be below tic_frame_size_at_1fs ("
                    + getInt("tic_frame_size_at_1fs") + "), got " + getInt("max_tic_frame_size"));
        }
        if (getInt("streamer_player_buffer_files_num") > getInt("streamer_files_num")) {
            throw new InvalidConfigException("streamer_player_buffer_files_num",
                    "must not exceed streamer_files_num (" + getInt("streamer_files_num") + "), got "
                            + getInt("streamer_player_buffer_files_num"));
        }
    }

    private static Object check(ConfigKey key, Object value) throws InvalidConfigException {
        String problem = key.check().apply(value);
        if (problem != null) {
            throw new InvalidConfigException(key.name(), problem + ", got " + render(value));
        }
        return value;
    }

    private static Object fromFile(ConfigKey key, JsonNode node) throws InvalidConfigException {
        switch (key.type()) {
            case INT:
                if (node.isIntegralNumber() && node.canConvertToInt()) {
                    return node.intValue();
                }
                if (node.isTextual()) {
                    return loose(key, node.textValue());
                }
                break;
            case BOOL:
                if (node.isBoolean()) {
                    return node.booleanValue();
                }
                if (node.isTextual()) {
                    return loose(key, node.textValue());
                }
                break;
            default:
                if (node.isTextual()) {
                    return node.textValue();
                }
        }
        throw wrongType(key, node.isNull() ? "null" : node.getNodeType().name().toLowerCase() + " " + node);
    }

    private static Object strict(ConfigKey key, Object v) throws InvalidConfigException {
        boolean ok = switch (key.type()) {
            case INT -> v instanceof Integer || v instanceof Long l && l == l.intValue();
            case BOOL -> v instanceof Boolean;
            case STRING -> v instanceof String;
        };
        if (!ok) {
            throw wrongType(key, describe(v));
        }
        return v instanceof Long l ? Integer.valueOf(l.intValue()) : v;
    }

    private static Object loose(ConfigKey key, Object v) throws InvalidConfigException {
        if (!(v instanceof String s) || key.type() == Type.STRING) {
            return v instanceof Long l && key.type() == Type.INT && l == l.intValue() ? Integer.valueOf(l.intValue()) : v;
        }
        String t = s.trim();
        if (key.type() == Type.BOOL && (t.equals("true") || t.equals("false"))) {
            return Boolean.valueOf(t);
        }
        if (key.type() == Type.INT) {
            try {
                return Integer.valueOf(t);
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw wrongType(key, describe(v));
    }

    private static InvalidConfigException wrongType(ConfigKey key, String got) {
        return new InvalidConfigException(key.name(), "must be " + key.type().article + ", got " + got);
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        String kind = v instanceof String ? "string" : v instanceof Number ? "number" : v instanceof Boolean ? "boolean"
                : v instanceof Map ? "object" : v instanceof java.util.List ? "array" : v.getClass().getSimpleName();
        return kind + " " + render(v);
    }

    private static String render(Object v) {
        String s = String.valueOf(v);
        s = s.length() > 60 ? s.substring(0, 57) + "..." : s;
        return v instanceof String ? "\"" + s + "\"" : s;
    }
}
