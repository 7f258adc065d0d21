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
    /** How long the lags read from Kafka Streams are used before they are read again (short: a copy wiped
     * after an unclean stop must stop answering at once). */
    static final long LAGS_FRESH_NANOS = 200_000_000L;
    private final Set<Integer> restoring = ConcurrentHashMap.newKeySet();
    /** The last read of the lags; null before the first. */
    private volatile LagsRead lastRead;

    /** The customers store's lag per partition held here ({@code lags} empty when they could not be read). */
    private record LagsRead(Map<Integer, LagInfo> lags, long at) {
        boolean fresh() {
            return System.nanoTime() - at <= LAGS_FRESH_NANOS;
        }
    }

    public boolean restoring(int partition) {
        return restoring.contains(partition);
    }

    /** True when the copy of {@code partition} held here may answer a stale query (see above). */
    public boolean mayAnswer(KafkaStreams streams, int partition) {
        if (restoring(partition)) {
            return false;
        }
        LagInfo lag = lags(streams).get(partition);
        return lag != null && lag.offsetLag() <= MAX_STALE_LAG;
    }

    /**
     * The lags, read at most once every {@link #LAGS_FRESH_NANOS} (each read asks the broker for the
     * changelogs' end offsets; a query or readiness probe must not). Empty when they are not known (the
     * broker cannot be reached, or the streams are not running).
     */
    private Map<Integer, LagInfo> lags(KafkaStreams streams) {
        LagsRead last = lastRead;
        if (last != null && last.fresh()) {
            return last.lags();
        }
        synchronized (this) {
            if (lastRead == null || !lastRead.fresh()) {
                Map<Integer, LagInfo> read;
                try {
                    read = Map.copyOf(streams.allLocalStorePartitionLags().getOrDefault(StoreNames.CUSTOMERS, Map.of()));
                } catch (RuntimeException e) {
                    read = Map.of();
                }
                lastRead = new LagsRead(read, System.nanoTime());
            }
            return lastRead.lags();
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
