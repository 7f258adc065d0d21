package com.consentry.serde;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry API that Consentry uses.
 *
 * <p>Implemented over HTTP by {@link HttpSchemaRegistryClient} (Confluent, Apicurio's
 * {@code /apis/ccompat/v7}, Karapace, Redpanda) and in memory by {@link InMemorySchemaRegistry}
 * (TopologyTestDriver tests and {@code simulate}).
 *
 * <p>Failures are reported as {@link SchemaRegistryException}; a registration refused as
 * incompatible as {@link IncompatibleSchemaException}.
 */
public interface SchemaRegistry {

    /** Compatibility levels understood by Confluent-compatible registries. */
    List<String> COMPATIBILITY_LEVELS = List.of(
            "NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE");

    /**
     * Registers {@code schema} under {@code subject} (a new version unless it is already there) and returns its
     * global id. The same schema gets the same id under any subject.
     *
     * @throws IncompatibleSchemaException if the subject's compatibility level refuses the schema
     */
    int register(String subject, Schema schema);

    /**
     * Returns the id of {@code schema} if it is already registered under {@code subject}, without registering it.
     *
     * @throws SchemaRegistryException with {@link SchemaRegistryException#status()} 404 if it is not registered
     */
    int idOf(String subject, Schema schema);

    /**
     * Returns the schema with the given global id.
     *
     * @throws SchemaRegistryException with {@link SchemaRegistryException#status()} 404 if there is no such id
     */
    Schema schemaById(int id);

    /**
     * Whether {@code schema} could be registered under {@code subject} given the subject's compatibility level.
     * A subject with no versions yet accepts anything.
     */
    boolean isCompatible(String subject, Schema schema);

    /**
     * Sets the compatibility level of one subject, or the global default when {@code subject} is null.
     *
     * @param level one of {@link #COMPATIBILITY_LEVELS}
     */
    void setCompatibility(String subject, String level);

    /** The registered subjects. */
    List<String> subjects();

    /** Upper-cases and checks a compatibility level; throws IllegalArgumentException for an unknown one. */
    static String checkLevel(String level) {
        if (level == null) {
            throw new IllegalArgumentException("compatibility level is null; expected one of " + COMPATIBILITY_LEVELS);
        }
        String upper = level.trim().toUpperCase(java.util.Locale.ROOT);
        if (!COMPATIBILITY_LEVELS.contains(upper)) {
            throw new IllegalArgumentException(
                    "unknown compatibility level '" + level + "'; expected one of " + COMPATIBILITY_LEVELS);
        }
        return upper;
    }
}
