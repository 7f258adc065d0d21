package com.consentry.service;

import com.consentry.policy.Suppression;
import com.consentry.topology.SuppressionBarrier;
import com.consentry.topology.SuppressionProgress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.function.Function;

/**
 * The service's {@link SuppressionBarrier}: a read_committed consumer of the unsubscribe topic, outside
 * any group, that over and over asks for the topic's end offsets and reads up to them, noting the
 * offset of the last record of each partition. Each round is a snapshot: every unsubscribe
 * acknowledged to its producer before the round started is at or before those offsets. A decision
 * taken at wall time w may be published once, for the first snapshot started at or after w, every
 * partition's progress marker ({@link SuppressionProgress}) in the suppression list is past its last
 * record: then every address-only unsubscribe acknowledged before w is in the list. A partition whose
 * processing has passed the decision's event time counts as caught up too: what it still holds before
 * the round's end comes later in the partition, and can only be earlier in event time if it arrived
 * late (out of order), as it would in {@code simulate}. That is what keeps a task catching up on a
 * backlog from waiting for the whole backlog of unsubscribes.
 *
 * <p>Failure mode: while the watch cannot reach the broker, or a partition's task does not mark its
 * progress (it is restoring, or its instance is down), decisions are held, not guessed: nothing is
 * approved on a list that may lag. {@code consentry_suppressions_watch_age_seconds} shows how old the
 * newest snapshot is.
 */
public final class SuppressionWatch implements SuppressionBarrier, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SuppressionWatch.class);
    private static final Duration[] WAIT_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(150),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(30)};

    private final Properties consumerProps;
    private final String unsubscribeTopic;
    private final String suppressionsTopic;
    private final Duration pause;
    private final WatchRounds rounds = new WatchRounds(WatchRounds.KEEP);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile KafkaStreams streams;
    private volatile long lastSnapshotMs = System.currentTimeMillis();
    private volatile Timer waits;
    private volatile Counter held;
    private volatile Counter redecided;

    /**
     * @param consumerProps connection settings (bootstrap, security) for the watch's consumer
     * @param pause         how long the watch rests between rounds
     */
    public SuppressionWatch(Properties consumerProps, String unsubscribeTopic, String suppressionsTopic, Duration pause) {
        this.consumerProps = new Properties();
        this.consumerProps.putAll(consumerProps);
        this.consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumerProps.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.unsubscribeTopic = unsubscribeTopic;
        this.suppressionsTopic = suppressionsTopic;
        this.pause = pause;
        this.thread = new Thread(this::run, "consentry-suppression-watch");
        thread.setDaemon(true);
    }

    /** The streams whose committed offsets tell a task that has processed nothing yet where it stands. */
    public void watchStreams(KafkaStreams streams) {
        this.streams = streams;
    }

    public void start() {
        thread.start();
    }

    public void bindTo(MeterRegistry registry) {
        waits = Timer.builder("consentry.suppressions.wait")
                .description("How long send and reminder decisions waited for the suppression list to catch up with"
                        + " the address-only unsubscribes acknowledged before them, before they were published")
                .serviceLevelObjectives(WAIT_BUCKETS).register(registry);
        held = Counter.builder("consentry.suppressions.held")
                .description("Decisions that could not be published at once and waited for the suppression list")
                .register(registry);
        redecided = Counter.builder("consentry.suppressions.redecided")
                .description("Held decisions taken again because the list showed a new entry for an address they used")
                .register(registry);
        Gauge.builder("consentry.suppressions.watch.age", () -> (System.currentTimeMillis() - lastSnapshotMs) / 1000.0)
                .description("Seconds since the suppression watch last read the unsubscribe topic to its end")
                .baseUnit("seconds").register(registry);
    }

    @Override
    public boolean passed(long wallMs, long eventTimeMs, Function<String, Suppression> progress) {
        WatchRounds.Round s = rounds.firstSince(wallMs);
        if (s == null) {
            return false;
        }
        long[] last = s.lastOffsets();
        for (int p = 0; p < last.length; p++) {
            if (last[p] < 0) {
                continue;
            }
            SuppressionProgress.Mark m = SuppressionProgress.processed(p, s.suppressionsPartitions(), progress);
            // every record acknowledged before wallMs applied, or the partition is past the decision in event time
            if (m.next() <= last[p] && m.streamTimeMs() < eventTimeMs) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long[] acknowledgedBefore(long wallMs) {
        WatchRounds.Round s = rounds.firstSince(wallMs);
        return s == null ? null : s.lastOffsets().clone();
    }

    @Override
    public void released(long millis) {
        Timer t = waits;
        if (t != null) {
            t.record(Duration.ofMillis(millis));
        }
    }

    @Override
    public void held() {
        Counter c = held;
        if (c != null) {
            c.increment();
        }
    }

    @Override
    public void redecided() {
        Counter c = redecided;
        if (c != null) {
            c.increment();
        }
    }

    @Override
    public OptionalLong committedPosition(int partition) {
        KafkaStreams s = streams;
        if (s == null) {
            return OptionalLong.empty();
        }
        TopicPartition tp = new TopicPartition(unsubscribeTopic, partition);
        try {
            for (ThreadMetadata thread : s.metadataForLocalThreads()) {
                for (TaskMetadata task : thread.activeTasks()) {
                    Long committed = task.committedOffsets().get(tp);
                    if (committed != null && committed >= 0) {
                        return OptionalLong.of(committed);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("no task metadata yet: {}", e.toString());
        }
        return OptionalLong.empty();
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = c;
                watch(c);
            } catch (WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("suppression watch failed, decisions are held until it recovers; retrying error={}",
                            e.toString());
                    sleep(Duration.ofSeconds(1));
                }
            }
        }
    }

    private void watch(KafkaConsumer<byte[], byte[]> c) {
        List<TopicPartition> parts = c.partitionsFor(unsubscribeTopic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(i.topic(), i.partition())).sorted(
                        java.util.Comparator.comparingInt(TopicPartition::partition)).toList();
        int suppressionsPartitions = c.partitionsFor(suppressionsTopic, Duration.ofSeconds(30)).size();
        long[] last = new long[parts.size()];
        Arrays.fill(last, -1);
        c.assign(parts);
        Map<TopicPartition, Long> begin = c.beginningOffsets(parts);
        Map<TopicPartition, Long> end = c.endOffsets(parts);
        parts.forEach(tp -> c.seek(tp, end.get(tp)));
        for (TopicPartition tp : parts) {
            findLast(c, tp, begin.get(tp), end.get(tp), last);
        }
        LOG.info("suppression watch on topic={} partitions={} suppressions-partitions={}", unsubscribeTopic, parts.size(),
                suppressionsPartitions);
        while (running) {
            long started = System.currentTimeMillis();
            readTo(c, c.endOffsets(parts, Duration.ofSeconds(30)), last);
            rounds.add(started, last, suppressionsPartitions);
            lastSnapshotMs = started;
            sleep(pause);
        }
    }

    /** The offset of the last committed record before {@code end}, looking further back until one is found. */
    private static void findLast(KafkaConsumer<byte[], byte[]> c, TopicPartition tp, long begin, long end, long[] last) {
        long window = 256;
        long from = end;
        while (last[tp.partition()] < 0 && from > begin) {
            from = Math.max(begin, end - window);
            c.seek(tp, from);
            readTo(c, Map.of(tp, end), last);
            window *= 16;
        }
        c.seek(tp, end);
    }

    private static void readTo(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> end, long[] last) {
        while (behind(c, end)) {
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                last[r.partition()] = Math.max(last[r.partition()], r.offset());
            }
        }
    }

    private static boolean behind(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
