package com.consentry.runtime;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedKafkaBrokerIT {

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        long t0 = System.nanoTime();
        broker = EmbeddedKafkaBroker.start(0, null);
        System.out.printf("[timing] embedded Kafka broker started in %d ms on %s%n",
                (System.nanoTime() - t0) / 1_000_000, broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            long t0 = System.nanoTime();
            Path dataDir = broker.dataDir();
            broker.close();
            System.out.printf("[timing] embedded Kafka broker stopped in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertThat(dataDir).as("temporary data directory is deleted on close").doesNotExist();
        }
    }

    @Test
    void listensOnLoopbackWithARandomPort() {
        assertThat(broker.port()).isPositive();
        assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());
    }

    @Test
    void adminCreatesATopicAndAnAcksAllProducerWritesWhatAReadCommittedConsumerReads() throws Exception {
        String topic = "plain-" + UUID.randomUUID();
        try (Admin admin = admin(broker)) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(topic);
        }

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(Map.of(
                ProducerConfig.ACKS_CONFIG, "all")))) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }

        List<ConsumerRecord<String, String>> records = readCommitted(topic, 10);
        assertThat(records).extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
    }

    @Test
    void aCommittedTransactionIsVisibleAndAnAbortedOneIsNot() throws Exception {
        String topic = "tx-" + UUID.randomUUID();
        try (Admin admin = admin(broker)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }

        long t0 = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-tx-" + UUID.randomUUID())))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "a", "aborted"));
            producer.abortTransaction();

            producer.beginTransaction();
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "committed-" + i));
            }
            producer.commitTransaction();
        }
        System.out.printf("[timing] first transactional producer (init + abort + commit) took %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);

        List<ConsumerRecord<String, String>> records = readCommitted(topic, 5);
        assertThat(records).extracting(ConsumerRecord::value)
                .containsExactly("committed-0", "committed-1", "committed-2", "committed-3", "committed-4");
    }

    @Test
    void aSecondBrokerOnTheSamePortIsRefusedClearly() {
        assertThatThrownBy(() -> EmbeddedKafkaBroker.start(broker.port(), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:" + broker.port())
                .hasMessageContaining("already in use");
    }

    @Test
    void aFixedPortAndAPersistentDataDirectorySurviveARestart(@TempDir Path dir) throws Exception {
        int fixedPort = freePort();
        Path dataDir = dir.resolve("kafka-data");
        String topic = "kept-" + UUID.randomUUID();
        String clusterId;
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(fixedPort, dataDir)) {
            assertThat(first.bootstrapServers()).isEqualTo("127.0.0.1:" + fixedPort);
            clusterId = first.clusterId();
            try (Admin admin = admin(first)) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
        }
        assertThat(dataDir).as("a given data directory is kept").isDirectory();

        long t0 = System.nanoTime();
        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.start(fixedPort, dataDir)) {
            System.out.printf("[timing] restart on an existing data directory took %d ms%n",
                    (System.nanoTime() - t0) / 1_000_000);
            assertThat(second.clusterId()).isEqualTo(clusterId);
            try (Admin admin = admin(second)) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(topic);
            }
        }
        assertThat(dataDir.resolve("kraft-combined-logs").resolve("meta.properties")).isRegularFile();
    }

    /**
     * Records carry event times, and Kafka's time retention deletes by record timestamp: replayed history
     * from months ago must survive the retention checks of the local broker. A control topic with a short
     * retention shows that the checks did run.
     */
    @Test
    void recordsWithOldEventTimesSurviveTheRetentionChecks() throws Exception {
        Map<String, Object> frequentChecks = Map.of("log.retention.check.interval.ms", "200",
                "log.initial.task.delay.ms", "0");
        long longAgo = java.time.Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();
        try (EmbeddedKafkaBroker b = EmbeddedKafkaBroker.start(0, null, frequentChecks);
             Admin admin = admin(b)) {
            NewTopic history = new NewTopic("history", 1, (short) 1);
            NewTopic control = new NewTopic("control", 1, (short) 1).configs(Map.of("retention.ms", "1000"));
            admin.createTopics(List.of(history, control)).all().get(30, TimeUnit.SECONDS);
            Map<String, Object> config = new java.util.HashMap<>(producerConfig(Map.of()));
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
                for (String topic : List.of("history", "control")) {
                    producer.send(new ProducerRecord<>(topic, 0, longAgo, "c1", "consent given in 2020"))
                            .get(30, TimeUnit.SECONDS);
                }
            }
            long deadline = System.currentTimeMillis() + 60_000;
            while (earliest(admin, "control") == 0) {
                assertThat(System.currentTimeMillis()).as("the control topic's old record is deleted").isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(earliest(admin, "history")).as("the broker's default retention kept the old record").isZero();
        }
    }

    private static long earliest(Admin admin, String topic) throws Exception {
        org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(topic, 0);
        return admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.earliest()))
                .partitionResult(tp).get(30, TimeUnit.SECONDS).offset();
    }

    private static Admin admin(EmbeddedKafkaBroker b) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers()));
    }

    private static Map<String, Object> producerConfig(Map<String, Object> extra) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
        config.putAll(extra);
        return config;
    }

    private static List<ConsumerRecord<String, String>> readCommitted(String topic, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long t0 = System.nanoTime();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(Set.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (records.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // nothing beyond what is expected (e.g. aborted records) turns up shortly afterwards
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        System.out.printf("[timing] read_committed consumer got %d records in %d ms%n", records.size(),
                (System.nanoTime() - t0) / 1_000_000);
        return records;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
