package com.consentry.replay;

import com.consentry.config.AppConfig;
import com.consentry.ops.LagMonitor;

import com.consentry.cli.ServiceRunner;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.TopicPartition;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Where a replay stands, from the offsets its shadow group has committed: records done of the total
 * (input records up to the recorded end offsets), and whether it has reached its end, which is when
 * every input partition is committed up to its recorded end and the shadow's own address-index hops
 * are read to their end (nothing in flight between its tasks). A hop whose committed offset stops short
 * of its end is read there (read_committed): what lies beyond may be only the markers and records of
 * aborted transactions (a task that was fenced or corrupted), which the shadow's consumer skips without
 * committing past them.
 */
public final class ReplayProgress implements AutoCloseable {
    private final ReplayControl control;
    private final List<String> hops;
    private final boolean exactlyOnce;
    private final LagMonitor offsets;
    private final AppConfig live;
    private KafkaConsumer<byte[], byte[]> reader;

    /** @param reachedEnd true when the shadow has processed its whole bounded history */
    public record Snapshot(long done, long total, boolean reachedEnd) {
    }

    public ReplayProgress(Shadow shadow, ReplayControl control, Admin admin) throws InterruptedException {
        this.control = control;
        this.live = shadow.live();
        AppConfig config = shadow.config(1);
        // a shadow that never ran has no hop topics yet: nothing of it is in flight
        Set<String> existing = existingTopics(admin);
        this.hops = Stream.of(config.topics().addressIndex(), config.topics().customerRechecks())
                .filter(existing::contains).toList();
        // under exactly-once every transaction ends with a commit marker, which takes the last offset
        this.exactlyOnce = config.get("processing.guarantee").startsWith("exactly_once");
        List<String> topics = new ArrayList<>(control.ranges().stream().map(ReplayControl.Range::topic).distinct().toList());
        topics.addAll(hops);
        this.offsets = new LagMonitor(admin, control.applicationId(),
                "streams".equalsIgnoreCase(config.all().get("group.protocol")), topics, Duration.ZERO, Clock.systemUTC());
    }

    private static Set<String> existingTopics(Admin admin) throws InterruptedException {
        try {
            return admin.listTopics().names().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list the topics: " + e.getMessage(), e);
        }
    }

    public Snapshot sample() throws InterruptedException {
        Map<TopicPartition, Long> committed = new HashMap<>();
        List<LagMonitor.PartitionLag> unread = new ArrayList<>();
        for (LagMonitor.PartitionLag p : offsets.report().partitions()) {
            committed.put(new TopicPartition(p.topic(), p.partition()), p.committedOffset());
            if (hops.contains(p.topic()) && p.endOffset() > 0 && read(p) < p.endOffset() - (exactlyOnce ? 1 : 0)) {
                unread.add(p);
            }
        }
        long done = 0;
        boolean inputsDone = true;
        for (ReplayControl.Range r : control.ranges()) {
            long d = r.done(committed.get(new TopicPartition(r.topic(), r.partition())));
            done += d;
            inputsDone &= d >= r.size();
        }
        boolean hopsDrained = true;
        for (LagMonitor.PartitionLag p : unread) {
            // only once the inputs are done: before, a hop that lags is simply in flight
            hopsDrained &= inputsDone && nothingCommittedFrom(new TopicPartition(p.topic(), p.partition()), read(p),
                    p.endOffset());
        }
        return new Snapshot(done, control.total(), inputsDone && hopsDrained);
    }

    private static long read(LagMonitor.PartitionLag p) {
        return p.committedOffset() == null ? 0 : p.committedOffset();
    }

    /** True when no committed record of {@code tp} lies from offset {@code from} to {@code end} (read_committed). */
    private boolean nothingCommittedFrom(TopicPartition tp, long from, long end) {
        if (reader == null) {
            Properties p = ServiceRunner.clientProperties(live, ConsumerConfig.configNames());
            p.put(ConsumerConfig.CLIENT_ID_CONFIG, control.applicationId() + "-progress-reader");
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.remove(ConsumerConfig.GROUP_ID_CONFIG);
            reader = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        reader.assign(List.of(tp));
        reader.seek(tp, from);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (reader.position(tp) < end && System.nanoTime() < deadline) {
            if (!reader.poll(Duration.ofMillis(200)).isEmpty()) {
                return false;
            }
        }
        // short of the end: a transaction still open (the last stable offset stops there)
        return reader.position(tp) >= end;
    }

    @Override
    public void close() {
        offsets.close();
        if (reader != null) {
            reader.close();
        }
    }
}
