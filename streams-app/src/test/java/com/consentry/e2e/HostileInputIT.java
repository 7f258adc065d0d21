package com.consentry.e2e;

import com.consentry.avro.Channel;
import com.consentry.avro.ConsentEvent;
import com.consentry.avro.ConsentStatus;
import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.DeadLetter;
import com.consentry.avro.EligibilityRow;
import com.consentry.avro.OrderEvent;
import com.consentry.avro.OrderStatus;
import com.consentry.config.AppConfig;
import com.consentry.service.ConsentryService;
import com.consentry.service.EventPublisher;
import com.consentry.topology.Topics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, the hostile input catalogue, over a real broker and registry: each hostile record is produced to
 * {@code consent-events} between two good consents on the same partition. Each shows up on
 * {@code consentry-dead-letter} with its own specific reason, at its offset, and every good consent around it
 * is processed (its customer's view is published).
 */
class HostileInputIT extends WithLocalCluster {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_RECORD_BYTES = 4096;
    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    /** One hostile record: its key, value and timestamp, and what its dead letter must say. */
    private record Case(String name, String key, byte[] value, long timestamp, Consumer<DeadLetter> expect) {
    }

    @Test
    void everyHostileRecordIsDeadLetteredWithItsReasonAndTheGoodRecordsAroundItAreProcessed() throws Exception {
        String prefix = LocalCluster.uniquePrefix();
        AppConfig config = cluster.config(prefix, Files.createDirectories(temp.resolve(prefix)), Map.of(
                "consentry.topics.partitions", "1",
                "consentry.ingest.max-record-bytes", Integer.toString(MAX_RECORD_BYTES)));
        Topics topics = config.topics();
        String topic = topics.consentEvents();
        List<Case> cases = cases(topics);

        Map<String, Long> badOffsets = new LinkedHashMap<>();
        List<String> good = new ArrayList<>();
        List<Integer> partitions = new ArrayList<>();
        try (ConsentryService service = new ConsentryService(config)) {
            service.start();
            try (EventPublisher publisher = new EventPublisher(config, cluster.registryClient)) {
                partitions.add(publishGood(publisher, topic, good));
                for (Case c : cases) {
                    RecordMetadata m = publisher.publishRaw(topic, c.key(), c.value(), c.timestamp()).get();
                    badOffsets.put(c.name(), m.offset());
                    partitions.add(m.partition());
                    partitions.add(publishGood(publisher, topic, good));
                }
            }
            cluster.awaitCaughtUp(config.get("consentry.application.id"), topics, Duration.ofSeconds(90));
        }
        assertThat(partitions).as("every record on one partition").containsOnly(partitions.get(0));

        List<ConsumerRecord<String, DeadLetter>> dead = cluster.readAll(topics.deadLetter(),
                cluster.avro.deadLetter().deserializer(), Duration.ofSeconds(1));
        assertThat(dead).as("one dead letter per hostile record, in order").hasSameSizeAs(cases);
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            DeadLetter d = dead.get(i).value();
            assertThat(d.getSourceTopic()).as(c.name()).isEqualTo(topic);
            assertThat(d.getPartition()).as(c.name()).isEqualTo(partitions.get(0));
            assertThat(d.getOffset()).as(c.name() + ": offset").isEqualTo(badOffsets.get(c.name()));
            c.expect().accept(d);
        }

        Map<String, CustomerEligibility> views = cluster.readAll(topics.customerEligibility(),
                        cluster.avro.eligibility().deserializer(), Duration.ofSeconds(1)).stream()
                .collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value, (a, b) -> b, LinkedHashMap::new));
        assertThat(views.keySet()).as("every good consent before and after each hostile record, and nothing else")
                .containsExactlyElementsOf(good);
        assertThat(views.values()).allSatisfy(v -> assertThat(emailRow(v).getReason().name()).isEqualTo("CONSENT"));
    }

    private List<Case> cases(Topics topics) throws IOException {
        String topic = topics.consentEvents();
        long ts = AT.toEpochMilli();
        byte[] framed = cluster.avro.consentEvent().serializer().serialize(topic, consent("c-bad", AT).build());
        byte[] valid = Arrays.copyOfRange(framed, 5, framed.length);

        List<Case> cases = new ArrayList<>();
        byte[] json = "{\"customerId\":\"c-bad\",\"brand\":\"NET-A-PORTER\"}".getBytes(StandardCharsets.UTF_8);
        cases.add(new Case("not Avro", "c-bad", json, ts, serialization(
                "not Confluent wire format: first byte is 0x7b, expected 0x00 (topic " + topic
                        + "); the payload looks like JSON")));

        byte[] magic = framed.clone();
        magic[0] = 1;
        cases.add(new Case("wrong magic byte", "c-bad", magic, ts, serialization(
                "not Confluent wire format: first byte is 0x01, expected 0x00 (topic " + topic + ")")));

        cases.add(new Case("unknown schema id", "c-bad", frame(0x7ffffff0, valid), ts,
                serialization("unknown schema id 2147483632 (topic " + topic + ")")));

        // the same record name, but channel written as a string: Avro cannot resolve it to the enum
        Schema channelAsString = variant(f -> {
            ArrayNode fields = (ArrayNode) f.get("fields");
            ((ObjectNode) fields.get(4)).put("type", "string");
        });
        GenericRecord r = generic(channelAsString);
        r.put("channel", "EMAIL");
        cases.add(new Case("incompatible writer schema", "c-bad", write(topics, channelAsString, r), ts, serialization(
                "cannot decode Avro ConsentEvent from topic " + topic, "expecting", "Channel")));

        // another topic's record, with its own (registered) schema id
        byte[] order = cluster.avro.orderEvent().serializer().serialize(topics.orderEvents(), OrderEvent.newBuilder()
                .setEventId("o1").setCustomerId("c-bad").setEventTime(AT).setOrderId("order-1").setBrand("NET-A-PORTER")
                .setStatus(OrderStatus.PLACED).build());
        cases.add(new Case("another topic's schema", "c-bad", order, ts, serialization(
                "cannot decode Avro ConsentEvent from topic " + topic, "com.consentry.avro.OrderEvent")));

        cases.add(new Case("truncated Avro", "c-bad", Arrays.copyOf(framed, framed.length - 12), ts, serialization(
                "the payload ends before the record does")));

        // written without the required customerId (no default): Avro cannot fill it in
        Schema noCustomerId = variant(f -> ((ArrayNode) f.get("fields")).remove(1));
        GenericRecord nc = generic(noCustomerId);
        cases.add(new Case("missing required field (writer schema)", "c-bad", write(topics, noCustomerId, nc), ts,
                serialization("cannot decode Avro ConsentEvent from topic " + topic, "customerId")));
        cases.add(new Case("missing required field (empty)", "", cluster.avro.consentEvent().serializer().serialize(
                topic, consent("", AT).build()), ts, invalid("customerId: missing")));
        cases.add(new Case("missing source", "c-bad", cluster.avro.consentEvent().serializer().serialize(topic,
                consent("c-bad", AT).setSource(null).build()), ts, invalid("source: missing")));

        // a producer with a newer schema: a channel this version does not know is read as UNKNOWN
        Schema newerChannel = variant(f -> {
            ObjectNode channel = (ObjectNode) ((ArrayNode) f.get("fields")).get(4).get("type");
            ((ArrayNode) channel.get("symbols")).add("CARRIER_PIGEON");
        });
        GenericRecord pigeon = generic(newerChannel);
        pigeon.put("channel", new GenericData.EnumSymbol(newerChannel.getField("channel").schema(), "CARRIER_PIGEON"));
        cases.add(new Case("unknown enum symbol", "c-bad", write(topics, newerChannel, pigeon), ts,
                invalid("channel: unknown value (expected one of EMAIL, SMS, POST, PHONE, TARGETED_ADS)")));

        byte[] large = cluster.avro.consentEvent().serializer().serialize(topic,
                consent("c-bad", AT).setSource("x".repeat(MAX_RECORD_BYTES)).build());
        cases.add(new Case("larger than the limit", "c-bad", large, ts, d -> {
            assertThat(d.getErrorClass()).isEqualTo("com.consentry.ingest.InvalidEventException");
            assertThat(d.getErrorMessage()).isEqualTo("record: " + (large.length + 5) + " bytes (key and value) is more "
                    + "than consentry.ingest.max-record-bytes (" + MAX_RECORD_BYTES + "); the dead letter keeps neither");
            assertThat(d.getValue()).as("the value is not kept").isNull();
            assertThat(d.getKey()).as("nor the key").isNull();
        }));

        cases.add(new Case("null value", "c-bad", null, ts, invalid("value: null (a tombstone is not an event)")));
        cases.add(new Case("null key", null, framed, ts,
                invalid("key: missing (input topics are keyed by customerId, here 'c-bad')")));
        cases.add(new Case("key not the customerId", "c-other", framed, ts,
                invalid("key: does not match customerId 'c-bad' (input topics are keyed by customerId)")));

        cases.add(new Case("event time in the year 3000", "c-bad", cluster.avro.consentEvent().serializer().serialize(
                topic, consent("c-bad", Instant.parse("3000-01-01T00:00:00Z")).build()), ts,
                invalid("at: 3000-01-01T00:00:00Z is after 2100-01-01T00:00:00Z (consentry.ingest.max-event-time)")));
        cases.add(new Case("event time before 1970", "c-bad", cluster.avro.consentEvent().serializer().serialize(
                topic, consent("c-bad", Instant.parse("1969-07-20T20:17:00Z")).build()), ts,
                invalid("at: 1969-07-20T20:17:00Z is before 1970-01-01T00:00:00Z (Kafka cannot carry it as a timestamp)")));
        return cases;
    }

    /** A good consent of a new customer (g0, g1, ...), so that each shows as its own view. */
    private static int publishGood(EventPublisher publisher, String topic, List<String> good) throws Exception {
        String customer = "g" + good.size();
        good.add(customer);
        byte[] value = cluster.avro.consentEvent().serializer().serialize(topic, consent(customer, AT).build());
        return publisher.publishRaw(topic, customer, value, AT.toEpochMilli()).get().partition();
    }

    private static ConsentEvent.Builder consent(String customerId, Instant at) {
        return ConsentEvent.newBuilder().setEventId("e-" + customerId + "-" + at.toEpochMilli()).setCustomerId(customerId)
                .setEventTime(at).setBrand("NET-A-PORTER").setChannel(Channel.EMAIL).setStatus(ConsentStatus.GRANTED)
                .setSource("CHECKOUT");
    }

    private static Consumer<DeadLetter> serialization(String... parts) {
        return d -> {
            assertThat(d.getErrorClass()).isEqualTo("org.apache.kafka.common.errors.SerializationException");
            assertThat(d.getErrorMessage()).contains(parts);
        };
    }

    private static Consumer<DeadLetter> invalid(String message) {
        return d -> {
            assertThat(d.getErrorClass()).isEqualTo("com.consentry.ingest.InvalidEventException");
            assertThat(d.getErrorMessage()).isEqualTo(message);
        };
    }

    /** The ConsentEvent schema, changed by {@code change} (on its JSON form). */
    private static Schema variant(Consumer<ObjectNode> change) throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(ConsentEvent.getClassSchema().toString());
        change.accept(json);
        return new Schema.Parser().parse(json.toString());
    }

    /** A record of {@code schema} with the fields of a good consent that it has. */
    private static GenericRecord generic(Schema schema) {
        ConsentEvent e = consent("c-bad", AT).build();
        GenericRecord r = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
            Object v = e.get(f.name());
            if (v instanceof Enum<?> en) {
                v = new GenericData.EnumSymbol(f.schema(), en.name());
            } else if (v instanceof Instant i) {
                v = i.toEpochMilli();
            }
            r.put(f.name(), v);
        }
        return r;
    }

    /** Registers {@code schema} under a subject of its own (as another producer would) and writes {@code r} with it. */
    private static byte[] write(Topics topics, Schema schema, GenericRecord r) throws IOException {
        int id = cluster.registryClient.register(topics.consentEvents() + "-hostile-" + Math.abs(schema.hashCode())
                + "-value", schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(r, enc);
        enc.flush();
        return frame(id, out.toByteArray());
    }

    private static byte[] frame(int id, byte[] payload) {
        return ByteBuffer.allocate(5 + payload.length).put((byte) 0).putInt(id).put(payload).array();
    }

    private static EligibilityRow emailRow(CustomerEligibility view) {
        return view.getRows().stream()
                .filter(r -> r.getBrand().equals("NET-A-PORTER") && r.getChannel() == Channel.EMAIL)
                .findFirst().orElseThrow();
    }
}
