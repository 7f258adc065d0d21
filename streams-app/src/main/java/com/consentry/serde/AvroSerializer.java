package com.consentry.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes specific records in the Confluent wire format; see {@link AvroSerde}. Thread-safe.
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private final SchemaRegistry registry;
    private final Class<T> type;
    private final boolean autoRegister;
    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private final ConcurrentMap<String, Integer> idsByTopic = new ConcurrentHashMap<>();
    private volatile boolean isKey;

    public AvroSerializer(SchemaRegistry registry, Class<T> type) {
        this(registry, type, true);
    }

    public AvroSerializer(SchemaRegistry registry, Class<T> type, boolean autoRegister) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.type = Objects.requireNonNull(type, "type");
        this.autoRegister = autoRegister;
        SpecificData model = SpecificData.getForClass(type);
        this.schema = AvroSerde.schemaOf(type, model);
        this.writer = new SpecificDatumWriter<>(schema, model);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
    }

    /** The schema written: the record class's own. */
    public Schema schema() {
        return schema;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        int id = idsByTopic.computeIfAbsent(String.valueOf(topic), this::schemaIdFor);
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.write(AvroSerde.MAGIC_BYTE);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            writer.write(data, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot serialize " + type.getSimpleName() + " as Avro for topic "
                    + topic + " (schema id " + id + "): " + e, e);
        }
        return out.toByteArray();
    }

    private int schemaIdFor(String topic) {
        String subject = AvroSerde.subjectFor(topic, isKey);
        try {
            return autoRegister ? registry.register(subject, schema) : registry.idOf(subject, schema);
        } catch (SchemaRegistryException e) {
            String what;
            if (!autoRegister && e.isNotFound()) {
                what = "schema " + schema.getFullName() + " is not registered under subject " + subject
                        + " and auto-registration is off; register it first";
            } else if (e instanceof IncompatibleSchemaException) {
                what = "the registry refused schema " + schema.getFullName() + " as incompatible with subject "
                        + subject;
            } else {
                what = "cannot " + (autoRegister ? "register" : "look up") + " schema " + schema.getFullName()
                        + " under subject " + subject;
            }
            throw new SerializationException(what + " (topic " + topic + "): " + e.getMessage(), e);
        }
    }
}
