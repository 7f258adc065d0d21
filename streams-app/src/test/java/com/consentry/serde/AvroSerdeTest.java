package com.consentry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private static final String TOPIC = "consent-events";
    private static final Instant AT = Instant.parse("2025-03-01T12:34:56.789Z");

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    private static TestConsent consent(String subjectId) {
        return new TestConsent(subjectId, true, AT, null, "web");
    }

    @Test
    void roundTripKeepsEveryFieldIncludingTimestampsAndNulls() {
        AvroSerde<TestConsent> serde = new AvroSerde<>(registry, TestConsent.class);
        TestConsent original = new TestConsent("subject-1", false, AT, null, "call-centre");

        byte[] bytes = serde.serializer().serialize(TOPIC, original);
        TestConsent back = serde.deserializer().deserialize(TOPIC, bytes);

        assertThat(back).isEqualTo(original);
        assertThat(back.getOccurredAt()).isEqualTo(AT);
        assertThat(back.getNote()).isNull();
        assertThat(back.getSource()).isEqualTo("call-centre");
        assertThat(registry.subjects()).containsExactly("consent-events-value");
    }

    @Test
    void wireFormatIsMagicByteThenBigEndianIdThenPlainAvroBinary() throws IOException {
        // a registry handing out an id whose four bytes are all different, to catch byte-order mistakes
        int id = 0x01020304;
        SchemaRegistry fixed = new InMemoryWithFixedId(id);
        AvroSerde<TestConsent> serde = new AvroSerde<>(fixed, TestConsent.class);
        TestConsent record = consent("subject-1");

        byte[] bytes = serde.serializer().serialize(TOPIC, record);

        assertThat(Arrays.copyOfRange(bytes, 0, 5)).containsExactly(0x00, 0x01, 0x02, 0x03, 0x04);
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(plain, null);
        new SpecificDatumWriter<TestConsent>(TestConsent.SCHEMA$).write(record, encoder);
        encoder.flush();
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).containsExactly(plain.toByteArray());
        assertThat(AvroSerde.schemaIdOf(bytes)).isEqualTo(id);
        assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(record);
    }

    @Test
    void firstRegisteredSchemaGetsIdOneInTheHeader() {
        AvroSerde<TestConsent> serde = new AvroSerde<>(registry, TestConsent.class);

        byte[] bytes = serde.serializer().serialize(TOPIC, consent("s"));

        assertThat(Arrays.copyOfRange(bytes, 0, 5)).containsExactly(0, 0, 0, 0, 1);
    }

    @Test
    void registersOncePerTopicUnderTopicValueSubject() {
        CountingRegistry counting = new CountingRegistry(registry);
        AvroSerde<TestConsent> serde = new AvroSerde<>(counting, TestConsent.class);

        for (int i = 0; i < 3; i++) {
            serde.serializer().serialize("consent-events", consent("s" + i));
        }
        serde.serializer().serialize("consent-audit", consent("x"));
        serde.serializer().serialize("consent-audit", consent("y"));

        assertThat(counting.calls).containsExactly("register consent-events-value", "register consent-audit-value");
        assertThat(registry.schemaById(1)).isEqualTo(TestConsent.SCHEMA$);
    }

    @Test
    void keySerdeUsesTopicKeySubject() {
        AvroSerde<TestConsent> serde = new AvroSerde<>(registry, TestConsent.class);
        serde.configure(Map.of(), true);

        serde.serializer().serialize(TOPIC, consent("s"));

        assertThat(registry.subjects()).containsExactly("consent-events-key");
    }

    @Test
    void writerSchemaIsFetchedOncePerIdWhenDeserializing() {
        byte[] bytes = new AvroSerde<>(registry, TestConsent.class).serializer().serialize(TOPIC, consent("s"));
        CountingRegistry counting = new CountingRegistry(registry);
        AvroSerde<TestConsent> reader = new AvroSerde<>(counting, TestConsent.class);

        for (int i = 0; i < 3; i++) {
            reader.deserializer().deserialize(TOPIC, bytes);
        }

        assertThat(counting.calls).containsExactly("schemaById 1");
    }

    @Test
    void nullIsNullBothWays() {
        AvroSerde<TestConsent> serde = new AvroSerde<>(registry, TestConsent.class);

        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
        assertThat(registry.subjects()).isEmpty();
    }

    @Test
    void recordWrittenWithOlderSchemaReadsWithDefaultsForNewFields() throws IOException {
        Schema v1 = new Schema.Parser().parse(TestConsent.V1_SCHEMA_JSON);
        int v1Id = registry.register("consent-events-value", v1);
        GenericRecord old = new GenericData.Record(v1);
        old.put("subjectId", "subject-7");
        old.put("granted", true);
        old.put("occurredAt", AT.toEpochMilli());
        byte[] bytes = confluentBytes(v1Id, v1, old);

        TestConsent read = new AvroSerde<>(registry, TestConsent.class).deserializer().deserialize(TOPIC, bytes);

        assertThat(read.getSubjectId()).isEqualTo("subject-7");
        assertThat(read.getGranted()).isTrue();
        assertThat(read.getOccurredAt()).isEqualTo(AT);
        assertThat(read.getNote()).isNull();
        assertThat(read.getSource()).isEqualTo("unknown");
    }

    @Test
    void newerClassRegistersAsNewVersionUnderBackwardCompatibility() {
        registry.setCompatibility(null, "BACKWARD");
        registry.register("consent-events-value", new Schema.Parser().parse(TestConsent.V1_SCHEMA_JSON));
        AvroSerde<TestConsent> serde = new AvroSerde<>(registry, TestConsent.class);

        byte[] bytes = serde.serializer().serialize(TOPIC, consent("s"));

        assertThat(AvroSerde.schemaIdOf(bytes)).isEqualTo(2);
        assertThat(registry.versions("consent-events-value")).hasSize(2);
    }

    @Test
    void incompatibleSchemaRefusedByRegistryIsASerializationExceptionNamingTheField() {
        // the latest version has no occurredAt; TestConsent needs one and has no default for it
        Schema narrow = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"TestConsent\","
                + "\"namespace\":\"com.consentry.serde\",\"fields\":[{\"name\":\"subjectId\",\"type\":\"string\"},"
                + "{\"name\":\"granted\",\"type\":\"boolean\"}]}");
        registry.register("consent-events-value", narrow);
        registry.setCompatibility("consent-events-value", "BACKWARD");
        AvroSerde<TestConsent> serde = new AvroSerde<>(registry, TestConsent.class);

        assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, consent("s")))
                .isInstanceOf(SerializationException.class)
                .hasCauseInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("incompatible with subject consent-events-value")
                .hasMessageContaining("topic consent-events")
                .hasMessageContaining("occurredAt");
    }

    @Test
    void withoutAutoRegisterAnUnregisteredSchemaFailsClearly() {
        AvroSerde<TestConsent> serde = new AvroSerde<>(registry, TestConsent.class, false);

        assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, consent("s")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("is not registered under subject consent-events-value")
                .hasMessageContaining("auto-registration is off");
        assertThat(registry.subjects()).isEmpty();
    }

    @Test
    void withoutAutoRegisterTheExistingIdIsUsedAndNothingIsRegistered() {
        registry.register("other-value", new Schema.Parser().parse(TestConsent.V1_SCHEMA_JSON));
        int id = registry.register("consent-events-value", TestConsent.SCHEMA$);
        CountingRegistry counting = new CountingRegistry(registry);
        AvroSerde<TestConsent> serde = new AvroSerde<>(counting, TestConsent.class, false);

        byte[] bytes = serde.serializer().serialize(TOPIC, consent("s"));
        serde.serializer().serialize(TOPIC, consent("t"));

        assertThat(id).isEqualTo(2);
        assertThat(AvroSerde.schemaIdOf(bytes)).isEqualTo(2);
        assertThat(counting.calls).containsExactly("idOf consent-events-value");
        assertThat(registry.versions("consent-events-value")).hasSize(1);
    }

    @Test
    void jsonPayloadIsRejectedNamingFirstByteAndTopic() {
        AvroSerde<TestConsent> serde = new AvroSerde<>(registry, TestConsent.class);
        byte[] json = "{\"subjectId\":\"s\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, json))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith(
                        "not Confluent wire format: first byte is 0x7b, expected 0x00 (topic consent-events)")
                .hasMessageContaining("looks like JSON");
    }

    @Test
    void payloadShorterThanHeaderIsRejected() {
        AvroSerde<TestConsent> serde = new AvroSerde<>(registry, TestConsent.class);

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not Confluent wire format: 3 byte(s), expected at least 5")
                .hasMessageContaining("(topic consent-events)");
        assertThatThrownBy(() -> AvroSerde.schemaIdOf(new byte[0]))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("0 byte(s)");
    }

    @Test
    void truncatedPayloadNamesTopicAndSchemaId() {
        AvroSerde<TestConsent> serde = new AvroSerde<>(registry, TestConsent.class);
        byte[] bytes = serde.serializer().serialize(TOPIC, consent("subject-1"));
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 4);

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic consent-events")
                .hasMessageContaining("schema id 1")
                .hasRootCauseInstanceOf(EOFException.class);
    }

    @Test
    void unknownSchemaIdIsReportedWithIdAndTopic() {
        AvroSerde<TestConsent> serde = new AvroSerde<>(registry, TestConsent.class);
        byte[] bytes = {0, 0, 0, 0, 99, 2, 'x'};

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("unknown schema id 99 (topic consent-events)")
                .hasCauseInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void unknownUnionBranchIsASerializationException() throws IOException {
        int id = registry.register("consent-events-value", TestConsent.SCHEMA$);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0, 0, 0, 0, (byte) id});
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        encoder.writeString("subject-1");
        encoder.writeBoolean(true);
        encoder.writeLong(AT.toEpochMilli());
        encoder.writeIndex(7); // note is ["null","string"]: there is no branch 7
        encoder.writeString("web");
        encoder.flush();
        AvroSerde<TestConsent> serde = new AvroSerde<>(registry, TestConsent.class);

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, out.toByteArray()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic consent-events")
                .hasMessageContaining("schema id " + id);
    }

    @Test
    void recordOfAnotherTypeOnTheTopicIsASerializationException() throws IOException {
        Schema other = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Unrelated\",\"namespace\":\"x\","
                + "\"fields\":[{\"name\":\"n\",\"type\":\"int\"}]}");
        int id = registry.register("consent-events-value", other);
        GenericRecord record = new GenericData.Record(other);
        record.put("n", 42);
        AvroSerde<TestConsent> serde = new AvroSerde<>(registry, TestConsent.class);

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, confluentBytes(id, other, record)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic consent-events")
                .hasMessageContaining("schema id " + id + " (x.Unrelated");
    }

    @Test
    void nullInRequiredFieldFailsSerializationNamingTheField() {
        AvroSerde<TestConsent> serde = new AvroSerde<>(registry, TestConsent.class);

        assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, new TestConsent(null, true, AT, null, "web")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic consent-events")
                .hasMessageContaining("subjectId");
    }

    @Test
    void schemaIdOfRejectsNonWireBytes() {
        assertThatThrownBy(() -> AvroSerde.schemaIdOf(new byte[] {1, 0, 0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessage("not Confluent wire format: first byte is 0x01, expected 0x00");
    }

    @Test
    void classWithoutSchemaIsRejectedAtConstruction() {
        assertThatThrownBy(() -> new AvroSerde<>(registry, NoSchemaRecord.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(NoSchemaRecord.class.getName());
    }

    /** Writes the Confluent wire format by hand, as an older or foreign producer would. */
    static byte[] confluentBytes(int id, Schema writerSchema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(writerSchema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** Not a usable record class: no SCHEMA$. */
    public abstract static class NoSchemaRecord extends org.apache.avro.specific.SpecificRecordBase {
    }

    /** Registers normally but answers a fixed id. */
    private static final class InMemoryWithFixedId implements SchemaRegistry {
        private final int id;
        private final InMemorySchemaRegistry inner = new InMemorySchemaRegistry();

        InMemoryWithFixedId(int id) {
            this.id = id;
        }

        @Override
        public int register(String subject, Schema schema) {
            inner.register(subject, schema);
            return id;
        }

        @Override
        public int idOf(String subject, Schema schema) {
            return id;
        }

        @Override
        public Schema schemaById(int requested) {
            if (requested != id) {
                throw new SchemaRegistryException("no " + requested, 404, 40403);
            }
            return inner.schemaById(1);
        }

        @Override
        public boolean isCompatible(String subject, Schema schema) {
            return true;
        }

        @Override
        public void setCompatibility(String subject, String level) {
        }

        @Override
        public java.util.List<String> subjects() {
            return inner.subjects();
        }
    }
}
