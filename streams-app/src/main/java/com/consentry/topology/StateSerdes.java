package com.consentry.topology;

import com.consentry.avro.state.AddressLinks;
import com.consentry.avro.state.SeenSendRequest;
import com.consentry.policy.Suppression;
import com.consentry.serde.JsonSerde;
import com.consentry.serde.PolicyCodec;
import com.consentry.serde.StateSerde;

import com.fasterxml.jackson.core.type.TypeReference;

import java.util.TreeSet;

/**
 * The serde of each state-store and internal-topic value: Avro single-object encoding of its record in
 * {@code schemas/src/main/avro/state}, reading the JSON of the release before it too (see
 * {@link StateSerde}). It lives beside the topology because {@link SendGate.Seen} is the topology's own.
 */
public final class StateSerdes {
    private StateSerdes() {
    }

    /** Store {@link StoreNames#CUSTOMERS}. */
    public static StateSerde<CustomerState> customers() {
        return StateSerde.of("CustomerState (store " + StoreNames.CUSTOMERS + ")",
                com.consentry.avro.state.CustomerState.getClassSchema(), StateCodec::toAvro, StateCodec::fromAvro,
                new JsonSerde<>(CustomerState.class)).readingAlso(CUSTOMER_STATE_BEFORE_RETENTION);
    }

    /**
     * CustomerState as the release before retention (issue 11) wrote it: the current schema without the
     * fields retention added at its end (each with a default), so the same fingerprint as that release's.
     */
    static final org.apache.avro.Schema CUSTOMER_STATE_BEFORE_RETENTION = withoutTrailingFields(
            com.consentry.avro.state.CustomerState.getClassSchema(), java.util.Set.of("retentionHorizon",
                    "retentionHorizonNanoOfMilli", "retentionDueAt", "retentionDueAtNanoOfMilli"));

    private static org.apache.avro.Schema withoutTrailingFields(org.apache.avro.Schema current,
                                                                java.util.Set<String> added) {
        java.util.List<org.apache.avro.Schema.Field> fields = current.getFields().stream()
                .filter(f -> !added.contains(f.name()))
                .map(f -> new org.apache.avro.Schema.Field(f, f.schema()))
                .toList();
        return org.apache.avro.Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false,
                fields);
    }

    /** Store {@link StoreNames#CARTS}. */
    public static StateSerde<CartState> carts() {
        return StateSerde.of("CartState (store " + StoreNames.CARTS + ")",
                com.consentry.avro.state.CartState.getClassSchema(), StateCodec::toAvro, StateCodec::fromAvro,
                new JsonSerde<>(CartState.class));
    }

    /** Store {@link StoreNames#SEND_REQUESTS}. */
    static StateSerde<SendGate.Seen> seen() {
        return StateSerde.of("SendGate.Seen (store " + StoreNames.SEND_REQUESTS + ")",
                SeenSendRequest.getClassSchema(), StateCodec::toAvro, StateCodec::fromAvro,
                new JsonSerde<>(SendGate.Seen.class));
    }

    /** Store {@link StoreNames#HELD_OUTPUTS}. It came after the JSON state format: no JSON value exists. */
    static StateSerde<HeldOutputs.Held> held() {
        return StateSerde.of("HeldOutput (store " + StoreNames.HELD_OUTPUTS + ")",
                com.consentry.avro.state.HeldOutput.getClassSchema(), StateCodec::toAvro, StateCodec::fromAvro,
                new JsonSerde<>(HeldOutputs.Held.class));
    }

    /** An eligibility view while it is held (in a {@link StoreNames#HELD_OUTPUTS} value). */
    static final StateSerde<com.consentry.avro.CustomerEligibility> HELD_VIEW = StateSerde.of(
            "CustomerEligibility (held, store " + StoreNames.HELD_OUTPUTS + ")",
            com.consentry.avro.CustomerEligibility.getClassSchema(), x -> x, x -> x,
            new JsonSerde<>(com.consentry.avro.CustomerEligibility.class));
    /** A cart reminder while its decision is held (in a {@link StoreNames#HELD_OUTPUTS} value). */
    static final StateSerde<com.consentry.avro.CartReminder> HELD_REMINDER = StateSerde.of(
            "CartReminder (held, store " + StoreNames.HELD_OUTPUTS + ")",
            com.consentry.avro.CartReminder.getClassSchema(), x -> x, x -> x,
            new JsonSerde<>(com.consentry.avro.CartReminder.class));

    /**
     * Stores {@link StoreNames#SUPPRESSIONS} (global) and {@link StoreNames#LOCAL_SUPPRESSIONS}, and the
     * suppressions topic that feeds the global store.
     */
    public static StateSerde<Suppression> suppression() {
        return StateSerde.of("Suppression (stores " + StoreNames.SUPPRESSIONS + ", " + StoreNames.LOCAL_SUPPRESSIONS
                        + ", topic consentry-suppressions)",
                com.consentry.avro.state.Suppression.getClassSchema(), PolicyCodec::toAvro, PolicyCodec::fromAvro,
                new JsonSerde<>(Suppression.class)).readingAlso(SUPPRESSION_BEFORE_ORIGIN);
    }

    /** Suppression as the releases before its origin (the unsubscribe record's position) wrote it. */
    static final org.apache.avro.Schema SUPPRESSION_BEFORE_ORIGIN = withoutTrailingFields(
            com.consentry.avro.state.Suppression.getClassSchema(), java.util.Set.of("originPartition", "originOffset"));

    /** The address-index topic. */
    public static StateSerde<AddressNotice> addressNotice() {
        return StateSerde.of("AddressNotice (topic consentry-address-index)",
                com.consentry.avro.state.AddressNotice.getClassSchema(), StateCodec::toAvro, StateCodec::fromAvro,
                new JsonSerde<>(AddressNotice.class));
    }

    /** The customer-rechecks topic. */
    public static StateSerde<Recheck> recheck() {
        return StateSerde.of("Recheck (topic consentry-customer-rechecks)",
                com.consentry.avro.state.Recheck.getClassSchema(), StateCodec::toAvro, StateCodec::fromAvro,
                new JsonSerde<>(Recheck.class));
    }

    /** Store {@link StoreNames#ADDRESS_LINKS}: the customers linked to an address hash. */
    public static StateSerde<TreeSet<String>> addressLinks() {
        return StateSerde.of("address links (store " + StoreNames.ADDRESS_LINKS + ")",
                AddressLinks.getClassSchema(), StateCodec::toAvro, StateCodec::fromAvro,
                new JsonSerde<>(new TypeReference<TreeSet<String>>() { }));
    }
}
