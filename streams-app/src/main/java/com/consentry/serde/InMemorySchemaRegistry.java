package com.consentry.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;

/**
 * A {@link SchemaRegistry} in memory, for TopologyTestDriver tests and the {@code simulate} command.
 *
 * <p>Behaves like Confluent's registry: ids start at 1; the same schema (same JSON form) gets the same id under any
 * subject; each subject keeps its versions; re-registering a schema already in a subject returns its id without a
 * new version. A new version must satisfy the subject's compatibility level (or the global one, default
 * {@code NONE}), checked with {@link SchemaCompatibility}; otherwise {@link IncompatibleSchemaException}.
 *
 * <p>Thread-safe.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {

    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new TreeMap<>();
    private final Map<String, String> levelsBySubject = new HashMap<>();
    private String globalLevel = "NONE";
    private int nextId = 1;

    @Override
    public synchronized int register(String subject, Schema schema) {
        requireSubject(subject);
        Objects.requireNonNull(schema, "schema");
        String text = schema.toString();
        Integer existingId = idsBySchemaText.get(text);
        List<Integer> versions = versionsBySubject.getOrDefault(subject, List.of());
        if (existingId != null && versions.contains(existingId)) {
            return existingId;
        }
        List<String> problems = incompatibilities(subject, schema);
        if (!problems.isEmpty()) {
            throw new IncompatibleSchemaException("register(" + subject + "): schema " + schema.getFullName()
                    + " is incompatible with subject " + subject + " at level " + levelOf(subject) + ": "
                    + String.join("; ", problems), 409);
        }
        int id;
        if (existingId != null) {
            id = existingId;
        } else {
            id = nextId++;
            idsBySchemaText.put(text, id);
            schemasById.put(id, new Schema.Parser().parse(text));
        }
        versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        return id;
    }

    @Override
    public synchronized int idOf(String subject, Schema schema) {
        requireSubject(subject);
        Objects.requireNonNull(schema, "schema");
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null) {
            throw new SchemaRegistryException("idOf(" + subject + "): subject " + subject + " not found", 404, 40401);
        }
        Integer id = idsBySchemaText.get(schema.toString());
        if (id == null || !versions.contains(id)) {
            throw new SchemaRegistryException("idOf(" + subject + "): schema " + schema.getFullName()
                    + " is not registered under subject " + subject, 404, 40403);
        }
        return id;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("schemaById(" + id + "): schema id " + id + " not found", 404, 40403);
        }
        return schema;
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        requireSubject(subject);
        Objects.requireNonNull(schema, "schema");
        return incompatibilities(subject, schema).isEmpty();
    }

    @Override
    public synchronized void setCompatibility(String subject, String level) {
        String checked = SchemaRegistry.checkLevel(level);
        if (subject == null) {
            globalLevel = checked;
        } else {
            levelsBySubject.put(requireSubject(subject), checked);
        }
    }

    @Override
    public synchronized List<String> subjects() {
        return List.copyOf(versionsBySubject.keySet());
    }

    /** The schemas registered under {@code subject}, oldest first (version 1 first); empty for an unknown subject. */
    public synchronized List<Schema> versions(String subject) {
        return versionsBySubject.getOrDefault(subject, List.of()).stream()
                .map(schemasById::get)
                .collect(Collectors.toUnmodifiableList());
    }

    /** The compatibility level in force for {@code subject}: its own, else the global one. */
    public synchronized String levelOf(String subject) {
        return levelsBySubject.getOrDefault(subject, globalLevel);
    }

    /** Every id with its schema, in id order (for diagnostics and {@code simulate} output). */
    public synchronized Map<Integer, Schema> schemas() {
        return new LinkedHashMap<>(new TreeMap<>(schemasById));
    }

    private List<String> incompatibilities(String subject, Schema candidate) {
        List<Integer> versions = versionsBySubject.getOrDefault(subject, List.of());
        if (versions.isEmpty()) {
            return List.of();
        }
        String level = levelOf(subject);
        if (level.equals("NONE")) {
            return List.of();
        }
        boolean transitive = level.endsWith("_TRANSITIVE");
        boolean backward = level.startsWith("BACKWARD") || level.startsWith("FULL");
        boolean forward = level.startsWith("FORWARD") || level.startsWith("FULL");
        List<Integer> against = transitive ? versions : List.of(versions.get(versions.size() - 1));
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            int id = versions.get(i);
            if (!against.contains(id)) {
                continue;
            }
            Schema existing = schemasById.get(id);
            String which = "version " + (i + 1) + " (id " + id + ")";
            if (backward) {
                // the new schema must be able to read data written with the existing one
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, existing).getResult(),
                        "new schema cannot read " + which, problems);
            }
            if (forward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(existing, candidate).getResult(),
                        which + " cannot read the new schema", problems);
            }
        }
        return problems;
    }

    private static void describe(SchemaCompatibilityResult result, String what, List<String> problems) {
        if (result.getCompatibility() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        String details = result.getIncompatibilities().stream()
                .map(inc -> inc.getType() + " at " + inc.getLocation()
                        + (inc.getMessage() == null ? "" : " (" + inc.getMessage() + ")"))
                .collect(Collectors.joining(", "));
        problems.add(what + ": " + details);
    }

    private static String requireSubject(String subject) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be null or blank");
        }
        return subject;
    }
}
