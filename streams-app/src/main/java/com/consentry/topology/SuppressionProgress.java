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

    static Suppression marker(long nextOffset, long wallMs) {
        return new Suppression(PREFIX, EnumSet.noneOf(com.consentry.policy.Channel.class), Instant.ofEpochMilli(wallMs),
                Long.toString(nextOffset), SOURCE);
    }

    /**
     * The offset up to which partition {@code p} of the unsubscribe topic is known to be in the list:
     * the lowest of its markers over the {@code suppressionsPartitions} partitions, -1 if one is missing.
     */
    public static long processedUpTo(int unsubscribePartition, int suppressionsPartitions,
                                     Function<String, Suppression> store) {
        long min = Long.MAX_VALUE;
        for (int q = 0; q < suppressionsPartitions; q++) {
            Suppression m = store.apply(storeKey(unsubscribePartition, q));
            if (m == null) {
                return -1;
            }
            min = Math.min(min, Long.parseLong(m.eventId()));
        }
        return suppressionsPartitions == 0 ? -1 : min;
    }

    /** Sends a marker to every partition of the suppressions topic, everything else by its key as usual. */
    static StreamPartitioner<String, Suppression> partitioner() {
        return (topic, key, value, partitions) -> isMarker(key) ? Optional.of(all(partitions)) : Optional.empty();
    }

    private static Set<Integer> all(int partitions) {
        return IntStream.range(0, partitions).boxed().collect(Collectors.toUnmodifiableSet());
    }
}
