package com.consentry.e2e;

import com.consentry.config.AppConfig;
import com.consentry.runtime.EmbeddedKafkaBroker;
import com.consentry.runtime.EmbeddedSchemaRegistry;
import com.consentry.serde.HttpSchemaRegistryClient;
import com.consentry.serde.SchemaRegistry;
import com.consentry.topology.AvroSerdes;
import com.consentry.topology.StoreNames;
import com.consentry.topology.Topics;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** A real KRaft broker and a real schema registry for one test class, plus helpers to read and wait. */
final class LocalCluster implements AutoCloseable {
    /**
     * Segments are not rolled by time unless a test asks for it. Kafka rolls a segment once its newest record
     * is {@code log.roll.ms} (7 days) after its first: the tests' inputs carry event times months before the
     * wall clock, and the first transaction marker of a partition (stamped now) rolls the segment behind it.
     * The log cleaner may then compact a customer's earlier views out of {@code customer-eligibility} before a
     * test reads the history it asserts (seen once in CI, in {@code OutOfRangeEventTimeIT}). Compaction has
     * its own test, {@code ErasureCompactionIT}, which rolls every second.
     */
    private static final Map<String, Object> TEST_BROKER = Map.of("log.roll.ms", Long.toString(Long.MAX_VALUE));
    final EmbeddedKafkaBroker broker;
    /** Replaced by {@link #restartRegistry()}. */
    EmbeddedSchemaRegistry registry;
    private final Path registryData;
    final SchemaRegistry registryClient;
    final AvroSerdes avro;

    LocalCluster() {
        this(Map.of());
    }

    /** With these broker settings over the defaults (e.g. aggressive log compaction). */
    LocalCluster(Map<String, ?> brokerOverrides) {
        this(brokerOverrides, null);
    }

    /**
     * @param registryDataOrNull where the registry keeps its schemas across {@link #restartRegistry()}, as a
     *                           real deployment does; null for in-memory storage
     */
    LocalCluster(Map<String, ?> brokerOverrides, Path registryDataOrNull) {
        Map<String, Object> settings = new HashMap<>(TEST_BROKER);
        settings.putAll(brokerOverrides);
        broker = EmbeddedKafkaBroker.start(0, null, settings);
        registryData = registryDataOrNull;
        registry = EmbeddedSchemaRegistry.start(EmbeddedSchemaRegistry.locateJar(), 0,
                EmbeddedSchemaRegistry.Options.plain().withDataDir(registryDataOrNull));
        registryClient = new HttpSchemaRegistryClient(registry.url());
        avro = AvroSerdes.using(registryClient);
    }

    /**
     * A service configuration on this cluster with its own application id, state directory and topic
     * names (prefix), so that tests do not see each other's data.
     */
    AppConfig config(String prefix, Path stateDir, Map<String, String> extra) {
        Map<String, String> v = new HashMap<>();
        v.put("bootstrap.servers", broker.bootstrapServers());
        v.put("consentry.schema.registry.url", registry.url());
        v.put("consentry.application.id", prefix + "app");
        v.put("consentry.state.dir", stateDir.toString());
        v.put("consentry.topics.create", "true");
        v.put("consentry.topics.partitions", "2");
        v.put("consentry.topics.replication", "1");
        v.put("consentry.http.port", "0");
        v.put("commit.interval.ms", "100");
        for (String t : List.of("customer-events", "consent-events", "unsubscribe-events", "order-events", "cart-events",
                "send-requests", "customer-eligibility", "send-decisions", "cart-reminders", "consentry-dead-letter",
                "consentry-suppressions", "consentry-address-index", "consentry-customer-rechecks")) {
            v.put("consentry.topic." + t, prefix + t);
        }
        v.putAll(extra);
        return AppConfig.of(v);
    }

    /** Stops the registry; {@link #restartRegistry()} starts it again. */
    void stopRegistry() {
        registry.close();
    }

    /** Starts the registry again on the same port, with the schemas of its data directory. */
    void restartRegistry() {
        registry = EmbeddedSchemaRegistry.start(EmbeddedSchemaRegistry.locateJar(), registry.port(),
                EmbeddedSchemaRegistry.Options.plain().withDataDir(registryData));
    }

    static String uniquePrefix() {
        return "t" + UUID.randomUUID().toString().substring(0, 8) + "-";
    }

    Admin admin() {
        return admin(broker.bootstrapServers());
    }

