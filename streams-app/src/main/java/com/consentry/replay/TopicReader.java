package com.consentry.replay;

import com.consentry.cli.ServiceRunner;
import com.consentry.config.AppConfig;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Reads a topic from its beginning to its end as it is when the read starts (committed records only),
 * without a consumer group. For the diff of a replay and the comparison of replays.
 */
public final class TopicReader {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private final Properties consumer;

    public TopicReader(AppConfig config) {
        consumer = ServiceRunner.clientProperties(config, ConsumerConfig.configNames());
        consumer.keySet().removeIf(k -> k.toString().equals(ConsumerConfig.GROUP_ID_CONFIG)
                || k.toString().equals(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)
                || k.toString().equals(ConsumerConfig.GROUP_PROTOCOL_CONFIG));
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    }

    /** Every committed record of {@code topic}, partition by partition in offset order. */
    public <V> List<ConsumerRecord<String, V>> readAll(String topic, Deserializer<V> values) {
        List<ConsumerRecord<String, V>> out = new ArrayList<>();
        try (KafkaConsumer<String, V> c = new KafkaConsumer<>(consumer, new StringDeserializer(), values)) {
            List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).sorted(java.util.Comparator.comparingInt(
                            TopicPartition::partition)).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = c.endOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, List<ConsumerRecord<String, V>>> byPartition = new LinkedHashMap<>();
            partitions.forEach(tp -> byPartition.put(tp, new ArrayList<>()));
            Instant deadline = Instant.now().plus(TIMEOUT);
            while (partitions.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("could not read " + topic + " to its end " + ends + " within " + TIMEOUT);
                }
                c.poll(Duration.ofMillis(200)).forEach(r -> {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() < ends.get(tp)) {
                        byPartition.get(tp).add(r);
                    }
                });
            }
            byPartition.values().forEach(out::addAll);
        }
        return out;
    }

    /** The latest value per key (a compacted topic's view); a tombstone removes the key. */
    public <V> Map<String, V> latest(String topic, Deserializer<V> values) {
        Map<String, V> out = new LinkedHashMap<>();
        for (ConsumerRecord<String, V> r : readAll(topic, values)) {
            if (r.value() == null) {
                out.remove(r.key());
            } else {
                out.put(r.key(), r.value());
            }
        }
        return out;
    }

    /** The latest value per derived key, e.g. a decision per requestId. */
    public <V> Map<String, V> latestBy(String topic, Deserializer<V> values, Function<V, String> key) {
        Map<String, V> out = new LinkedHashMap<>();
        for (ConsumerRecord<String, V> r : readAll(topic, values)) {
            if (r.value() != null) {
                out.put(key.apply(r.value()), r.value());
            }
        }
        return out;
    }
}
