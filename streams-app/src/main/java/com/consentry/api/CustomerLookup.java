package com.consentry.api;

import com.consentry.ops.RestoringPartitions;
import com.consentry.policy.Suppression;
import com.consentry.topology.CustomerHoldings;
import com.consentry.topology.CustomerState;
import com.consentry.topology.GlobalSuppressionList;
import com.consentry.topology.StoreNames;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds a customer's state wherever it lives, through Kafka Streams interactive queries: from the local
 * active store when this instance owns the key; else by forwarding the request to the owner
 * ({@code queryMetadataForKey}); and, when the owner cannot answer (unreachable, restoring, or in the
 * middle of a rebalance), from a standby copy, here or on another instance, marked stale.
 */
final class CustomerLookup {
    private static final Serializer<String> KEYS = Serdes.String().serializer();

    private final KafkaStreams streams;
    private final HostInfo self;
    private final Forwarder forwarder;
    private final RestoringPartitions restoring;

    /** What was read of the customer here ({@code state} null for an unknown customer). */
    record Local<T>(T state, boolean stale) {
    }

    /** Either what was read here or another instance's answer to relay. */
    record Outcome<T>(Local<T> local, Forwarder.Relayed relayed) {
    }

    /** Reads what a request needs from the stores of the customer's partition. */
    @FunctionalInterface
    interface Reader<T> {
        T read(CustomerHoldings.Stores stores);
    }

    /** What the incoming request asks of this instance. */
    record Request(String pathAndQuery, String authorization, boolean forwarded, boolean standbyRequested) {
    }

    CustomerLookup(KafkaStreams streams, HostInfo self, Forwarder forwarder, RestoringPartitions restoring) {
        this.streams = streams;
        this.restoring = restoring;
        this.self = self;
        this.forwarder = forwarder;
    }

    /** The customer's {@link StoreNames#CUSTOMERS} value, here or from the instance that holds it. */
    Outcome<CustomerState> find(String customerId, Request request) {
        return find(customerId, request, stores -> stores.<CustomerState>store(StoreNames.CUSTOMERS).get(customerId));
    }

    /** What {@code reader} reads of the customer's partition, here or from the instance that holds it. */
    <T> Outcome<T> find(String customerId, Request request, Reader<T> reader) {
        KeyQueryMetadata meta = owner(customerId);
        if (meta == null || meta.equals(KeyQueryMetadata.NOT_AVAILABLE) || meta.activeHost() == null
                || meta.activeHost().equals(HostInfo.unavailable())) {
            throw ApiException.notReady("not ready: the owner of this customer is not known yet (streams state "
                    + streams.state() + ")");
        }
        int partition = meta.partition();
        boolean ownedHere = meta.activeHost().equals(self);
        if (ownedHere) {
            Optional<Local<T>> local = read(partition, false, reader);
            if (local.isPresent()) {
                return new Outcome<>(local.get(), null);
            }
        }
        if (request.forwarded() || request.standbyRequested()) {
            // another instance sent this here: answer from what is held here, never forward again
            return new Outcome<>(read(partition, true, reader).orElseThrow(() -> ApiException.notReady(
                    "not ready: partition " + partition + " of the customers store is not queryable on "
                            + hostName(self) + " (streams state " + streams.state() + ")")), null);
        }
        List<String> tried = new ArrayList<>();
        if (!ownedHere) {
            Optional<Forwarder.Relayed> owner = forwarder.forward(meta.activeHost(), request.pathAndQuery(),
                    request.authorization(), false);
            if (owner.isPresent() && owner.get().status() != 503) {
                return new Outcome<>(null, owner.get());
            }
            tried.add(hostName(meta.activeHost()) + (owner.isPresent() ? " (not ready)" : " (unreachable)"));
            if (meta.standbyHosts().contains(self)) {
                Optional<Local<T>> standby = read(partition, true, reader);
                if (standby.isPresent()) {
                    return new Outcome<>(standby.get(), null);
                }
            }
        } else {
            // owned here, but not queryable as a running active (a rebalance, or a restore): not answered from
            // here, since a task just assigned may hold nothing yet and would answer "unknown customer"
            tried.add(hostName(self) + " (restoring)");
        }
        for (HostInfo h : meta.standbyHosts()) {
            if (h.equals(self)) {
                continue;
            }
            Optional<Forwarder.Relayed> standby = forwarder.forward(h, request.pathAndQuery(), request.authorization(), true);
            if (standby.isPresent() && standby.get().status() != 503) {
                return new Outcome<>(null, standby.get());
            }
            tried.add(hostName(h) + " standby" + (standby.isPresent() ? " (not ready)" : " (unreachable)"));
        }
        throw ApiException.notReady("not ready: no instance can answer for this customer's partition " + partition
                + " now; tried " + String.join(", ", tried));
    }

    /**
     * Where the customer's partition lives. Kafka Streams refuses to say before {@code start()}
     * (StreamsNotStartedException, an InvalidStateStoreException) and once stopping, stopped or failed
     * (IllegalStateException): this instance is not ready, a 503 the caller may retry elsewhere.
     */
    private KeyQueryMetadata owner(String customerId) {
        try {
            return streams.queryMetadataForKey(StoreNames.CUSTOMERS, customerId, KEYS);
        } catch (InvalidStateStoreException | IllegalStateException e) {
            throw ApiException.notReady(streams.state());
        }
    }

    GlobalSuppressionList suppressions() {
        try {
            ReadOnlyKeyValueStore<String, Suppression> store = streams.store(StoreQueryParameters.fromNameAndType(
                    StoreNames.SUPPRESSIONS, QueryableStoreTypes.<String, Suppression>keyValueStore()));
            return new GlobalSuppressionList(store);
        } catch (InvalidStateStoreException e) {
            throw ApiException.notReady("not ready: the suppression list is not queryable yet (streams state "
                    + streams.state() + ")");
        }
    }

    /**
     * Reads from the copy of the partition held here: the active, running one; or with {@code stale}, a
     * standby, but not one still restoring or far behind. Empty when this instance holds no such copy.
     */
    private <T> Optional<Local<T>> read(int partition, boolean stale, Reader<T> reader) {
        if (stale && !restoring.mayAnswer(streams, partition)) {
            // a store half restored, or far behind, would answer for a customer it does not hold yet
            return Optional.empty();
        }
        CustomerHoldings.Stores stores = new CustomerHoldings.Stores() {
            @Override
            public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
                StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> q = StoreQueryParameters
                        .fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore())
                        .withPartition(partition);
                return streams.store(stale ? q.enableStaleStores() : q);
            }
        };
        try {
            return Optional.of(new Local<>(reader.read(stores), stale));
        } catch (InvalidStateStoreException e) {
            return Optional.empty();
        }
    }

    private static String hostName(HostInfo h) {
        return h.host() + ":" + h.port();
    }
}
