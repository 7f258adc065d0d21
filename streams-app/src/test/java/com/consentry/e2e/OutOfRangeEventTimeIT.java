package com.consentry.e2e;

import com.consentry.avro.Channel;
import com.consentry.avro.ConsentEvent;
import com.consentry.avro.ConsentStatus;
import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.DeadLetter;
import com.consentry.avro.EligibilityRow;
import com.consentry.config.AppConfig;
import com.consentry.service.ConsentryService;
import com.consentry.service.EventPublisher;
import com.consentry.simulate.LineParser;
import com.consentry.simulate.ParsedLine;
import com.consentry.topology.Topics;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 over a real broker: a consent whose event time Kafka cannot carry used to stamp the service's
 * output with it; the broker (or Kafka Streams, for a time before 1970) refused the write, the stream
 * thread was replaced and the same record retried forever, every later record of its partition, opt-outs
 * included, waiting behind it. Now each such record is dead-lettered with its reason and the records after
 * it on the same partition are processed.
 */
class OutOfRangeEventTimeIT extends WithLocalCluster {
    private static final String CUSTOMER = "h1";
    private static final Instant Y3000 = Instant.parse("3000-01-01T00:00:00Z");

    @Test
    void eventTimesKafkaCannotCarryAreDeadLetteredAndTheGoodRecordsBehindThemAreProcessed() throws Exception {
        String prefix = LocalCluster.uniquePrefix();
        AppConfig config = cluster.config(prefix, Files.createDirectories(temp.resolve(prefix)), Map.of());
        Topics topics = config.topics();
        try (Admin admin = cluster.admin()) {
            // an input topic that takes any CreateTime, the year 3000 included; the service's own topics keep
            // the broker's default (at most one hour ahead of its clock)
            admin.createTopics(List.of(new NewTopic(topics.consentEvents(), 2, (short) 1).configs(Map.of(
                    "retention.ms", "-1", "message.timestamp.after.max.ms", Long.toString(Long.MAX_VALUE)))))
                    .all().get();
        }
        List<Integer> partitions = new ArrayList<>();
        try (ConsentryService service = new ConsentryService(config)) {
            service.start();
            long now = System.currentTimeMillis();
            try (EventPublisher publisher = new EventPublisher(config, cluster.registryClient)) {
                // in records stamped now: the year 3000, before 1970, and two hours ahead (the broker takes
                // the input, stamped now, but would refuse an output stamped two hours ahead)
                partitions.add(publishConsent(publisher, topics, "bad-1", Y3000, now));
                partitions.add(publishConsent(publisher, topics, "bad-2", Instant.parse("1969-12-31T23:59:59Z"), now));
                partitions.add(publishConsent(publisher, topics, "bad-3",
                        Instant.ofEpochMilli(now).plus(Duration.ofHours(2)), now));
                // the year 3000 as the record's timestamp too
                partitions.add(publishConsent(publisher, topics, "bad-4", Y3000, Y3000.toEpochMilli()));
                // then a good consent and its withdrawal (an opt-out), on the same partition
                LineParser parser = new LineParser(topics);
                partitions.add(publisher.publish((ParsedLine.Event) parser.parse(consentLine("good-1",
                        "2026-03-01T10:00:00Z", "GRANTED"), 1)).get().partition());
                partitions.add(publisher.publish((ParsedLine.Event) parser.parse(consentLine("good-2",
                        "2026-03-01T10:05:00Z", "WITHDRAWN"), 2)).get().partition());
            }
            cluster.awaitCaughtUp(config.get("consentry.application.id"), topics, Duration.ofSeconds(60));
        }
        assertThat(partitions).as("every record on the same partition").containsOnly(partitions.get(0));

        List<ConsumerRecord<String, DeadLetter>> dead = cluster.readAll(topics.deadLetter(),
                cluster.avro.deadLetter().deserializer(), Duration.ofSeconds(1));
        assertThat(dead).extracting(r -> new String(r.value().getValue().array(), StandardCharsets.UTF_8))
                .as("original values, in order").satisfiesExactly(v -> assertThat(v).contains("bad-1"),
                        v -> assertThat(v).contains("bad-2"), v -> assertThat(v).contains("bad-3"),
                        v -> assertThat(v).contains("bad-4"));
        assertThat(dead).allSatisfy(r -> {
            assertThat(r.value().getSourceTopic()).isEqualTo(topics.consentEvents());
            assertThat(r.value().getErrorClass()).isEqualTo("com.consentry.ingest.InvalidEventException");
        });
        assertThat(dead).extracting(r -> r.value().getErrorMessage()).satisfiesExactly(
                m -> assertThat(m).isEqualTo("at: 3000-01-01T00:00:00Z is after 2100-01-01T00:00:00Z "
                        + "(consentry.ingest.max-event-time)"),
                m -> assertThat(m).isEqualTo("at: 1969-12-31T23:59:59Z is before 1970-01-01T00:00:00Z "
                        + "(Kafka cannot carry it as a timestamp)"),
                m -> assertThat(m).contains("is more than PT15M after the record's timestamp",
                        "(consentry.ingest.max-future)"),
                m -> assertThat(m).isEqualTo("at: 3000-01-01T00:00:00Z is after 2100-01-01T00:00:00Z "
                        + "(consentry.ingest.max-event-time)"));
        assertThat(dead.get(3).value().getTimestamp()).as("the envelope keeps the original timestamp").isEqualTo(Y3000);

        List<ConsumerRecord<String, CustomerEligibility>> views = cluster.readAll(topics.customerEligibility(),
                cluster.avro.eligibility().deserializer(), Duration.ofSeconds(1));
        assertThat(views).extracting(ConsumerRecord::key).containsOnly(CUSTOMER);
        assertThat(views).extracting(r -> emailRow(r.value()).getReason().name())
                .as("the good consent, then the opt-out, both processed").containsExactly("CONSENT", "WITHDRAWN");
        assertThat(views).extracting(ConsumerRecord::timestamp).containsExactly(
                Instant.parse("2026-03-01T10:00:00Z").toEpochMilli(), Instant.parse("2026-03-01T10:05:00Z").toEpochMilli());
    }

    private static String consentLine(String eventId, String at, String status) {
        return "{\"type\":\"consent\",\"at\":\"" + at + "\",\"eventId\":\"" + eventId + "\",\"customerId\":\""
                + CUSTOMER + "\",\"brand\":\"NET-A-PORTER\",\"channel\":\"EMAIL\",\"status\":\"" + status
                + "\",\"source\":\"PREFERENCE_CENTER\"}";
    }

    private static int publishConsent(EventPublisher publisher, Topics topics, String eventId, Instant at, long timestamp)
            throws Exception {
        ConsentEvent e = ConsentEvent.newBuilder().setEventId(eventId).setCustomerId(CUSTOMER).setEventTime(at)
                .setBrand("NET-A-PORTER").setChannel(Channel.EMAIL).setStatus(ConsentStatus.GRANTED)
                .setSource("CHECKOUT").build();
        byte[] value = cluster.avro.consentEvent().serializer().serialize(topics.consentEvents(), e);
        RecordMetadata m = publisher.publishRaw(topics.consentEvents(), CUSTOMER, value, timestamp).get();
        return m.partition();
    }

    private static EligibilityRow emailRow(CustomerEligibility view) {
        return view.getRows().stream()
                .filter(r -> r.getBrand().equals("NET-A-PORTER") && r.getChannel() == Channel.EMAIL)
                .findFirst().orElseThrow();
    }
}
