package com.consentry.topology;

import com.consentry.policy.Suppression;
import com.consentry.policy.SuppressionList;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.List;

/**
 * The suppression list over the global {@link StoreNames#SUPPRESSIONS} store. Keys are
 * {@code hash NUL at-millis NUL eventId}, so that every entry is kept and one address is a prefix scan.
 */
public final class GlobalSuppressionList implements SuppressionList {
    private static final StringSerializer KEYS = new StringSerializer();
    private final ReadOnlyKeyValueStore<String, Suppression> store;

    public GlobalSuppressionList(ReadOnlyKeyValueStore<String, Suppression> store) {
        this.store = store;
    }

    public static String key(Suppression s) {
        return s.addressHash() + '\u0000' + DueKeys.millis(s.at().toEpochMilli()) + '\u0000' + s.eventId();
    }

    @Override
    public List<Suppression> forAddress(String addressHash) {
        List<Suppression> out = new ArrayList<>();
        try (KeyValueIterator<String, Suppression> it = store.prefixScan(addressHash + '\u0000', KEYS)) {
            it.forEachRemaining(kv -> out.add(kv.value));
        }
        return out;
    }

    /**
     * Every entry {@code eventId} created, by one pass over the whole store: for a subject access export
     * of an erased customer, whose addresses are no longer known (never for a decision).
     */
    public List<Suppression> createdBy(String eventId) {
        List<Suppression> out = new ArrayList<>();
        try (KeyValueIterator<String, Suppression> it = store.all()) {
            it.forEachRemaining(kv -> {
                if (eventId.equals(kv.value.eventId())) {
                    out.add(kv.value);
                }
            });
        }
        return out;
    }

    /** The entries of both lists, each once (the same entry may be in both). */
    public static SuppressionList union(SuppressionList a, SuppressionList b) {
        return hash -> {
            List<Suppression> all = new ArrayList<>(a.forAddress(hash));
            b.forAddress(hash).stream().filter(s -> !all.contains(s)).forEach(all::add);
            return all;
        };
    }

}
