package com.consentry.bench;

import com.consentry.avro.Channel;
import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.EligibilityRow;
import com.consentry.cli.ServiceRunner;
import com.consentry.config.AppConfig;
import com.consentry.service.ConsentryService;
import com.consentry.service.EventPublisher;
import com.consentry.simulate.LineParser;
import com.consentry.simulate.ParsedLine;
import com.consentry.topology.AvroSerdes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opt-out latency: for customers with an eligible EMAIL row, an unsubscribe from that brand's email is
 * produced, and the time is taken from its acknowledgement to the first record on
 * {@code customer-eligibility} (read_committed) whose row for that brand and channel cites it.
 */
final class OptOutProbe {
    /** One unsubscribe every {@value #INTERVAL_MS} ms. */
    static final long INTERVAL_MS = 100;
    static final Duration LAST_WAIT = Duration.ofSeconds(30);

    /** Latencies in ms; {@link Double#POSITIVE_INFINITY} where the share not seen reaches the percentile. */
    record Result(int sent, int seen, double p50, double p99, double max) {
    }

    /** A customer and a brand whose EMAIL row is eligible. */
    record Target(String customerId, String brand) {
    }

    private static final class Pending {
        final String brand;
        final String eventId;
        volatile long ackNanos;
        volatile long seenNanos;

        Pending(String brand, String eventId) {
            this.brand = brand;
            this.eventId = eventId;
        }
    }

    private final AppConfig config;
    private final Deserializer<CustomerEligibility> eligibility;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private volatile boolean watching = true;

    OptOutProbe(AppConfig config) {
        this.config = config;
        this.eligibility = AvroSerdes.using(ConsentryService.registryClient(config)).eligibility().deserializer();
    }

    /** Up to {@code max} customers with an eligible EMAIL row in the published view now, in a seeded order. */
    List<Target> targets(int max, long seed) {
        Map<String, String> eligibleBrand = new TreeMap<>();
        try (KafkaConsumer<String, CustomerEligibility> c = consumer()) {
            List<TopicPartition> partitions = partitions(c);
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = c.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                for (ConsumerRecord<String, CustomerEligibility> r : c.poll(Duration.ofMillis(200))) {
                    eligibleBrand.remove(r.key());
                    if (r.value() != null) {
                        r.value().getRows().stream().filter(row -> row.getChannel() == Channel.EMAIL && row.getEligible())
                                .findFirst().ifPresent(row -> eligibleBrand.put(r.key(), row.getBrand()));
                    }
                }
            }
        }
        List<Target> all = new ArrayList<>();
        eligibleBrand.forEach((customer, brand) -> all.add(new Target(customer, brand)));
        Collections.shuffle(all, new Random(seed));
        return all.subList(0, Math.min(max, all.size()));
    }

    /** Sends an unsubscribe for each target, one every {@value #INTERVAL_MS} ms, and times its publication. */
    Result measure(List<Target> targets) throws Exception {
        try (KafkaConsumer<String, CustomerEligibility> c = consumer();
             EventPublisher publisher = new EventPublisher(config, ConsentryService.registryClient(config))) {
            List<TopicPartition> partitions = partitions(c);
            c.assign(partitions);
            c.seekToEnd(partitions);
            partitions.forEach(c::position);
            Thread watcher = new Thread(() -> watch(c), "bench-optout-watcher");
            watcher.start();
            LineParser parser = new LineParser(config.topics());
            long next = System.nanoTime();
            for (int i = 0; i < targets.size(); i++) {
                Target t = targets.get(i);
                Pending p = new Pending(t.brand(), "bench-optout-" + i);
                pending.put(t.customerId(), p);
                String line = String.format("{\"type\":\"unsubscribe\",\"at\":\"%s\",\"eventId\":\"%s\","
                        + "\"customerId\":\"%s\",\"brand\":\"%s\",\"channel\":\"EMAIL\",\"source\":\"LINK\"}",
                        Instant.now().truncatedTo(ChronoUnit.MILLIS), p.eventId, t.customerId(), t.brand());
                publisher.publish((ParsedLine.Event) parser.parse(line, i + 1)).get();
                p.ackNanos = System.nanoTime();
                next += INTERVAL_MS * 1_000_000;
                Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
            }
            long deadline = System.nanoTime() + LAST_WAIT.toNanos();
            while (pending.values().stream().anyMatch(p -> p.seenNanos == 0) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            watching = false;
            watcher.join();
        }
        // one not seen counts as infinitely late: the percentiles never leave out the slowest
        double[] millis = pending.values().stream()
                .mapToDouble(p -> p.seenNanos == 0 ? Double.POSITIVE_INFINITY : Math.max(0, p.seenNanos - p.ackNanos) / 1e6)
                .sorted().toArray();
        int seen = (int) pending.values().stream().filter(p -> p.seenNanos != 0).count();
        return new Result(targets.size(), seen, percentile(millis, 50), percentile(millis, 99), percentile(millis, 100));
    }

    private void watch(KafkaConsumer<String, CustomerEligibility> c) {
        while (watching) {
            for (ConsumerRecord<String, CustomerEligibility> r : c.poll(Duration.ofMillis(20))) {
                Pending p = pending.get(r.key());
                if (p != null && p.seenNanos == 0 && r.value() != null && cites(r.value(), p)) {
                    p.seenNanos = System.nanoTime();
                }
            }
        }
    }

    /** The row for the brand's EMAIL is no longer eligible, on the evidence of the pending unsubscribe. */
    private static boolean cites(CustomerEligibility view, Pending p) {
        for (EligibilityRow row : view.getRows()) {
            if (row.getChannel() == Channel.EMAIL && row.getBrand().equals(p.brand) && !row.getEligible()
                    && row.getEvidence() != null && p.eventId.equals(row.getEvidence().getEventId())) {
                return true;
            }
        }
        return false;
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(i, sorted.length - 1))];
    }

    private KafkaConsumer<String, CustomerEligibility> consumer() {
        return readCommitted(config, eligibility);
    }

    /** A read_committed consumer outside any group, that fetches as soon as a record is there. */
    static <V> KafkaConsumer<String, V> readCommitted(AppConfig config, Deserializer<V> values) {
        Properties p = ServiceRunner.clientProperties(config, ConsumerConfig.configNames());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(p, new StringDeserializer(), values);
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, CustomerEligibility> c) {
        return partitions(c, config.topics().customerEligibility());
    }

    static List<TopicPartition> partitions(KafkaConsumer<String, ?> c, String topic) {
        return c.partitionsFor(topic, Duration.ofSeconds(30)).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    }
}
