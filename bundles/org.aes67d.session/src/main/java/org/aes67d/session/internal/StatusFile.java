package org.aes67d.session.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.aes67d.api.session.Sink;
import org.aes67d.api.session.Source;
import org.aes67d.util.AtomicFiles;
import org.aes67d.util.json.JsonShapeException;
import org.aes67d.util.json.StreamJson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The status file: {@code {"sources":[...],"sinks":[...]}} with the objects of the REST lists, as the C++ daemon
 * writes it. Written atomically after every change.
 */
final class StatusFile {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What a load found: the entries that parsed, and one line per entry (or file) that did not. */
    record Loaded(List<Source> sources, List<Sink> sinks, List<String> rejected) {
    }

    private StatusFile() {
    }

    /** Reads the file; a missing file is empty. Entries are checked for shape only (the caller validates). */
    static Loaded load(Path file) {
        List<Source> sources = new ArrayList<>();
        List<Sink> sinks = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        Map<String, Object> root;
        try {
            Object parsed = JSON.readValue(Files.readAllBytes(file), Object.class);
            if (!(parsed instanceof Map)) {
                rejected.add("the file does not hold a JSON object");
                return new Loaded(sources, sinks, rejected);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) parsed;
            root = m;
        } catch (NoSuchFileException e) {
            return new Loaded(sources, sinks, rejected);
        } catch (JsonProcessingException e) {
            rejected.add("not valid JSON: " + e.getOriginalMessage());
            return new Loaded(sources, sinks, rejected);
        } catch (IOException e) {
            rejected.add("cannot be read: " + e.getMessage());
            return new Loaded(sources, sinks, rejected);
        }
        for (Map<String, Object> entry : entries(root, "sources", rejected)) {
            try {
                sources.add(StreamJson.source(id(entry), entry));
            } catch (JsonShapeException e) {
                rejected.add("source " + entry.get("id") + ": " + e.getMessage());
            }
        }
        for (Map<String, Object> entry : entries(root, "sinks", rejected)) {
            try {
                sinks.add(StreamJson.sink(id(entry), entry));
            } catch (JsonShapeException e) {
                rejected.add("sink " + entry.get("id") + ": " + e.getMessage());
            }
        }
        return new Loaded(sources, sinks, rejected);
    }

    private static int id(Map<String, Object> entry) throws JsonShapeException {
        if (entry.get("id") instanceof Integer id) {
            return id;
        }
        throw new JsonShapeException("missing or non-integer \"id\"");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(Map<String, Object> root, String key, List<String> rejected) {
        List<Map<String, Object>> out = new ArrayList<>();
        Object list = root.get(key);
        if (list == null) {
            return out;
        }
        if (!(list instanceof List)) {
            rejected.add("\"" + key + "\" is not an array");
            return out;
        }
        for (Object e : (List<Object>) list) {
            if (e instanceof Map) {
                out.add((Map<String, Object>) e);
            } else {
                rejected.add(key + ": an entry is not an object");
            }
        }
        return out;
    }

    /** Keeps the file as it was, beside it, so an operator can see what was rejected. Returns the copy. */
    static Path keepCopy(Path file) throws IOException {
        Path copy = file.resolveSibling(file.getFileName() + ".rejected-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
        return copy;
    }

    static void save(Path file, Collection<Source> sources, Collection<Sink> sinks) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("sources", sources.stream().map(s -> StreamJson.source(s, s.address())).toList());
        root.put("sinks", sinks.stream().map(StreamJson::sink).toList());
        byte[] bytes = JSON.writeValueAsBytes(root);
        AtomicFiles.write(file, bytes);
    }
}
