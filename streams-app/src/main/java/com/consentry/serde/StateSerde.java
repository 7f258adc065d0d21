package com.consentry.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for the values of a state store or internal topic: Avro single-object encoding ({@code C3 01}, the
 * 8-byte CRC-64-AVRO fingerprint of the writer schema, little-endian, then the Avro binary body) of a
 * record of {@code schemas/src/main/avro/state}, converted from and to the domain type by two functions.
 *
 * <p>Values are always written in Avro. On read, a value that starts with {@code {} or {@code [} is JSON
 * written by a release before the Avro state format: it is read with the old Jackson mapping and passed
 * through the conversion to Avro and back, so that it comes out exactly as its rewritten form will (sorted
 * sets as sorted sets, enum sets as {@link java.util.EnumSet}s). A deployment thus upgrades in place: state
 * and changelogs the previous release wrote are read, and rewritten in Avro the next time they are put.
 *
 * <p>A value whose fingerprint the serde does not know (written by a newer release, or corrupt) fails
 * with a {@link SerializationException} naming the value, topic and fingerprint. When a state schema
 * changes, {@link #readingAlso} registers the writer schemas of the releases before it. {@code null} maps
 * to {@code null} both ways (tombstones). Thread-safe.
 *
 * @param <T> the domain type
 */
public final class StateSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {
    /** The first two bytes of every Avro single-object encoded value. */
    public static final byte[] AVRO_HEADER = {(byte) 0xC3, (byte) 0x01};
    /** Header plus the 8-byte fingerprint of the writer schema. */
    public static final int AVRO_HEADER_SIZE = 10;

    private final String what;
    private final Schema schema;
    private final Format<T, ?> format;
    private final JsonSerde<T> legacy;

    private StateSerde(String what, Schema schema, Format<T, ?> format, JsonSerde<T> legacy) {
        this.what = what;
        this.schema = schema;
        this.format = format;
        this.legacy = legacy;
    }

    /**
     * @param what     the value and where it lives, for error messages (e.g. {@code "CustomerState (store customers)"})
     * @param schema   the schema of the generated Avro class {@code A}
     * @param toAvro   domain value to Avro record
     * @param fromAvro Avro record to domain value; must return a value the topology may change
     * @param legacy   the JSON serde of the release before the Avro state format, for values it wrote
     */
    public static <T, A extends SpecificRecord> StateSerde<T> of(String what, Schema schema, Function<T, A> toAvro,
                                                                 Function<A, T> fromAvro, JsonSerde<T> legacy) {
        SpecificData model = SpecificData.getForSchema(schema);
        Format<T, A> format = new Format<>(new BinaryMessageEncoder<>(model, schema),
                new BinaryMessageDecoder<>(model, schema), toAvro, fromAvro);
        return new StateSerde<>(Objects.requireNonNull(what, "what"), schema, format,
                Objects.requireNonNull(legacy, "legacy"));
    }

    /** Also reads values written with these (older) schemas, resolved against the current one. Returns this. */
    public StateSerde<T> readingAlso(Schema... writerSchemas) {
        for (Schema s : writerSchemas) {
            format.decoder.addSchema(s);
        }
        return this;
    }

    /** The CRC-64-AVRO fingerprint this serde writes in every value's header. */
    public long fingerprint() {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        try {
            return format.write(data);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot write " + what + " as Avro to topic " + topic + ": " + e, e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length >= AVRO_HEADER.length && data[0] == AVRO_HEADER[0] && data[1] == AVRO_HEADER[1]) {
            return readAvro(topic, data);
        }
        if (data.length > 0 && (data[0] == '{' || data[0] == '[')) {
            return readLegacyJson(topic, data);
        }
        throw new SerializationException("cannot read " + what + " from topic " + topic + ": neither Avro single-object"
                + " encoding (C3 01 ...) nor the JSON of an earlier release; first bytes "
                + hex(Arrays.copyOf(data, Math.min(data.length, 4))));
    }

    private T readAvro(String topic, byte[] data) {
        try {
            return format.read(data);
        } catch (MissingSchemaException | BadHeaderException e) {
            throw new SerializationException("cannot read " + what + " from topic " + topic + ": the writer schema"
                    + " fingerprint " + (data.length >= AVRO_HEADER_SIZE ? writerFingerprint(data) : "(truncated)")
                    + " is not one this release reads (its own is " + String.format("%016x", fingerprint())
                    + "); was it written by a newer release?", e);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot read " + what + " from Avro in topic " + topic + ": " + e, e);
        }
    }

    private T readLegacyJson(String topic, byte[] data) {
        T old = legacy.deserialize(topic, data);
        try {
            return format.normalise(old);
        } catch (RuntimeException e) {
            throw new SerializationException("cannot convert " + what + " read from the JSON of an earlier release"
                    + " in topic " + topic + ": " + e, e);
        }
    }

    /** The writer fingerprint of an Avro single-object value, as the hex of the long (bytes are little-endian). */
    private static String writerFingerprint(byte[] data) {
        long fp = 0;
        for (int i = AVRO_HEADER_SIZE - 1; i >= AVRO_HEADER.length; i--) {
            fp = (fp << 8) | (data[i] & 0xFF);
        }
        return String.format("%016x", fp);
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b & 0xFF));
        }
        return sb.toString();
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // nothing to configure
    }

    @Override
    public void close() {
        // nothing to close
    }

    /** The Avro side: the (thread-safe) single-object encoder and decoder and the two conversions. */
    private record Format<T, A>(BinaryMessageEncoder<A> encoder, BinaryMessageDecoder<A> decoder,
                                Function<T, A> toAvro, Function<A, T> fromAvro) {
        byte[] write(T value) throws IOException {
            ByteBuffer b = encoder.encode(toAvro.apply(value));
            if (b.hasArray() && b.arrayOffset() == 0 && b.position() == 0 && b.remaining() == b.array().length) {
                return b.array();
            }
            byte[] copy = new byte[b.remaining()];
            b.get(copy);
            return copy;
        }

        T read(byte[] data) throws IOException {
            A record = decoder.decode(data);
            if (record == null) {
                throw new AvroRuntimeException("empty Avro value");
            }
            return fromAvro.apply(record);
        }

        /** The value as it reads back after a rewrite in Avro. */
        T normalise(T value) {
            return value == null ? null : fromAvro.apply(toAvro.apply(value));
        }
    }
}
