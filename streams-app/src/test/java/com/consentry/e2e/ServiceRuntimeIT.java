package com.consentry.e2e;

import com.consentry.avro.ConsentEvent;
import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.DeadLetter;
import com.consentry.avro.SendDecision;
import com.consentry.config.AppConfig;
import com.consentry.serde.IncompatibleSchemaException;
import com.consentry.service.ConsentryService;
import com.consentry.service.EventPublisher;
import com.consentry.service.TopicAdmin;
import com.consentry.simulate.LineParser;
import com.consentry.simulate.ParsedLine;
import com.consentry.topology.Topics;

import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The service against a real KRaft broker and a real schema registry. */
class ServiceRuntimeIT extends WithLocalCluster {

    private AppConfig config() throws Exception {
        String prefix = LocalCluster.uniquePrefix();
        return cluster.config(prefix, Files.createDirectories(temp.resolve(prefix)), Map.of());
    }

    private static void produce(AppConfig config, String... lines) throws Exception {
        LineParser parser = new LineParser(config.topics());
        try (EventPublisher publisher = new EventPublisher(config, cluster.registryClient)) {
            for (int i = 0; i < lines.length; i++) {
                publisher.publish((ParsedLine.Event) parser.parse(lines[i], i + 1)).get();
            }
        }
    }

    private static String consent(String customer, String at, String status) {
        return "{\"type\":\"consent\",\"at\":\"" + at + "\",\"eventId\":\"e-" + customer + "-" + at + "\",\"customerId\":\""
                + customer + "\",\"brand\":\"NET-A-PORTER\",\"channel\":\"EMAIL\",\"status\":\"" + status
                + "\",\"source\":\"CHECKOUT\"}";
    }

    private static String send(String request, String customer, String at) {
        return "{\"type\":\"send\",\"at\":\"" + at + "\",\"requestId\":\"" + request + "\",\"customerId\":\"" + customer
                + "\",\"brand\":\"NET-A-PORTER\",\"channel\":\"EMAIL\",\"purpose\":\"MARKETING\"}";
    }

