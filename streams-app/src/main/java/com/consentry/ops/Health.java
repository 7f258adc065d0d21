package com.consentry.ops;

import com.consentry.topology.StoreNames;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Liveness and readiness of the service. Ready means "can answer": a point or view query sent here gets
 * a 200 for every customer, possibly marked stale. That holds when the streams are RUNNING or
 * REBALANCING (a rebalance does not stop the answers), the global suppression list is queryable here,
 * and every partition of the customers store can be answered: from the copy held here (the active one
 * running, or a standby or restoring copy queried with stale stores allowed, but not an active store still
 * restoring, nor a copy far behind, see {@link RestoringPartitions}), or by another instance holding a
 * copy that says it can answer for that partition from its own stores ({@link #answerableHere}, served as
 * {@code GET /health/partitions}). An instance that is restoring is thus ready as soon as a peer can answer
 * for what it restores; a single instance once it has restored; and two instances starting together only
 * once one of them can answer for each partition.
 */
public final class Health {
    private Health() {
    }

    /** {@code ready}, the streams state, and what is missing when not ready. */
    public record Readiness(boolean ready, String state, String detail) {
    }

    /** Whether another instance can answer for a partition from its own stores. */
    @FunctionalInterface
    public interface Peers {
        /**
         * True when {@code peer} says it can answer for {@code partition} of the customers store from its own
         * copies ({@code GET /health/partitions}); false when it says not, or cannot be asked. A peer of a
         * release that cannot say (no such endpoint) is taken at its word that a copy it holds answers.
         */
        boolean canAnswer(HostInfo peer, int partition);
    }

    /**
     * @param self  this instance's {@code application.server}
     * @param peers how to ask another instance what it can answer for
     */
    public static Readiness readiness(KafkaStreams streams, HostInfo self, RestoringPartitions restoring, Peers peers) {
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
            all.forEach(m -> partitions.addAll(held(m)));
            if (partitions.isEmpty()) {
                return new Readiness(false, state.name(), "no partition of the customers store is assigned yet");
            }
            Set<Integer> here = answerableHere(streams, restoring, partitions);
            for (int p : partitions) {
                if (!here.contains(p) && !answerableByPeer(self, all, peers, p)) {
                    return new Readiness(false, state.name(), "partition " + p + " of the customers store can be "
                            + "answered neither here nor by another instance holding a copy");
                }
            }
            return new Readiness(true, state.name(), "ok");
        } catch (InvalidStateStoreException | IllegalStateException e) {
            return new Readiness(false, state.name(), "stores not queryable yet: " + e.getMessage());
        }
    }

    /**
     * The partitions of the customers store this instance can answer for from its own copies: the running
     * active one, or a standby (or an active still restoring) that {@link RestoringPartitions#mayAnswer}.
     * Empty when the streams are not running or rebalancing.
     */
    public static Set<Integer> answerableHere(KafkaStreams streams, RestoringPartitions restoring) {
        if (streams == null) {
            return Set.of();
        }
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            return Set.of();
        }
        try {
            Set<Integer> heldHere = new TreeSet<>();
            streams.metadataForLocalThreads().forEach(t -> {
                t.activeTasks().forEach(task -> task.topicPartitions().forEach(tp -> heldHere.add(tp.partition())));
                t.standbyTasks().forEach(task -> task.topicPartitions().forEach(tp -> heldHere.add(tp.partition())));
            });
            return answerableHere(streams, restoring, heldHere);
        } catch (InvalidStateStoreException | IllegalStateException e) {
            return Set.of();
        }
    }

    private static Set<Integer> answerableHere(KafkaStreams streams, RestoringPartitions restoring, Set<Integer> candidates) {
        Set<Integer> out = new TreeSet<>();
        for (int p : candidates) {
            if (queryable(streams, p, false) || (restoring.mayAnswer(streams, p) && queryable(streams, p, true))) {
                out.add(p);
            }
        }
        return out;
    }

    private static boolean queryable(KafkaStreams streams, int p, boolean stale) {
        try {
            StoreQueryParameters<ReadOnlyKeyValueStore<Object, Object>> q = StoreQueryParameters.fromNameAndType(
                    StoreNames.CUSTOMERS, QueryableStoreTypes.keyValueStore()).withPartition(p);
            streams.store(stale ? q.enableStaleStores() : q);
            return true;
        } catch (InvalidStateStoreException e) {
            return false;
        }
    }

    private static boolean answerableByPeer(HostInfo self, Collection<StreamsMetadata> all, Peers peers, int p) {
        for (StreamsMetadata m : all) {
            if (m.hostInfo().equals(self) || !held(m).contains(p)) {
                continue;
            }
            if (peers.canAnswer(m.hostInfo(), p)) {
                return true;
            }
        }
        return false;
    }

    /** The partitions of the customers store an instance holds a copy of, active or standby. */
    private static Set<Integer> held(StreamsMetadata m) {
        Set<Integer> out = new TreeSet<>();
        m.topicPartitions().forEach(tp -> out.add(tp.partition()));
        m.standbyTopicPartitions().forEach(tp -> out.add(tp.partition()));
        return out;
    }
}
