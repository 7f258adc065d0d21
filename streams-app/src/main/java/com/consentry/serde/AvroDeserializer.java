package com.consentry.serde;

import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire format payloads into specific records, resolving the writer schema (fetched by id) against
 * the record class's schema; see {@link AvroSerde}. Thread-safe.
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private final SchemaRegistry registry;
    private final Class<T> type;
    private final SpecificData model;
    private final Schema readerSchema;
    private final ConcurrentMap<Integer, SpecificDatumReader<T>> readersById = new ConcurrentHashMap<>();

    public AvroDeserializer(SchemaRegistry registry, Class<T> type) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.type = Objects.requireNonNull(type, "type");
        this.model = SpecificData.getForClass(type);
        this.readerSchema = AvroSerde.schemaOf(type, model);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // nothing to configure: the writer schema comes from the payload's id
    }

    /** The reader schema: the record class's own. */
    public Schema schema() {
        return readerSchema;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        AvroSerde.checkWireFormat(data, topic);
        int id = AvroSerde.readId(data);
        SpecificDatumReader<T> reader = readersById.computeIfAbsent(id, i -> newReader(topic, i));
        Object result;
        try {
            BinaryDecoder decoder =
                    DecoderFactory.get().binaryDecoder(data, AvroSerde.HEADER_SIZE, data.length - AvroSerde.HEADER_SIZE, null);
            result = reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode Avro " + type.getSimpleName() + " from topic " + topic
                    + " with writer schema id " + id + " (" + reader.getSchema().getFullName() + ", "
                    + (data.length - AvroSerde.HEADER_SIZE) + " payload bytes): "
                    + (e instanceof EOFException
                            ? "the payload ends before the record does (truncated, or not written with schema id "
                                    + id + ")"
                            : e.toString()),
                    e);
        }
        if (!type.isInstance(result)) {
            throw new SerializationException("decoded a " + result.getClass().getName() + " from topic " + topic
                    + " (schema id " + id + "), not a " + type.getName() + "; is the class for "
                    + readerSchema.getFullName() + " on the classpath?");
        }
        return type.cast(result);
    }

    private SpecificDatumReader<T> newReader(String topic, int id) {
        Schema writerSchema;
        try {
            writerSchema = registry.schemaById(id);
        } catch (SchemaRegistryException e) {
            String what = e.isNotFound() ? "unknown schema id " + id : "cannot fetch writer schema id " + id;
            throw new SerializationException(what + " (topic " + topic + "): " + e.getMessage(), e);
        }
        return new SpecificDatumReader<>(writerSchema, readerSchema, model);
    }
}