    @Test
    void createdTopicsKeepTheirRecordsAndAnInputThatDeletesOldRecordsIsReported() throws Exception {
        Topics topics = config().topics();
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(TopicAdmin.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> warnings =
                new ch.qos.logback.core.read.ListAppender<>();
        warnings.start();
        log.addAppender(warnings);
        try (Admin admin = cluster.admin()) {
            // an operator created one input topic with a week's retention
            admin.createTopics(List.of(new NewTopic(topics.orderEvents(), 2, (short) 1)
                    .configs(Map.of("retention.ms", "604800000")))).all().get();
            TopicAdmin topicAdmin = new TopicAdmin(admin, topics);
            topicAdmin.createMissing(2, (short) 1);
            topicAdmin.verify();

            Map<String, Config> configs = admin.describeConfigs(java.util.stream.Stream.of(topics.consentEvents(),
                            topics.customerRechecks(), topics.sendDecisions(), topics.customerEligibility())
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList()).all().get()
                    .entrySet().stream().collect(Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue));
            for (String kept : List.of(topics.consentEvents(), topics.customerRechecks(), topics.sendDecisions())) {
                ConfigEntry retention = configs.get(kept).get("retention.ms");
                assertThat(retention.value()).as(kept).isEqualTo("-1");
                assertThat(retention.source()).as(kept).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            }
            assertThat(configs.get(topics.customerEligibility()).get("cleanup.policy").value()).isEqualTo("compact");
        } finally {
            log.detachAppender(warnings);
        }
        assertThat(warnings.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .filteredOn(m -> m.contains("retention.ms"))
                .singleElement().asString()
                .contains("topic=" + topics.orderEvents(), "retention.ms=604800000");
    }

    @Test
    void schemasAreRegisteredUnderTopicValueAndAnIncompatibleChangeIsRefused() throws Exception {
        AppConfig config = config();
        Topics topics = config.topics();
        try (ConsentryService service = new ConsentryService(config)) {
            service.start();
            produce(config, consent("s1", "2026-03-01T10:00:00Z", "GRANTED"));
            cluster.awaitCaughtUp(config.get("consentry.application.id"), topics, Duration.ofSeconds(60));
            assertThat(cluster.readAll(topics.customerEligibility(), cluster.avro.eligibility().deserializer(),
                    Duration.ofSeconds(1))).isNotEmpty();
        }
        assertThat(cluster.registryClient.subjects())
                .contains(topics.consentEvents() + "-value", topics.customerEligibility() + "-value");

        Schema current = ConsentEvent.getClassSchema();
        Schema breaking = new Schema.Parser().parse(current.toString().replaceFirst(
                "\"fields\":\\[", "\"fields\":[{\"name\":\"mandatory\",\"type\":\"string\",\"doc\":\"no default\"},"));
        assertThatThrownBy(() -> cluster.registryClient.register(topics.consentEvents() + "-value", breaking))
                .isInstanceOf(IncompatibleSchemaException.class);
        assertThat(cluster.registryClient.isCompatible(topics.consentEvents() + "-value", current)).isTrue();
    }

    @Test
    void bytesThatAreNotAvroGoToTheDeadLetterTopicAndTheRecordsAroundThemAreProcessed() throws Exception {
        AppConfig config = config();
        Topics topics = config.topics();
        byte[] garbage = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
        try (ConsentryService service = new ConsentryService(config)) {
            service.start();
            produce(config, consent("d1", "2026-03-01T10:00:00Z", "GRANTED"));
            try (EventPublisher publisher = new EventPublisher(config, cluster.registryClient)) {
                publisher.publishRaw(topics.consentEvents(), "d2", garbage,
                        Instant.parse("2026-03-01T10:01:00Z").toEpochMilli()).get();
            }
            produce(config, consent("d3", "2026-03-01T10:02:00Z", "GRANTED"));
            cluster.awaitCaughtUp(config.get("consentry.application.id"), topics, Duration.ofSeconds(60));
        }
        List<ConsumerRecord<String, DeadLetter>> dead = cluster.readAll(topics.deadLetter(),
                cluster.avro.deadLetter().deserializer(), Duration.ofSeconds(1));
        assertThat(dead).hasSize(1);
        DeadLetter d = dead.get(0).value();
        assertThat(d.getSourceTopic()).isEqualTo(topics.consentEvents());
        assertThat(d.getErrorClass()).isEqualTo("org.apache.kafka.common.errors.SerializationException");
        assertThat(d.getErrorMessage()).contains("not Confluent wire format");
        assertThat(d.getValue().array()).isEqualTo(garbage);
        assertThat(new String(d.getKey().array(), StandardCharsets.UTF_8)).isEqualTo("d2");
        assertThat(d.getTimestamp()).isEqualTo(Instant.parse("2026-03-01T10:01:00Z"));
        assertThat(d.getOffset()).isGreaterThanOrEqualTo(0);

        List<ConsumerRecord<String, CustomerEligibility>> views = cluster.readAll(topics.customerEligibility(),
                cluster.avro.eligibility().deserializer(), Duration.ofSeconds(1));
        assertThat(views).extracting(ConsumerRecord::key).contains("d1", "d3").doesNotContain("d2");
    }

    @Test
    void aRestartResumesFromCommittedOffsetsWithNoOutputDuplicatedOrLost() throws Exception {
        AppConfig config = config();
        Topics topics = config.topics();
        String app = config.get("consentry.application.id");
        try (ConsentryService service = new ConsentryService(config)) {
            service.start();
            produce(config, consent("r1", "2026-03-01T10:00:00Z", "GRANTED"),
                    send("req-1", "r1", "2026-03-01T11:00:00Z"), send("req-2", "r1", "2026-03-01T11:10:00Z"));
            cluster.awaitCaughtUp(app, topics, Duration.ofSeconds(60));
        }
        // while the service is down
        produce(config, send("req-3", "r1", "2026-03-01T11:20:00Z"), consent("r1", "2026-03-01T12:00:00Z", "WITHDRAWN"),
                send("req-4", "r1", "2026-03-01T12:10:00Z"));
        try (ConsentryService service = new ConsentryService(config)) {
            service.start();
            cluster.awaitCaughtUp(app, topics, Duration.ofSeconds(60));
        }
        Map<String, List<String>> decisions = cluster.readAll(topics.sendDecisions(), cluster.avro.decision().deserializer(),
                        Duration.ofSeconds(2)).stream()
                .map(ConsumerRecord::value)
                .collect(Collectors.groupingBy(SendDecision::getRequestId,
                        Collectors.mapping(d -> d.getDecision() + "/" + d.getReason(), Collectors.toList())));
        // one decision per request, none lost; the cap (2 emails a day) held across the restart
        assertThat(decisions).containsExactlyInAnyOrderEntriesOf(Map.of(
                "req-1", List.of("APPROVED/CONSENT"),
                "req-2", List.of("APPROVED/CONSENT"),
                "req-3", List.of("SUPPRESSED/FREQUENCY_CAP"),
                "req-4", List.of("SUPPRESSED/WITHDRAWN")));
        Map<String, CustomerEligibility> last = cluster.readAll(topics.customerEligibility(),
                        cluster.avro.eligibility().deserializer(), Duration.ofSeconds(1)).stream()
                .collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value, (a, b) -> b));
        assertThat(last.get("r1").getRows()).filteredOn(r -> r.getChannel().name().equals("EMAIL"))
                .extracting(r -> r.getReason().name()).containsExactly("WITHDRAWN");
    }
}