    static Admin admin(String bootstrapServers) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(p);
    }

    /** Waits until the application's group has committed every input and internal topic to its end. */
    void awaitCaughtUp(String groupId, Topics topics, Duration timeout) throws Exception {
        awaitCaughtUp(broker.bootstrapServers(), groupId, topics, timeout);
    }

    static void awaitCaughtUp(String bootstrapServers, String groupId, Topics topics, Duration timeout) throws Exception {
        List<String> consumed = new ArrayList<>(topics.inputs());
        consumed.add(topics.addressIndex());
        consumed.add(topics.customerRechecks());
        try (Admin admin = admin(bootstrapServers)) {
            Map<TopicPartition, String> behind = new HashMap<>();
            try {
                await(timeout, "application " + groupId + " to catch up", () -> {
                    behind.clear();
                    behind.putAll(lagging(admin, groupId, consumed));
                    return behind.isEmpty();
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; behind: " + behind + "\n" + streamThreadStacks(), e);
            }
            // decisions and eligible views wait for the suppression list after their input is committed
            String held = groupId + "-" + StoreNames.HELD_OUTPUTS + "-changelog";
            if (admin.listTopics().names().get().contains(held)) {
                await(timeout, "the held outputs of " + groupId + " to be published", () -> drained(bootstrapServers, held));
            }
        }
    }

    /** True when the latest value of every key of the held-outputs changelog is a tombstone. */
    private static boolean drained(String bootstrapServers, String changelog) {
        Map<String, byte[]> latest = new HashMap<>();
        readAll(bootstrapServers, changelog, new ByteArrayDeserializer(), Duration.ZERO)
                .forEach(r -> latest.put(r.key(), r.value()));
        return latest.values().stream().allMatch(java.util.Objects::isNull);
    }

    /** Where the stream threads are: the diagnosis of a stalled application. */
    private static String streamThreadStacks() {
        StringBuilder sb = new StringBuilder("stream threads:");
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (t.getName().contains("StreamThread")) {
                sb.append("\n  ").append(t.getName()).append(' ').append(t.getState());
                for (StackTraceElement el : stack) {
                    sb.append("\n    at ").append(el);
                }
            }
        });
        return sb.toString();
    }

    /** Partitions whose committed offset is short of the end (transaction markers aside). */
    private static Map<TopicPartition, String> lagging(Admin admin, String groupId, List<String> topics) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().forEach((name, d) ->
                    d.partitions().forEach(p -> ask.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, String> behind = new HashMap<>();
            admin.listOffsets(ask).all().get().forEach((tp, end) -> {
                OffsetAndMetadata c = committed.get(tp);
                long at = c == null ? 0 : c.offset();
                // a transactional producer's commit marker takes the last offset: at end - 1 is caught up
                if (end.offset() > 0 && at < end.offset() - (isInternal(tp) ? 1 : 0)) {
                    behind.put(tp, at + "/" + end.offset());
                }
            });
            return behind;
        } catch (Exception e) {
            return Map.of(new TopicPartition("?", 0), e.toString());
        }
    }

    private static boolean isInternal(TopicPartition tp) {
        // a replay's shadow (and a promoted service) reads its own: <name>.replay-<id>
        return tp.topic().matches(".*consentry-(address-index|customer-rechecks)(\\.replay-.*)?");
    }

    /**
     * Every committed record of a topic, from the beginning: reads every partition up to its end (the
     * last stable offset, for read_committed), after waiting {@code settle} for in-flight transactions.
     */
    <V> List<ConsumerRecord<String, V>> readAll(String topic, Deserializer<V> values, Duration settle) {
        return readAll(broker.bootstrapServers(), topic, values, settle);
    }

    static <V> List<ConsumerRecord<String, V>> readAll(String bootstrapServers, String topic, Deserializer<V> values,
                                                       Duration settle) {
        try {
            Thread.sleep(settle.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, V>> out = new ArrayList<>();
        try (KafkaConsumer<String, V> c = new KafkaConsumer<>(p, new StringDeserializer(), values)) {
            List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = c.endOffsets(partitions, Duration.ofSeconds(30));
            Instant deadline = Instant.now().plusSeconds(60);
            while (partitions.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("could not read " + topic + " to its end " + ends);
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    List<ConsumerRecord<String, byte[]>> readRaw(String topic, Duration quiet) {
        return readAll(topic, new ByteArrayDeserializer(), quiet);
    }

    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    static Set<String> names(Collection<ConsumerRecord<String, ?>> records) {
        return records.stream().map(ConsumerRecord::key).collect(Collectors.toSet());
    }

    @Override
    public void close() {
        registry.close();
        broker.close();
    }
}
