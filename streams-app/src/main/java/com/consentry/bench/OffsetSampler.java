package com.consentry.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How far an app has got through the input topics, from its consumer group's committed offsets (what
 * exactly-once has made durable), every {@value #INTERVAL_MS} ms until it has committed the whole load.
 */
final class OffsetSampler {
    static final long INTERVAL_MS = 500;
    private final Admin admin;
    private final List<String> inputs;

    OffsetSampler(Admin admin, List<String> inputs) {
        this.admin = admin;
        this.inputs = inputs;
    }

    /** The records on the input topics: the sum of their end offsets (the producer is not transactional). */
    long endOffsets() throws InterruptedException {
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        try {
            admin.describeTopics(inputs).allTopicNames().get(60, TimeUnit.SECONDS).forEach((name, d) ->
                    d.partitions().forEach(p -> ask.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            return admin.listOffsets(ask).all().get(60, TimeUnit.SECONDS).values().stream()
                    .mapToLong(r -> r.offset()).sum();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the end offsets of the input topics: " + e.getMessage(), e);
        }
    }

    /** The input records {@code groupId} has committed. */
    long committed(String groupId) throws InterruptedException {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
            return offsets.entrySet().stream().filter(e -> inputs.contains(e.getKey().topic()) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the committed offsets of " + groupId + ": " + e.getMessage(), e);
        }
    }

    /**
     * Samples {@code app} until it has committed {@code total} records.
     *
     * @throws IllegalStateException when the app exits, or commits nothing new for {@code stall}
     */
    List<Sample> follow(AppProcess app, String groupId, long total, Duration stall, Progress progress)
            throws InterruptedException {
        List<Sample> samples = new ArrayList<>();
        samples.add(new Sample(app.label(), 0, 0));
        long lastChange = System.nanoTime();
        long last = 0;
        while (last < total) {
            Thread.sleep(INTERVAL_MS);
            app.requireAlive();
            long now = committed(groupId);
            samples.add(new Sample(app.label(), app.elapsedSeconds(), now));
            if (now != last) {
                lastChange = System.nanoTime();
                last = now;
                progress.report(app.label(), now, total);
            } else if (System.nanoTime() - lastChange > stall.toNanos()) {
                throw new IllegalStateException("the " + app.label() + " app committed nothing for " + stall.toSeconds()
                        + " s, at " + now + " of " + total + " records; its log is " + app.log());
            }
        }
        return samples;
    }

    /** Told of each advance. */
    interface Progress {
        void report(String app, long committed, long total);
    }
}
