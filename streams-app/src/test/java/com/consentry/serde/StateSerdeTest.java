package com.consentry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.consentry.policy.Channel;
import com.consentry.policy.Suppression;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * {@link StateSerde} itself, on suppressions: the legacy JSON path, the errors a user reads when a value
 * cannot be read, and reading a value written with an older version of its schema.
 */
class StateSerdeTest {
    private static final String TOPIC = "consentry-suppressions";
    private static final Schema SCHEMA = com.consentry.avro.state.Suppression.getClassSchema();
    private static final Instant AT = Instant.parse("2026-03-01T10:00:00.123456789Z");
    private static final Suppression VALUE =
            new Suppression("hash-1", EnumSet.of(Channel.SMS, Channel.PHONE), AT, "ev-1", "SMS_STOP");

    private static StateSerde<Suppression> serde() {
        return StateSerde.of("Suppression (test)", SCHEMA, PolicyCodec::toAvro, PolicyCodec::fromAvro,
                new JsonSerde<>(Suppression.class));
    }

    @Test
    void writesAvroSingleObjectEncodingMuchSmallerThanTheJson() {
        byte[] avro = serde().serialize(TOPIC, VALUE);
        byte[] json = new JsonSerde<>(Suppression.class).serialize(TOPIC, VALUE);

        assertThat(avro).startsWith(0xC3, 0x01);
        assertThat(ByteBuffer.wrap(avro, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong())
                .isEqualTo(org.apache.avro.SchemaNormalization.parsingFingerprint64(SCHEMA));
        assertThat(avro.length).isLessThan(json.length * 2 / 3);
        assertThat(serde().deserialize(TOPIC, avro)).isEqualTo(VALUE);
    }

    @Test
    void theBytesAreAvrosOwnSingleObjectEncodingBothWays() throws IOException {
        var record = PolicyCodec.toAvro(VALUE);

        byte[] ours = serde().serialize(TOPIC, VALUE);
        byte[] avros = com.consentry.avro.state.Suppression.getEncoder().encode(record).array();

        assertThat(ours).isEqualTo(avros);
        assertThat(com.consentry.avro.state.Suppression.getDecoder().decode(ours)).isEqualTo(record);
        assertThat(serde().deserialize(TOPIC, avros)).isEqualTo(VALUE);
    }

    @Test
    void readsTheJsonOfTheEarlierReleaseAsItsRewrittenForm() {
        byte[] legacy = ("{\"addressHash\":\"hash-1\",\"at\":\"2026-03-01T10:00:00.123456789Z\",\"channels\":[\"PHONE\","
                + "\"SMS\"],\"eventId\":\"ev-1\",\"source\":\"SMS_STOP\"}").getBytes(StandardCharsets.UTF_8);

        Suppression read = serde().deserialize(TOPIC, legacy);

        assertThat(read).isEqualTo(VALUE);
        assertThat(read.channels()).as("as a rewrite reads it, not as Jackson's HashSet").isInstanceOf(EnumSet.class);
        assertThat(new JsonSerde<>(Suppression.class).deserialize(TOPIC, legacy).channels()).isInstanceOf(HashSet.class);
    }

    @Test
    void unreadableLegacyJsonNamesTheValueAndTopic() {
        assertThatThrownBy(() -> serde().deserialize(TOPIC, "{\"channels\": 7".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(TOPIC)
                .hasMessageContaining("Suppression");
    }

    @Test
    void anUnknownSchemaFingerprintFailsNamingValueTopicAndFingerprint() {
        byte[] bytes = serde().serialize(TOPIC, VALUE);
        bytes[2] ^= 0x5A; // another writer schema

        assertThatThrownBy(() -> serde().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Suppression (test)")
                .hasMessageContaining(TOPIC)
                .hasMessageContaining(String.format("%016x", serde().fingerprint()))
                .hasMessageContaining("newer release");
    }

    @Test
    void bytesThatAreNeitherAvroNorJsonFailNamingTheirFirstBytes() {
        assertThatThrownBy(() -> serde().deserialize(TOPIC, new byte[] {0, 0, 0, 1, 7}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Suppression (test)")
                .hasMessageContaining("00000001");
        assertThatThrownBy(() -> serde().deserialize(TOPIC, new byte[0])).isInstanceOf(SerializationException.class);
    }

    @Test
    void aTruncatedAvroValueFails() {
        byte[] bytes = serde().serialize(TOPIC, VALUE);
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 5);

        assertThatThrownBy(() -> serde().deserialize(TOPIC, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Suppression (test)");
    }

    @Test
    void anEnumSymbolThisReleaseDoesNotKnowFailsInsteadOfGuessing() throws IOException {
        var record = PolicyCodec.toAvro(VALUE);
        record.setChannels(List.of(com.consentry.avro.Channel.UNKNOWN));
        byte[] bytes = com.consentry.avro.state.Suppression.getEncoder().encode(record).array();

        assertThatThrownBy(() -> serde().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Channel UNKNOWN")
                .hasMessageContaining("newer");
    }

    @Test
    void aValueThatBreaksTheSchemaFailsOnWriteNamingTheValue() {
        Suppression noEventId = new Suppression("hash-1", EnumSet.of(Channel.EMAIL), AT, null, null);

        assertThatThrownBy(() -> serde().serialize(TOPIC, noEventId))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Suppression (test)")
                .hasMessageContaining("eventId");
    }

    @Test
    void aValueWrittenWithAnOlderSchemaIsReadOnceThatSchemaIsRegistered() throws IOException {
        // as if release N-1 had no "source" field: release N added it with a default, and registers N-1's schema
        Schema older = withoutField(SCHEMA, "source");
        GenericRecord old = new GenericData.Record(older);
        old.put("addressHash", "hash-9");
        old.put("channels", List.of(new GenericData.EnumSymbol(com.consentry.avro.Channel.getClassSchema(), "EMAIL")));
        old.put("at", AT.toEpochMilli());
        old.put("atNanoOfMilli", 456_789);
        old.put("eventId", "ev-9");
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(old).array();

        assertThatThrownBy(() -> serde().deserialize(TOPIC, bytes)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("newer release");
        Suppression read = serde().readingAlso(older).deserialize(TOPIC, bytes);

        assertThat(read).isEqualTo(new Suppression("hash-9", Set.of(Channel.EMAIL), AT, "ev-9", null));
    }

    @Test
    void nanosecondsOutOfRangeAreRejected() {
        var record = PolicyCodec.toAvro(VALUE);
        record.setAtNanoOfMilli(1_000_000);

        assertThatThrownBy(() -> PolicyCodec.fromAvro(record)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1000000");
    }

    private static Schema withoutField(Schema record, String name) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : record.getFields()) {
            if (!f.name().equals(name)) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }
}
