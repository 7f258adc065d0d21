package com.consentry.topology;

import com.consentry.policy.Suppression;

import org.apache.kafka.streams.processor.StreamPartitioner;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Progress markers on the suppressions topic. The task that reads partition {@code p} of the
 * unsubscribe topic writes, every so often, "partition p is processed up to offset n" to
 * <em>every</em> partition of {@code consentry-suppressions}, in the same transaction as (and after)
 * the suppressions of the records before n. The global store keeps one marker per (p, suppressions
 * partition q). Once a reader's global store holds, for every q, a marker of p at or past n, every
 * suppression of the records of p before n is in its store: within each partition q the global thread
 * applies records in offset order.
 *
 * <p>A marker travels as a {@link Suppression} whose key starts with {@code \u0001progress} and whose
 * eventId is the offset; no address hash starts with that byte, so lookups by address never meet one.
 */
public final class SuppressionProgress {
    static final String PREFIX = "\u0001progress\u0000";
    static final String SOURCE = "PROGRESS";

    private SuppressionProgress() {
    }

    /** The key a task writes for partition {@code p} of the unsubscribe topic. */
    static String key(int unsubscribePartition) {
        return PREFIX + unsubscribePartition;
    }

    /** The key the global store keeps the marker under: one per suppressions partition it arrived on. */
    static String storeKey(String key, int suppressionsPartition) {
        return key + '\u0000' + suppressionsPartition;
    }

    public static String storeKey(int unsubscribePartition, int suppressionsPartition) {
        return storeKey(key(unsubscribePartition), suppressionsPartition);
    }

    static boolean isMarker(String key) {
        return key != null && key.startsWith(PREFIX);
    }

    /** A marker: the partition is processed up to (not including) {@code nextOffset}, in event time to {@code streamTime}. */
    static Suppression marker(long nextOffset, Instant streamTime) {
        return new Suppression(PREFIX, EnumSet.noneOf(com.consentry.policy.Channel.class), streamTime,
                Long.toString(nextOffset), SOURCE);
    }

    /**
     * How far partition {@code p} of the unsubscribe topic is known to be in the list: the offset it is
     * processed up to (exclusive) and the newest event time processed, each the lowest over its markers on
     * the {@code suppressionsPartitions} partitions; {@link Mark#NONE} if one is missing.
     */
    public static Mark processed(int unsubscribePartition, int suppressionsPartitions,
                                 Function<String, Suppression> store) {
        long offset = Long.MAX_VALUE;
        long time = Long.MAX_VALUE;
        for (int q = 0; q < suppressionsPartitions; q++) {
            Suppression m = store.apply(storeKey(unsubscribePartition, q));
            if (m == null) {
                return Mark.NONE;
            }
            offset = Math.min(offset, Long.parseLong(m.eventId()));
            time = Math.min(time, m.at().toEpochMilli());
        }
        return suppressionsPartitions == 0 ? Mark.NONE : new Mark(offset, time);
    }

    /** Processed up to offset {@code next} (exclusive); the newest event time processed, epoch ms. */
    public record Mark(long next, long streamTimeMs) {
        public static final Mark NONE = new Mark(-1, Long.MIN_VALUE);
    }

    /** Sends a marker to every partition of the suppressions topic, everything else by its key as usual. */
    static StreamPartitioner<String, Suppression> partitioner() {
        return (topic, key, value, partitions) -> isMarker(key) ? Optional.of(all(partitions)) : Optional.empty();
    }

    private static Set<Integer> all(int partitions) {
        return IntStream.range(0, partitions).boxed().collect(Collectors.toUnmodifiableSet());
    }
}
