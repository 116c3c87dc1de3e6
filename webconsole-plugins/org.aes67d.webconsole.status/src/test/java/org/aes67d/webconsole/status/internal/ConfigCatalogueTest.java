package org.aes67d.webconsole.status.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.aes67d.config.internal.ConfigKey;
import org.aes67d.config.internal.ConfigSchema;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Config page describes keys from its own catalogue (an OSGi page cannot reach the config bundle's internal
 * schema); this keeps the two from drifting apart: same keys, order, types, meaning and restart flags.
 */
class ConfigCatalogueTest {

    private static Map<String, JsonNode> catalogue() throws Exception {
        try (InputStream in = ConfigCatalogueTest.class.getResourceAsStream("/res/aes67/config-keys.json")) {
            assertNotNull(in);
            Map<String, JsonNode> out = new LinkedHashMap<>();
            new ObjectMapper().readTree(in).get("keys").forEach(k -> out.put(k.get("key").asText(), k));
            return out;
        }
    }

    @Test
    void everyKeyOfTheSchemaAndNoOther() throws Exception {
        assertEquals(new ArrayList<>(ConfigSchema.daemon().keys().keySet()), new ArrayList<>(catalogue().keySet()));
    }

    @Test
    void typesMeaningsAndRestartFlagsAreTheSchemas() throws Exception {
        Map<String, JsonNode> cat = catalogue();
        for (ConfigKey k : ConfigSchema.daemon().keys().values()) {
            JsonNode c = cat.get(k.name());
            assertEquals(k.type().name().toLowerCase(), c.get("type").asText(), k.name());
            assertEquals(k.description(), c.get("meaning").asText(), k.name());
            String applies = k.kind() == ConfigKey.Kind.DERIVED ? "derived" : k.restartRequired() ? "restart" : "live";
            assertEquals(applies, c.get("applies").asText(), k.name());
            assertEquals(k.operatorOnly(), c.path("operator").asBoolean(false), k.name() + " operator-only");
            assertTrue(c.hasNonNull("group") && c.hasNonNull("valid"), k.name());
        }
    }

    @Test
    void enumeratedValuesIncludeTheDefault() throws Exception {
        Map<String, JsonNode> cat = catalogue();
        List<String> checked = new ArrayList<>();
        for (ConfigKey k : ConfigSchema.daemon().keys().values()) {
            JsonNode check = cat.get(k.name()).get("check");
            if (check == null) {
                continue;
            }
            if (check.has("oneOf")) {
                List<String> values = new ArrayList<>();
                check.get("oneOf").forEach(v -> values.add(v.asText()));
                assertTrue(values.contains(String.valueOf(k.defaultValue())), k.name() + " " + values);
            }
            if (check.has("min")) {
                int v = (Integer) k.defaultValue();
                assertTrue(v >= check.get("min").asInt() && v <= check.get("max").asInt(), k.name());
            }
            checked.add(k.name());
        }
        assertTrue(checked.size() > 20, checked.toString());
    }
}
