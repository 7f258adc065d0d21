package com.consentry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryTest {

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    private static final Schema V1 = SchemaBuilder.record("Consent").namespace("t").fields()
            .requiredString("subjectId")
            .endRecord();
    /** V1 plus a field with a default: BACKWARD compatible with V1. */
    private static final Schema V2 = SchemaBuilder.record("Consent").namespace("t").fields()
            .requiredString("subjectId")
            .name("channel").type().stringType().stringDefault("email")
            .endRecord();
    /** V2 with the default removed: readable from V2 data, but not from V1 data. */
    private static final Schema V3 = SchemaBuilder.record("Consent").namespace("t").fields()
            .requiredString("subjectId")
            .requiredString("channel")
            .endRecord();
    private static final Schema OTHER = SchemaBuilder.record("Other").namespace("t").fields()
            .requiredInt("n")
            .endRecord();

    @Test
    void idsStartAtOneAndTheSameSchemaGetsTheSameIdUnderAnySubject() {
        int first = registry.register("a-value", V1);
        int again = registry.register("a-value", new Schema.Parser().parse(V1.toString()));
        int elsewhere = registry.register("b-value", V1);
        int other = registry.register("b-value", OTHER);

        assertThat(first).isEqualTo(1);
        assertThat(again).isEqualTo(1);
        assertThat(elsewhere).isEqualTo(1);
        assertThat(other).isEqualTo(2);
        assertThat(registry.versions("a-value")).containsExactly(V1);
        assertThat(registry.versions("b-value")).containsExactly(V1, OTHER);
        assertThat(registry.subjects()).containsExactly("a-value", "b-value");
        assertThat(registry.schemaById(1)).isEqualTo(V1);
    }

    @Test
    void evolvedSchemaIsANewVersionWithANewId() {
        registry.setCompatibility("a-value", "BACKWARD");

        int v1 = registry.register("a-value", V1);
        int v2 = registry.register("a-value", V2);

        assertThat(v2).isNotEqualTo(v1);
        assertThat(registry.versions("a-value")).containsExactly(V1, V2);
        assertThat(registry.idOf("a-value", V1)).isEqualTo(v1);
        assertThat(registry.idOf("a-value", V2)).isEqualTo(v2);
    }

    @Test
    void backwardRefusesASchemaThatCannotReadTheLatestAndKeepsTheSubjectUnchanged() {
        registry.register("a-value", V1);
        registry.setCompatibility("a-value", "BACKWARD");
        Schema needsChannel = V3;

        assertThat(registry.isCompatible("a-value", needsChannel)).isFalse();
        assertThatThrownBy(() -> registry.register("a-value", needsChannel))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("subject a-value at level BACKWARD")
                .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE")
                .hasMessageContaining("channel")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).status()).isEqualTo(409));
        assertThat(registry.versions("a-value")).containsExactly(V1);
        assertThatThrownBy(() -> registry.idOf("a-value", needsChannel))
                .isInstanceOf(SchemaRegistryException.class)
                .satisfies(e -> assertThat(((SchemaRegistryException) e).isNotFound()).isTrue());
    }

    @Test
    void defaultLevelIsNoneSoAnythingGoes() {
        registry.register("a-value", V1);

        assertThat(registry.levelOf("a-value")).isEqualTo("NONE");
        assertThat(registry.isCompatible("a-value", OTHER)).isTrue();
        assertThat(registry.register("a-value", OTHER)).isEqualTo(2);
    }

    @Test
    void globalLevelAppliesUnlessTheSubjectOverridesIt() {
        registry.register("a-value", V1);
        registry.register("b-value", V1);
        registry.setCompatibility(null, "backward");
        registry.setCompatibility("b-value", "NONE");

        assertThatThrownBy(() -> registry.register("a-value", OTHER)).isInstanceOf(IncompatibleSchemaException.class);
        assertThat(registry.register("b-value", OTHER)).isPositive();
    }

    @Test
    void backwardChecksOnlyTheLatestWhileTransitiveChecksAllVersions() {
        registry.register("a-value", V1);
        registry.register("a-value", V2);
        registry.register("t-value", V1);
        registry.register("t-value", V2);
        registry.setCompatibility("a-value", "BACKWARD");
        registry.setCompatibility("t-value", "BACKWARD_TRANSITIVE");

        assertThat(registry.register("a-value", V3)).isPositive();
        assertThatThrownBy(() -> registry.register("t-value", V3))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("version 1");
    }

    @Test
    void forwardRequiresTheLatestToReadTheNewSchema() {
        registry.register("a-value", V2);
        registry.setCompatibility("a-value", "FORWARD");

        // V2 readers can read V1 data: it lacks channel, but V2 has a default for it
        assertThat(registry.isCompatible("a-value", V1)).isTrue();
        // V2 readers cannot read data of an unrelated record
        assertThat(registry.isCompatible("a-value", OTHER)).isFalse();
    }

    @Test
    void emptySubjectAcceptsAnySchemaAtAnyLevel() {
        registry.setCompatibility(null, "FULL_TRANSITIVE");

        assertThat(registry.isCompatible("new-value", V1)).isTrue();
        assertThat(registry.register("new-value", V1)).isEqualTo(1);
    }

    @Test
    void unknownIdsAndSubjectsAre404s() {
        assertThatThrownBy(() -> registry.schemaById(5))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("schema id 5 not found")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).status()).isEqualTo(404));
        assertThatThrownBy(() -> registry.idOf("nope-value", V1))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("subject nope-value not found");
    }

    @Test
    void unknownCompatibilityLevelIsRejected() {
        assertThatThrownBy(() -> registry.setCompatibility(null, "SIDEWAYS"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SIDEWAYS")
                .hasMessageContaining("BACKWARD");
    }

    @Test
    void storedSchemaIsNotAffectedByLaterChangesToTheCallersObject() {
        Schema mutable = new Schema.Parser().parse(V1.toString());
        int id = registry.register("a-value", mutable);
        mutable.addProp("x-owner", "someone");

        assertThat(registry.schemaById(id)).isEqualTo(V1);
    }
}
