package com.consentry.ingest;

import com.consentry.avro.CustomerEvent;
import com.consentry.avro.CustomerEventType;
import com.consentry.serde.InMemorySchemaRegistry;
import com.consentry.simulate.FuzzInputs;
import com.consentry.simulate.LineParser;
import com.consentry.simulate.ParsedLine;
import com.consentry.topology.AvroSerdes;
import com.consentry.topology.Topics;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12: fuzzes the decode path of every input topic as {@code DecodeProcessor} runs it, the Avro
 * deserializer then {@link InboundMapper}, with random bytes, with mutated valid encodings (bit flips,
 * overwritten bytes, truncations, insertions, deletions, repeats) and with schema-valid records whose fields
 * hold random values. Each input either decodes to an event or fails with one of the two exceptions the
 * dead-letter path documents: {@link SerializationException} (the bytes) or {@link InvalidEventException}
 * (the meaning). Anything else (another runtime exception, an error such as an OutOfMemoryError) fails.
 */
class DecodeFuzzProperties {
    private static final Topics TOPICS = Topics.defaults();
    private static final AvroSerdes AVRO = AvroSerdes.using(new InMemorySchemaRegistry());
    private static final Map<String, Deserializer<?>> DESERIALIZERS = Map.of(
            TOPICS.customerEvents(), AVRO.customerEvent().deserializer(),
            TOPICS.consentEvents(), AVRO.consentEvent().deserializer(),
            TOPICS.unsubscribeEvents(), AVRO.unsubscribeEvent().deserializer(),
            TOPICS.orderEvents(), AVRO.orderEvent().deserializer(),
            TOPICS.cartEvents(), AVRO.cartEvent().deserializer(),
            TOPICS.sendRequests(), AVRO.sendRequest().deserializer());
    /** Valid encodings of every scenario event, and of a customer event with every field set. */
    private static final List<Encoded> SEEDS = seedList();

    /** Wire-format bytes of an input topic. */
    record Encoded(String topic, byte[] bytes) {
        @Override
        public String toString() {
            return topic + " " + FuzzInputs.hex(bytes);
        }
    }

    @Property(tries = 3000)
    void aMutatedEncodingDecodesOrIsDeadLettered(@ForAll("mutated") Encoded in, @ForAll("recordTimes") long recordTime) {
        Statistics.collect(decodeOrDeadLetter(in, recordTime));
        // the mutations reach every outcome: bytes refused, meaning refused, and mutants that still decode
        Statistics.coverage(c -> {
            c.check("decoded").count(n -> n > 0);
            c.check(SerializationException.class.getSimpleName()).count(n -> n > 0);
            c.check(InvalidEventException.class.getSimpleName()).count(n -> n > 0);
        });
    }

    @Property(tries = 1000)
    void randomBytesAreDeadLettered(@ForAll("topics") String topic, @ForAll("randomBytes") byte[] bytes,
                                    @ForAll("recordTimes") long recordTime) {
        decodeOrDeadLetter(new Encoded(topic, bytes), recordTime);
    }

    @Property(tries = 2000)
    void aSchemaValidRecordWithRandomFieldsDecodesOrIsDeadLettered(@ForAll("records") SpecificRecord record,
                                                                   @ForAll("recordTimes") long recordTime) {
        String topic = FuzzInputs.topicOf(TOPICS, record);
        decodeOrDeadLetter(new Encoded(topic, AVRO.inputSerializer(TOPICS, topic).serialize(topic, record)), recordTime);
    }

    @Property(tries = 200)
    void theSeedsThemselvesDecode(@ForAll("seeds") Encoded in) {
        Object avro = DESERIALIZERS.get(in.topic()).deserialize(in.topic(), in.bytes());
        assertThat(AVRO.inputSerializer(TOPICS, in.topic()).serialize(in.topic(), (SpecificRecord) avro))
                .as("a seed is a valid encoding: it reads back to the same bytes").isEqualTo(in.bytes());
    }

    /**
     * What DecodeProcessor does with a record's value; the outcomes it dead-letters are allowed.
     *
     * @return "decoded", or the simple name of the exception that dead-letters it
     */
    private static String decodeOrDeadLetter(Encoded in, long recordTime) {
        try {
            Object avro = DESERIALIZERS.get(in.topic()).deserialize(in.topic(), in.bytes());
            Inbound event = InboundMapper.map(avro, Instant.ofEpochMilli(recordTime), EventTimeRules.DEFAULTS);
            assertThat(event.key()).as("a decoded event has a key").isNotBlank();
            return "decoded";
        } catch (SerializationException | InvalidEventException e) {
            assertThat(e.getMessage()).as("a dead letter's reason").isNotBlank();
            return e.getClass().getSimpleName();
        }
    }

    private static List<Encoded> seedList() {
        List<Encoded> out = new ArrayList<>();
        LineParser parser = new LineParser(TOPICS);
        for (String line : FuzzInputs.scenarioLines()) {
            try {
                if (parser.parse(line, 1) instanceof ParsedLine.Event e) {
                    out.add(new Encoded(e.topic(), AVRO.inputSerializer(TOPICS, e.topic()).serialize(e.topic(), e.avro())));
                }
            } catch (LineParser.BadLineException bad) {
                // the scenarios' own bad lines
            }
        }
        CustomerEvent full = CustomerEvent.newBuilder().setEventId("e1").setCustomerId("c1")
                .setEventTime(Instant.parse("2026-03-01T10:00:00Z")).setType(CustomerEventType.UPSERT).setCountry("DE")
                .setBirthDate(LocalDate.of(1990, 1, 2)).setTimezone("Europe/Berlin").setEmail("a@example.com")
                .setPhone("+491701234567").setClearedFields(List.of("phone", "email")).build();
        out.add(new Encoded(TOPICS.customerEvents(), AVRO.customerEvent().serializer().serialize(TOPICS.customerEvents(),
                full)));
        assertThat(out).extracting(Encoded::topic).containsAll(DESERIALIZERS.keySet());
        return out;
    }

    /** Mostly a timestamp after every seed's event time (so that mutants can decode), sometimes any. */
    @Provide
    Arbitrary<Long> recordTimes() {
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(Instant.parse("2026-03-10T00:00:00Z").toEpochMilli())),
                Tuple.of(1, Arbitraries.longs()));
    }

    @Provide
    Arbitrary<Encoded> seeds() {
        return Arbitraries.of(SEEDS);
    }

    @Provide
    Arbitrary<Encoded> mutated() {
        return Combinators.combine(Arbitraries.of(SEEDS), FuzzInputs.byteMutations())
                .as((seed, mutation) -> new Encoded(seed.topic(), mutation.apply(seed.bytes())));
    }

    @Provide
    Arbitrary<String> topics() {
        return Arbitraries.of(List.copyOf(DESERIALIZERS.keySet()));
    }

    @Provide
    Arbitrary<byte[]> randomBytes() {
        // sometimes behind a valid header (magic byte and a registered schema id), so that Avro reads the rest
        Arbitrary<byte[]> any = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        return Arbitraries.oneOf(any, Combinators.combine(Arbitraries.of(SEEDS), any).as((seed, tail) -> {
            byte[] out = new byte[5 + tail.length];
            System.arraycopy(seed.bytes(), 0, out, 0, 5);
            System.arraycopy(tail, 0, out, 5, tail.length);
            return out;
        }));
    }

    @Provide
    Arbitrary<SpecificRecord> records() {
        return FuzzInputs.inputRecords(FuzzInputs.texts(), FuzzInputs.instants());
    }
}
