package com.consentry.serde;

import java.util.Map;
import java.util.Objects;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for Avro specific records in the Confluent wire format: magic byte {@code 0}, the writer schema's registry
 * id as 4 bytes big-endian, then the Avro binary encoding.
 *
 * <p>The serializer registers (or, with {@code autoRegister=false}, looks up) the record class's schema under the
 * subject {@code <topic>-value} ({@code <topic>-key} when configured as a key serde), once per topic. The deserializer
 * fetches the writer schema by id (once per id) and resolves it against the record class's schema, so records
 * written with older or newer compatible schemas decode into the current class.
 *
 * <p>Failures are {@link SerializationException}s naming the topic and schema id; registry failures are their
 * cause. {@code null} maps to {@code null} both ways (tombstones).
 *
 * @param <T> a generated (or hand-written) {@link SpecificRecord} class with a static {@code SCHEMA$}
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    /** The first byte of every Confluent wire format payload. */
    public static final byte MAGIC_BYTE = 0x0;
    /** Magic byte plus the 4-byte schema id. */
    public static final int HEADER_SIZE = 5;

    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;

    /** A serde that auto-registers the schema of {@code type}. */
    public AvroSerde(SchemaRegistry registry, Class<T> type) {
        this(registry, type, true);
    }

    /**
     * @param autoRegister true to register the schema on first use per topic; false to require it to be registered
     *                     already (the serializer then only looks its id up)
     */
    public AvroSerde(SchemaRegistry registry, Class<T> type, boolean autoRegister) {
        this.serializer = new AvroSerializer<>(registry, type, autoRegister);
        this.deserializer = new AvroDeserializer<>(registry, type);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    /** The reader/writer schema: the record class's own schema. */
    public Schema schema() {
        return serializer.schema();
    }

    /**
     * The schema id in a Confluent wire format payload.
     *
     * @throws SerializationException if the bytes are not in that format
     */
    public static int schemaIdOf(byte[] wireBytes) {
        Objects.requireNonNull(wireBytes, "wireBytes");
        checkWireFormat(wireBytes, null);
        return readId(wireBytes);
    }

    /** The subject name for a topic under Confluent's default TopicNameStrategy. */
    public static String subjectFor(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    static int readId(byte[] data) {
        return ((data[1] & 0xff) << 24) | ((data[2] & 0xff) << 16) | ((data[3] & 0xff) << 8) | (data[4] & 0xff);
    }

    static void checkWireFormat(byte[] data, String topic) {
        String where = topic == null ? "" : " (topic " + topic + ")";
        if (data.length < HEADER_SIZE) {
            throw new SerializationException("not Confluent wire format: " + data.length
                    + " byte(s), expected at least " + HEADER_SIZE + " (magic byte 0x00 and a 4-byte schema id)"
                    + where);
        }
        if (data[0] != MAGIC_BYTE) {
            String hint = data[0] == '{' || data[0] == '[' ? "; the payload looks like JSON" : "";
            throw new SerializationException(String.format("not Confluent wire format: first byte is 0x%02x, expected 0x00%s%s",
                    data[0] & 0xff, where, hint));
        }
    }

    /** The schema of a specific record class and the {@link SpecificData} that knows its logical-type conversions. */
    static <T> Schema schemaOf(Class<T> type, SpecificData model) {
        try {
            return model.getSchema(type);
        } catch (AvroRuntimeException e) {
            throw new IllegalArgumentException(type.getName()
                    + " is not an Avro specific record class with a static SCHEMA$ field: " + e.getMessage(), e);
        }
    }
}
