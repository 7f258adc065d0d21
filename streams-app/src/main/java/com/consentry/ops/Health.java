package com.consentry.ops;

import com.consentry.topology.StoreNames;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Liveness and readiness of the service. Ready means "can answer": a point or view query sent here gets
 * a 200 for every customer, possibly marked stale. That holds when the streams are RUNNING or
 * REBALANCING (a rebalance does not stop the answers), the global suppression list is queryable here,
 * and every partition of the customers store can be answered: from the copy held here (active, or standby,
 * queried with stale stores allowed; not an active store still restoring, nor a copy far behind,
 * see {@link RestoringPartitions}), or by forwarding to another instance that holds an
 * active or standby copy. An instance that is restoring is thus ready as soon as a peer holds a copy of
 * what it restores; a single instance once it has restored.
 */
public final class Health {
    private Health() {
    }

    /** {@code ready}, the streams state, and what is missing when not ready. */
    public record Readiness(boolean ready, String state, String detail) {
    }

    /**
     * @param self this instance's {@code application.server}
     */
    public static Readiness readiness(KafkaStreams streams, HostInfo self, RestoringPartitions restoring) {
        if (streams == null) {
            return new Readiness(false, "STARTING", "the service is starting");
        }
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            return new Readiness(false, state.name(), "streams state is " + state + ", not RUNNING or REBALANCING");
        }
        try {
            streams.store(StoreQueryParameters.fromNameAndType(StoreNames.SUPPRESSIONS,
                    QueryableStoreTypes.keyValueStore()));
            Collection<StreamsMetadata> all = streams.metadataForAllStreamsClients();
            Set<Integer> partitions = new TreeSet<>();
            all.forEach(m -> {
                partitions.addAll(numbers(m.topicPartitions()));
                partitions.addAll(numbers(m.standbyTopicPartitions()));
            });
            if (partitions.isEmpty()) {
                return new Readiness(false, state.name(), "no partition of the customers store is assigned yet");
            }
            for (int p : partitions) {
                if (!answerable(streams, self, restoring, all, p)) {
                    return new Readiness(false, state.name(), "partition " + p + " of the customers store is "
                            + "queryable neither here nor on another instance holding a copy");
                }
            }
            return new Readiness(true, state.name(), "ok");
        } catch (InvalidStateStoreException | IllegalStateException e) {
            return new Readiness(false, state.name(), "stores not queryable yet: " + e.getMessage());
        }
    }

    private static boolean answerable(KafkaStreams streams, HostInfo self, RestoringPartitions restoring,
                                      Collection<StreamsMetadata> all, int p) {
        boolean heldHere = false;
        for (StreamsMetadata m : all) {
            boolean holds = numbers(m.topicPartitions()).contains(p) || numbers(m.standbyTopicPartitions()).contains(p);
            if (holds && !m.hostInfo().equals(self)) {
                return true;
            }
            heldHere |= holds;
        }
        if (!heldHere || !restoring.mayAnswer(streams, p)) {
            return false;
        }
        try {
            streams.store(StoreQueryParameters.fromNameAndType(StoreNames.CUSTOMERS, QueryableStoreTypes.keyValueStore())
                    .withPartition(p).enableStaleStores());
            return true;
        } catch (InvalidStateStoreException e) {
            return false;
        }
    }

    private static Set<Integer> numbers(Set<TopicPartition> tps) {
        Set<Integer> out = new TreeSet<>();
        tps.forEach(tp -> out.add(tp.partition()));
        return out;
    }
}
