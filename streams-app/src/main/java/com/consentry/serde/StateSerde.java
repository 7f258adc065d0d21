package com.consentry.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
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
 * <p>The bytes are those of Avro's {@code BinaryMessageEncoder} (the generated classes' {@code getEncoder()} and
 * {@code getDecoder()} read and write them too), but framed here around Avro's buffered binary encoder and
 * array decoder: {@code BinaryMessageEncoder}/{@code Decoder} go through Avro's unbuffered encoder and
 * decoder over synchronized streams, a byte at a time, which costs about as much again as the encoding.
 *
 * @param <T> the domain type
 */
public final class StateSerde<T> implements Serde<T> {
    /** The first two bytes of every Avro single-object encoded value. */
    public static final byte[] AVRO_HEADER = {(byte) 0xC3, (byte) 0x01};
    /** Header plus the 8-byte fingerprint of the writer schema. */
    public static final int AVRO_HEADER_SIZE = 10;

    private final String what;
    private final Format<T, ?> format;
    private final JsonSerde<T> legacy;

    private StateSerde(String what, Format<T, ?> format, JsonSerde<T> legacy) {
        this.what = what;
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
        return new StateSerde<>(Objects.requireNonNull(what, "what"), new Format<>(schema, toAvro, fromAvro),
                Objects.requireNonNull(legacy, "legacy"));
    }

    /** Also reads values written with these (older) schemas, resolved against the current one. Returns this. */
    public StateSerde<T> readingAlso(Schema... writerSchemas) {
        for (Schema s : writerSchemas) {
            format.addWriterSchema(s);
        }
        return this;
    }

    /** The schema this serde writes with. */
    public Schema schema() {
        return format.schema;
    }

    /** The CRC-64-AVRO fingerprint this serde writes in every value's header. */
    public long fingerprint() {
        return format.fingerprint;
    }

    /** The value's bytes: Avro single-object encoding; null for null. */
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        try {
            return format.write(data);
        } catch (IOException | RuntimeException e) {
            // the custom coders say only that some field was null: the reflective writer names it
            Exception named = format.explain(data, e);
            throw new SerializationException("cannot write " + what + " as Avro to topic " + topic + ": " + named, named);
        }
    }

    /** The value of Avro single-object bytes, or of the JSON of an earlier release; null for null. */
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length >= AVRO_HEADER_SIZE && data[0] == AVRO_HEADER[0] && data[1] == AVRO_HEADER[1]) {
            return readAvro(topic, data);
        }
        if (data.length > 0 && (data[0] == '{' || data[0] == '[')) {
            return readLegacyJson(topic, data);
        }
        throw new SerializationException("cannot read " + what + " from topic " + topic + ": neither Avro single-object"
                + " encoding (C3 01 and a schema fingerprint) nor the JSON of an earlier release; first bytes "
                + hex(Arrays.copyOf(data, Math.min(data.length, 4))));
    }

    private T readAvro(String topic, byte[] data) {
        long fingerprint = writerFingerprint(data);
        DatumReader<?> reader = format.readerFor(fingerprint);
        if (reader == null) {
            throw new SerializationException("cannot read " + what + " from topic " + topic + ": the writer schema"
                    + " fingerprint " + String.format("%016x", fingerprint) + " is not one this release reads (its own"
                    + " is " + String.format("%016x", format.fingerprint) + "): written by a newer release, or by an older"
                    + " one whose schema this release does not register (StateSerde.readingAlso)?");
        }
        try {
            return format.read(reader, data);
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

    /** The writer fingerprint of an Avro single-object value (little-endian, after the 2-byte marker). */
    private static long writerFingerprint(byte[] data) {
        long fp = 0;
        for (int i = AVRO_HEADER_SIZE - 1; i >= AVRO_HEADER.length; i--) {
            fp = (fp << 8) | (data[i] & 0xFF);
        }
        return fp;
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
        return this::serialize;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this::deserialize;
    }

    /**
     * The Avro side: the schema's header, its (thread-safe) datum writer and readers (one per known writer
     * schema, by fingerprint), per-thread encoder, decoder and buffer, and the two conversions.
     */
    private static final class Format<T, A> {
        private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

        private final Schema schema;
        private final SpecificData model;
        private final long fingerprint;
        private final byte[] header;
        private final DatumWriter<A> writer;
        /** The reflective writer, whose errors name the field: only to explain a value the writer refused. */
        private final DatumWriter<A> explaining;
        private final DatumReader<A> reader;
        private final Map<Long, DatumReader<A>> olderReaders = new ConcurrentHashMap<>();
        private final Function<T, A> toAvro;
        private final Function<A, T> fromAvro;

        Format(Schema schema, Function<T, A> toAvro, Function<A, T> fromAvro) {
            this.schema = schema;
            // the generated class's own model (its conversions), with Avro's custom coders: the generated encoder of a
            // record without logical types (every state schema) writes about twice as fast as the reflective writer;
            // a record with logical types has none and takes the reflective path
            SpecificData generated = SpecificData.getForSchema(schema);
            this.model = new SpecificData(generated.getClassLoader());
            generated.getConversions().forEach(model::addLogicalTypeConversion);
            model.setCustomCoders(true);
            this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
            this.header = Arrays.copyOf(AVRO_HEADER, AVRO_HEADER_SIZE);
            for (int i = 0; i < 8; i++) {
                header[AVRO_HEADER.length + i] = (byte) (fingerprint >>> (8 * i));
            }
            this.writer = new SpecificDatumWriter<>(schema, model);
            this.explaining = new SpecificDatumWriter<>(schema, generated);
            this.reader = new SpecificDatumReader<>(schema, schema, model);
            this.toAvro = toAvro;
            this.fromAvro = fromAvro;
        }

        void addWriterSchema(Schema writerSchema) {
            olderReaders.put(SchemaNormalization.parsingFingerprint64(writerSchema),
                    new SpecificDatumReader<>(writerSchema, schema, model));
        }

        DatumReader<A> readerFor(long writerFingerprint) {
            return writerFingerprint == fingerprint ? reader : olderReaders.get(writerFingerprint);
        }

        byte[] write(T value) throws IOException {
            A record = toAvro.apply(value);
            Buffers b = BUFFERS.get();
            b.out.reset();
            b.out.write(header);
            b.encoder = EncoderFactory.get().binaryEncoder(b.out, b.encoder);
            writer.write(record, b.encoder);
            b.encoder.flush();
            return b.out.toByteArray();
        }

        /** The reflective writer's error for {@code value}, or {@code failure} when it has none. */
        Exception explain(T value, Exception failure) {
            try {
                explaining.write(toAvro.apply(value), EncoderFactory.get().binaryEncoder(OutputStream.nullOutputStream(),
                        null));
                return failure;
            } catch (IOException | RuntimeException e) {
                return e;
            }
        }

        @SuppressWarnings("unchecked")
        T read(DatumReader<?> with, byte[] data) throws IOException {
            Buffers b = BUFFERS.get();
            b.decoder = DecoderFactory.get().binaryDecoder(data, AVRO_HEADER_SIZE, data.length - AVRO_HEADER_SIZE,
                    b.decoder);
            return fromAvro.apply(((DatumReader<A>) with).read(null, b.decoder));
        }

        /** The value as it reads back after a rewrite in Avro. */
        T normalise(T value) {
            return value == null ? null : fromAvro.apply(toAvro.apply(value));
        }
    }

    /** One thread's reusable output buffer, encoder and decoder. */
    private static final class Buffers {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        BinaryEncoder encoder;
        BinaryDecoder decoder;
    }
}
