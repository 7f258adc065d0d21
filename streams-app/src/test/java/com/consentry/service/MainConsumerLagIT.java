package com.consentry.service;

import com.consentry.config.AppConfig;
import com.consentry.runtime.EmbeddedKafkaBroker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka Streams merges a task's input partitions by record timestamp, and takes a partition with nothing
 * buffered as caught up when its consumer's lag for it is 0. The consumer updates a partition's lag only when
 * a poll reaches the records it fetched for it: a poll cut short by {@code max.poll.records} leaves the lag of
 * the partitions behind in the fetch as it was, 0 for one that was caught up before, and the task then takes
 * later records of its other topics ahead of the unread ones (a send decided before the consent published
 * ahead of it). With the service's main-consumer settings, over the real broker, one poll returns every
 * record fetched, so no partition with unread records looks caught up.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MainConsumerLagIT {
    private static final int BURST = 3_000;

    @TempDir
    Path state;

    @Test
    void aPartitionWithRecordsOnTheBrokerNeverLooksCaughtUpToItsTask() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
            TopicPartition sends = new TopicPartition("send-requests", 0);
            TopicPartition consents = new TopicPartition("consent-events", 0);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(sends.topic(), 1, (short) 1),
                        new NewTopic(consents.topic(), 1, (short) 1))).all().get();
            }
            AppConfig config = AppConfig.of(Map.of("bootstrap.servers", broker.bootstrapServers(),
                    "consentry.application.id", "lag-it", "consentry.state.dir", state.toString()));
            Map<String, Object> settings = new StreamsConfig(ConsentryService.streamsConfig(config))
                    .getMainConsumerConfigs("lag-it", "lag-it-consumer", 0);
            // assigned by hand here: no group, so none of the Streams assignor's settings
            settings.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
            settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
            settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
                 KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings)) {
                send(producer, consents, 1);
                // the sends partition first in the fetch, so that a poll cut short stops inside it
                consumer.assign(List.of(sends, consents));
                consumer.seekToBeginning(List.of(sends, consents));
                while (consumer.position(consents) < 1 || consumer.currentLag(consents).orElse(-1) != 0) {
                    consumer.poll(Duration.ofMillis(100));
                }
                // caught up and known to be: nothing fetched while the next records are published
                consumer.pause(List.of(sends, consents));
                consumer.poll(Duration.ofMillis(700));
                consumer.poll(Duration.ofMillis(700));
                send(producer, consents, 1);
                send(producer, sends, BURST);
                consumer.resume(List.of(sends, consents));
                ConsumerRecords<byte[], byte[]> polled = ConsumerRecords.empty();
                for (int i = 0; i < 50 && polled.isEmpty(); i++) {
                    polled = consumer.poll(Duration.ofMillis(200));
                }
                Map<TopicPartition, Long> ends = consumer.endOffsets(List.of(sends, consents));
                for (TopicPartition tp : List.of(sends, consents)) {
                    long unread = ends.get(tp) - consumer.position(tp);
                    OptionalLong lag = consumer.currentLag(tp);
                    assertThat(unread > 0 && lag.isPresent() && lag.getAsLong() == 0)
                            .as("%s has %d records on the broker the poll did not return, and a lag of %s", tp, unread, lag)
                            .isFalse();
                }
                assertThat(polled.records(consents)).as("the consent published before the burst").hasSize(1);
                assertThat(polled.records(sends)).as("the burst of sends").hasSize(BURST);
            }
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, TopicPartition tp, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), ("k" + i).getBytes(), new byte[100]));
        }
        producer.flush();
    }
}
