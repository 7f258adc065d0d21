package com.consentry.ops;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.TreeSet;

/**
 * One log line per event an operator looks for, as grep-able {@code key=value} pairs: the tasks this
 * instance holds each time it is (again) RUNNING after a rebalance, and the restoration of state from
 * changelogs (start and end, per store partition that has anything to restore). State changes
 * themselves are logged by the service
 * ({@code streams state from=... to=...}); dead letters by the topology ({@code dead-letter topic=...}).
 */
public final class StreamsEventLog implements StateRestoreListener {
    private static final Logger LOG = LoggerFactory.getLogger(StreamsEventLog.class);
    private final KafkaStreams streams;

    public StreamsEventLog(KafkaStreams streams) {
        this.streams = streams;
    }

    /** To be called on every state change. */
    public void onStateChange(KafkaStreams.State now, KafkaStreams.State before) {
        if (now == KafkaStreams.State.REBALANCING) {
            LOG.info("rebalance started from={}", before);
        } else if (now == KafkaStreams.State.RUNNING) {
            Set<String> active = new TreeSet<>();
            Set<String> standby = new TreeSet<>();
            for (ThreadMetadata t : streams.metadataForLocalThreads()) {
                t.activeTasks().stream().map(TaskMetadata::taskId).forEach(id -> active.add(id.toString()));
                t.standbyTasks().stream().map(TaskMetadata::taskId).forEach(id -> standby.add(id.toString()));
            }
            LOG.info("assignment activeTasks={} standbyTasks={}", active, standby);
        }
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
        if (endingOffset <= startingOffset) {
            return;
        }
        LOG.info("restore started store={} changelog={} from={} to={}", store, partition, startingOffset, endingOffset);
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        // per batch: too chatty for the log
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        if (totalRestored == 0) {
            return;
        }
        LOG.info("restore finished store={} changelog={} records={}", store, partition, totalRestored);
    }
}
