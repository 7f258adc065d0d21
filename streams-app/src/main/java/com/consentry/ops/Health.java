package com.consentry.ops;

import com.consentry.topology.StoreNames;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * Liveness and readiness of the service. Ready means the streams are RUNNING and the stores can be
 * queried here: the global suppression list, and the customers store of every partition this instance
 * is the active owner of (an instance that owns none, e.g. one instance more than there are partitions,
 * is ready too: it answers by forwarding).
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
    public static Readiness readiness(KafkaStreams streams, HostInfo self) {
        if (streams == null) {
            return new Readiness(false, "STARTING", "the service is starting");
        }
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            return new Readiness(false, state.name(), "streams state is " + state + ", not RUNNING");
        }
        try {
            streams.store(StoreQueryParameters.fromNameAndType(StoreNames.SUPPRESSIONS,
                    QueryableStoreTypes.keyValueStore()));
            if (ownsCustomerPartitions(streams, self)) {
                streams.store(StoreQueryParameters.fromNameAndType(StoreNames.CUSTOMERS,
                        QueryableStoreTypes.keyValueStore()));
            }
            return new Readiness(true, state.name(), "ok");
        } catch (InvalidStateStoreException e) {
            return new Readiness(false, state.name(), "stores not queryable yet: " + e.getMessage());
        }
    }

    private static boolean ownsCustomerPartitions(KafkaStreams streams, HostInfo self) {
        for (StreamsMetadata m : streams.streamsMetadataForStore(StoreNames.CUSTOMERS)) {
            if (m.hostInfo().equals(self) && !m.topicPartitions().isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
