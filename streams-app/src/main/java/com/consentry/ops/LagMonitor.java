package com.consentry.ops;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListStreamsGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Consumer lag of the streams application on its input topics, from the Admin client: the latest
 * offset of each partition minus the offset the application's group ({@code application.id}) has
 * committed (or, before its first commit, minus the partition's earliest offset, where it will start).
 * Answers are cached for a short time so that dashboards and scripts may poll every few seconds.
 */
public final class LagMonitor implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 5;

    private final Admin admin;
    private final String groupId;
    private final boolean streamsGroup;
    private final List<String> topics;
    private final Duration ttl;
    private final Clock clock;
    private LagReport cached;

    /** Lag of one partition; {@code committedOffset} is null before the group's first commit. */
    public record PartitionLag(String topic, int partition, long endOffset, Long committedOffset, long lag) {
    }

    public record LagReport(Instant at, String group, List<PartitionLag> partitions) {
        public long totalLag() {
            return partitions.stream().mapToLong(PartitionLag::lag).sum();
        }
    }

    /**
     * @param streamsGroup true when the application uses {@code group.protocol=streams} (its offsets are
     *                     then those of a streams group, not a consumer group)
     */
    public LagMonitor(Admin admin, String groupId, boolean streamsGroup, List<String> topics, Duration ttl, Clock clock) {
        this.admin = admin;
        this.groupId = groupId;
        this.streamsGroup = streamsGroup;
        this.topics = List.copyOf(topics);
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * @throws IllegalStateException when the cluster does not answer in time
     */
    public synchronized LagReport report() throws InterruptedException {
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cached.at().plus(ttl))) {
            return cached;
        }
        try {
            cached = compute(now);
            return cached;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read offsets from Kafka: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + TIMEOUT_SECONDS + " s", e);
        }
    }

    private LagReport compute(Instant now) throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<TopicPartition> partitions = new ArrayList<>();
        described.values().forEach(d -> d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition()))));
        Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
        Map<TopicPartition, OffsetAndMetadata> committed = committed(partitions);
        List<TopicPartition> neverCommitted = partitions.stream().filter(tp -> committed.get(tp) == null).toList();
        Map<TopicPartition, Long> earliest = neverCommitted.isEmpty() ? Map.of() : offsets(neverCommitted, OffsetSpec.earliest());
        List<PartitionLag> out = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            long endOffset = end.getOrDefault(tp, 0L);
            OffsetAndMetadata c = committed.get(tp);
            Long committedOffset = c == null ? null : c.offset();
            long from = committedOffset != null ? committedOffset : earliest.getOrDefault(tp, 0L);
            out.add(new PartitionLag(tp.topic(), tp.partition(), endOffset, committedOffset, Math.max(0, endOffset - from)));
        }
        out.sort(Comparator.comparing(PartitionLag::topic).thenComparingInt(PartitionLag::partition));
        return new LagReport(now, groupId, out);
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> info = admin.listOffsets(request).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, Long> out = new HashMap<>();
        info.forEach((tp, i) -> out.put(tp, i.offset()));
        return out;
    }

    private Map<TopicPartition, OffsetAndMetadata> committed(List<TopicPartition> partitions)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> result;
        if (streamsGroup) {
            ListStreamsGroupOffsetsSpec spec = new ListStreamsGroupOffsetsSpec().topicPartitions(partitions);
            result = admin.listStreamsGroupOffsets(Map.of(groupId, spec)).partitionsToOffsetAndMetadata(groupId)
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } else {
            result = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        return result == null ? Map.of() : new HashMap<>(result);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
