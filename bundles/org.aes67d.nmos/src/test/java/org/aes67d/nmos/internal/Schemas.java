package org.aes67d.nmos.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

/**
 * The AMWA schemas of {@code shared/peers/nmos-schemas} (draft-04, relative {@code $ref}s resolved against each
 * file), with format assertions on so that {@code ipv4}/{@code ipv6} fields are really checked.
 */
final class Schemas {
    static final Path ROOT = Path.of(System.getProperty("nmos.schemas", "../../../shared/peers/nmos-schemas"))
            .toAbsolutePath().normalize();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build())
                    .schemas(Schemas::read));
    private static final Map<String, Schema> CACHE = new ConcurrentHashMap<>();

    private Schemas() {
    }

    /** The text of a schema under {@link #ROOT} by its file IRI ({@code $ref}s resolve to sibling files). */
    private static String read(String iri) {
        if (!iri.startsWith("file:")) {
            return null;
        }
        try {
            return Files.readString(Path.of(java.net.URI.create(iri)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Skips the calling test (counted, with the reason) when the schemas are not there: they are the workplace's
     * shared/ folder beside the clone, which a clone on another machine does not have.
     */
    static void assumePresent() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(ROOT),
                () -> "AMWA NMOS schemas not found at " + ROOT + " (shared/peers/nmos-schemas beside the clone, or -Dnmos.schemas=DIR)");
    }

    /** {@code is-04/APIs/schemas/node.json} etc. */
    static Schema schema(String relative) {
        assumePresent();
        return CACHE.computeIfAbsent(relative, r -> {
            Path p = ROOT.resolve(r);
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("schema not found: " + p);
            }
            return REGISTRY.getSchema(SchemaLocation.of(p.toUri().toString()));
        });
    }

    /** The problems of {@code json} against the schema, empty when valid. */
    static List<String> problems(String relative, JsonNode json) {
        List<Error> errors = schema(relative).validate(json);
        return errors.stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
    }

    /** Fails with every problem listed when {@code json} does not validate. */
    static void check(String relative, JsonNode json) {
        List<String> p = problems(relative, json);
        if (!p.isEmpty()) {
            throw new AssertionError(relative + " rejects " + json + ":\n  " + String.join("\n  ", p));
        }
    }

    static String is04(String name) {
        return "is-04/APIs/schemas/" + name;
    }

    static String is05(String name) {
        return "is-05/APIs/schemas/" + name;
    }

    static String is08(String name) {
        return "is-08/APIs/schemas/" + name;
    }
}
