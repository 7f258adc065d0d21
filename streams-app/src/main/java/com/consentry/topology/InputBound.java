package com.consentry.topology;

import org.apache.kafka.common.TopicPartition;

import java.util.Map;

/**
 * The input offsets a topology may process: none or, for a replay, every record before the end offsets
 * recorded when the replay started. A record at or after its partition's bound is left unprocessed, so
 * that a replay reads exactly the history that existed when it started, however much arrives meanwhile.
 *
 * @param ends per input partition, the first offset not to process; empty: no bound at all (a partition
 *             missing from a non-empty bound is not processed)
 */
public record InputBound(Map<TopicPartition, Long> ends) {
    public static final InputBound NONE = new InputBound(Map.of());

    public InputBound {
        ends = Map.copyOf(ends);
    }

    /** Whether the record at {@code offset} of {@code topic}'s {@code partition} is within the bound. */
    public boolean admits(String topic, int partition, long offset) {
        if (ends.isEmpty()) {
            return true;
        }
        // a partition created after the replay started had no records then
        Long end = ends.get(new TopicPartition(topic, partition));
        return end != null && offset < end;
    }
}
