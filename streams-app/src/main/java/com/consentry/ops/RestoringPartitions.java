package com.consentry.ops;

import com.consentry.topology.StoreNames;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.processor.StateRestoreListener;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which copies of the {@link StoreNames#CUSTOMERS} store held here may answer a stale query. Not an active
 * store being restored from its changelog: it is queryable with stale stores allowed, but holds only part
 * of the partition (after an unclean stop under exactly-once Kafka Streams wipes it and restores it from
 * the start). Nor a copy more than {@value #MAX_STALE_LAG} changelog records behind (KIP-535 lag), e.g. a
 * standby wiped by the same unclean stop and rebuilt from scratch: it would answer for a customer as if
 * it did not exist. Another copy answers instead, or the query gets a 503.
 */
public final class RestoringPartitions implements StateRestoreListener {
    /** The most changelog records a copy may be behind and still answer, marked stale. */
    public static final long MAX_STALE_LAG = 1000;
    private final Set<Integer> restoring = ConcurrentHashMap.newKeySet();

    public boolean restoring(int partition) {
        return restoring.contains(partition);
    }

    /** True when the copy of {@code partition} held here may answer a stale query (see above). */
    public boolean mayAnswer(KafkaStreams streams, int partition) {
        if (restoring(partition)) {
            return false;
        }
        try {
            LagInfo lag = streams.allLocalStorePartitionLags().getOrDefault(StoreNames.CUSTOMERS, Map.of()).get(partition);
            return lag != null && lag.offsetLag() <= MAX_STALE_LAG;
        } catch (RuntimeException e) {
            // the lag is not known (the broker cannot be reached, or the streams are not running)
            return false;
        }
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
        if (StoreNames.CUSTOMERS.equals(store)) {
            restoring.add(partition.partition());
        }
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        // progress only
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        if (StoreNames.CUSTOMERS.equals(store)) {
            restoring.remove(partition.partition());
        }
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
        onRestoreEnd(partition, store, totalRestored);
    }
}
