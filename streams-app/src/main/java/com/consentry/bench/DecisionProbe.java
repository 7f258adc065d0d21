package com.consentry.bench;

import com.consentry.avro.SendDecision;
import com.consentry.config.AppConfig;
import com.consentry.service.ConsentryService;
import com.consentry.service.EventPublisher;
import com.consentry.simulate.LineParser;
import com.consentry.simulate.ParsedLine;
import com.consentry.topology.AvroSerdes;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decision latency: MARKETING EMAIL sends for customers with an eligible EMAIL row, one every
 * {@value #INTERVAL_MS} ms, timed from each request's acknowledgement to its decision on
 * {@code send-decisions} (read_committed). Measured without and then with address-only unsubscribes
 * flowing (for addresses no customer has, {@value #ADDRESS_RATE} a second), since every decision waits
 * for the suppression list to catch up with those.
 */
final class DecisionProbe {
    static final long INTERVAL_MS = 50;
    static final int ADDRESS_RATE = 20;

    private final AppConfig config;
    private final Map<String, long[]> pending = new ConcurrentHashMap<>();
    private final AtomicInteger round = new AtomicInteger();
    private volatile boolean watching;

    DecisionProbe(AppConfig config) {
        this.config = config;
    }

    /** One round of sends, one per target; with {@code addressTraffic}, address-only unsubscribes beside them. */
    OptOutProbe.Result measure(List<OptOutProbe.Target> targets, boolean addressTraffic) throws Exception {
        pending.clear();
        int r = round.incrementAndGet();
        AvroSerdes avro = AvroSerdes.using(ConsentryService.registryClient(config));
        try (KafkaConsumer<String, SendDecision> c = OptOutProbe.readCommitted(config, avro.decision().deserializer());
             EventPublisher publisher = new EventPublisher(config, ConsentryService.registryClient(config))) {
            List<TopicPartition> partitions = OptOutProbe.partitions(c, config.topics().sendDecisions());
            c.assign(partitions);
            c.seekToEnd(partitions);
            partitions.forEach(c::position);
            watching = true;
            Thread watcher = new Thread(() -> watch(c), "bench-decision-watcher");
            watcher.start();
            Thread noise = addressTraffic ? new Thread(() -> addressNoise(publisher, r), "bench-address-noise") : null;
            if (noise != null) {
                noise.start();
            }
            LineParser parser = new LineParser(config.topics());
            long next = System.nanoTime();
            for (int i = 0; i < targets.size(); i++) {
                OptOutProbe.Target t = targets.get(i);
                String requestId = "bench-decision-" + r + "-" + i;
                long[] times = new long[2];
                pending.put(requestId, times);
                String line = String.format("{\"type\":\"send\",\"at\":\"%s\",\"requestId\":\"%s\",\"campaignId\":\"bench\","
                                + "\"customerId\":\"%s\",\"brand\":\"%s\",\"channel\":\"EMAIL\",\"purpose\":\"MARKETING\"}",
                        Instant.now().truncatedTo(ChronoUnit.MILLIS), requestId, t.customerId(), t.brand());
                publisher.publish((ParsedLine.Event) parser.parse(line, i + 1)).get();
                times[0] = System.nanoTime();
                next += INTERVAL_MS * 1_000_000;
                Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
            }
            long deadline = System.nanoTime() + OptOutProbe.LAST_WAIT.toNanos();
            while (pending.values().stream().anyMatch(p -> p[1] == 0) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            watching = false;
            watcher.join();
            if (noise != null) {
                noise.join();
            }
        }
        double[] millis = pending.values().stream()
                .mapToDouble(p -> p[1] == 0 || p[0] == 0 ? Double.POSITIVE_INFINITY : Math.max(0, p[1] - p[0]) / 1e6)
                .sorted().toArray();
        int seen = (int) pending.values().stream().filter(p -> p[1] != 0).count();
        return new OptOutProbe.Result(targets.size(), seen, OptOutProbe.percentile(millis, 50),
                OptOutProbe.percentile(millis, 99), OptOutProbe.percentile(millis, 100));
    }

    private void watch(KafkaConsumer<String, SendDecision> c) {
        while (watching) {
            for (ConsumerRecord<String, SendDecision> r : c.poll(Duration.ofMillis(20))) {
                long[] p = pending.get(r.value().getRequestId());
                if (p != null && p[1] == 0) {
                    p[1] = System.nanoTime();
                }
            }
        }
    }

    private void addressNoise(EventPublisher publisher, int r) {
        LineParser parser = new LineParser(config.topics());
        long next = System.nanoTime();
        for (int i = 0; watching; i++) {
            String line = String.format("{\"type\":\"unsubscribe\",\"at\":\"%s\",\"eventId\":\"bench-noise-%d-%d\","
                            + "\"address\":\"bench-noise-%d-%d@example.invalid\",\"channel\":\"EMAIL\",\"source\":\"LINK\"}",
                    Instant.now().truncatedTo(ChronoUnit.MILLIS), r, i, r, i);
            try {
                publisher.publish((ParsedLine.Event) parser.parse(line, i + 1));
                next += 1_000_000_000L / ADDRESS_RATE;
                Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
            } catch (LineParser.BadLineException e) {
                throw new IllegalStateException("a bench line did not parse: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
