package com.consentry.topology;

import com.consentry.policy.Channel;
import com.consentry.policy.Suppression;
import com.consentry.serde.StateSerde;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

import static com.consentry.topology.StateSamples.BEFORE_EPOCH;
import static com.consentry.topology.StateSamples.MILLIS;
import static com.consentry.topology.StateSamples.NANOS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every state value through its {@link StateSerdes} serde: written as Avro single-object encoding with
 * the fingerprint of its state schema, and read back equal field by field, with the same collection
 * types (sorted maps and sets, enum sets, mutable lists) and the very same instants, nanoseconds included.
 */
class StateSerdesTest {
    private static final String TOPIC = "consentry-test-changelog";

    @Test
    void aCustomerWithEveryFieldSetRoundTripsExactly() {
        CustomerState in = StateSamples.fullCustomer();

        CustomerState out = roundTrip(StateSerdes.customers(), in);

        assertThat(out.history.profile.get(0).at()).isEqualTo(NANOS).hasToString("2026-03-01T10:15:30.123456789Z");
        assertThat(out.history.profile.get(1).at()).isEqualTo(BEFORE_EPOCH);
        assertThat(out.history.profile.get(0).phoneHashByRegion()).isInstanceOf(TreeMap.class)
                .containsExactly(java.util.Map.entry("DE", "hash-de"), java.util.Map.entry("GB", "hash-gb"));
        assertThat(out.history.erasedAt).isEqualTo(BEFORE_EPOCH);
        assertThat(out.published).isInstanceOf(TreeMap.class).containsOnlyKeys(
                CustomerState.rowKey("MR PORTER", Channel.TARGETED_ADS), CustomerState.rowKey("NET-A-PORTER", Channel.EMAIL));
        assertThat(out.published.firstKey()).isEqualTo(CustomerState.rowKey("MR PORTER", Channel.TARGETED_ADS));
        assertThat(out.sent).extracting(m -> m.requestId()).as("list order kept").containsExactly("r-2", "r-1");
        assertThat(out.linkedHashes).isInstanceOf(TreeSet.class).containsExactly("hash-email", "hash-phone");
        assertThat(out.sweepDueAt).isEqualTo(BEFORE_EPOCH);
        assertThat(out.retentionHorizon).isEqualTo(NANOS.minusSeconds(86_400));
        assertThat(out.retentionDueAt).isEqualTo(MILLIS.plusSeconds(7200));
        assertMutable(out);
    }

    @Test
    void aTypicalCustomerRoundTripsWithARowForEveryBrandAndChannel() {
        CustomerState out = roundTrip(StateSerdes.customers(), StateSamples.typicalCustomer());

        assertThat(out.published).hasSize(15).containsKey(CustomerState.rowKey("THE OUTNET", Channel.TARGETED_ADS));
    }

    @Test
    void aNewCustomerRoundTripsWithItsNullsAndEmptyCollections() {
        CustomerState out = roundTrip(StateSerdes.customers(), new CustomerState());

        assertThat(out.viewAt).isNull();
        assertThat(out.nextChangeAt).isNull();
        assertThat(out.sweepDueAt).isNull();
        assertThat(out.retentionHorizon).isNull();
        assertThat(out.retentionDueAt).isNull();
        assertThat(out.history.erasedAt).isNull();
        assertThat(out.history.erasureEventId).isNull();
        assertThat(out.published).isInstanceOf(TreeMap.class).isEmpty();
        assertThat(out.linkedHashes).isInstanceOf(TreeSet.class).isEmpty();
        assertMutable(out);
    }

    @Test
    void aCartRoundTripsWithItsLinesAndSortedItems() {
        CartState out = roundTrip(StateSerdes.carts(), StateSamples.fullCart());

        assertThat(out.items).isInstanceOf(TreeMap.class).containsOnlyKeys("sku-a", "sku-b");
        assertThat(out.items.firstKey()).isEqualTo("sku-a");
        assertThat(out.events.get(0).at()).isEqualTo(NANOS);
        assertThat(out.events.get(1).eventId()).isNull();
        assertThat(out.dueAt).isEqualTo(BEFORE_EPOCH);
        out.events.add(out.events.get(0));
        out.items.put("sku-c", 3);
    }

    @Test
    void aNewCartRoundTripsWithItsNulls() {
        CartState in = new CartState();
        in.customerId = "c-1";
        in.cartId = "k-1";
        in.brand = "MR PORTER";

        CartState out = roundTrip(StateSerdes.carts(), in);

        assertThat(out.lastActivityAt).isNull();
        assertThat(out.dueAt).isNull();
        assertThat(out.events).isEmpty();
    }

    @Test
    void aSeenRequestRoundTripsWithAndWithoutEvidenceAndCampaign() {
        roundTrip(StateSerdes.seen(), StateSamples.fullSeen());
        SendGate.Seen sparse = roundTrip(StateSerdes.seen(), StateSamples.sparseSeen());

        assertThat(sparse.campaignId()).isNull();
        assertThat(sparse.outcome().evidence()).isNull();
    }

    @Test
    void aSuppressionRoundTripsWithItsChannelsAsAnEnumSet() {
        Suppression full = roundTrip(StateSerdes.suppression(), StateSamples.fullSuppression());
        Suppression sparse = roundTrip(StateSerdes.suppression(), StateSamples.sparseSuppression());

        assertThat(full.channels()).isInstanceOf(EnumSet.class)
                .containsExactly(Channel.EMAIL, Channel.SMS, Channel.PHONE);
        assertThat(sparse.channels()).isInstanceOf(EnumSet.class).isEmpty();
        assertThat(sparse.source()).isNull();
    }

    @Test
    void addressNoticesRechecksAndLinksRoundTrip() {
        roundTrip(StateSerdes.addressNotice(), new AddressNotice(AddressNotice.Op.LINK, "c-1", NANOS));
        AddressNotice suppressed = roundTrip(StateSerdes.addressNotice(),
                new AddressNotice(AddressNotice.Op.SUPPRESSED, null, BEFORE_EPOCH));
        roundTrip(StateSerdes.recheck(), new Recheck(NANOS, "hash-1"));
        TreeSet<String> links = roundTrip(StateSerdes.addressLinks(), new TreeSet<>(List.of("c-2", "c-10", "c-1")));

        assertThat(suppressed.customerId()).isNull();
        assertThat(links).containsExactly("c-1", "c-10", "c-2");
    }

    @Test
    void heldOutputsRoundTripADecisionWithItsReminderAViewAndATombstone() {
        SendGate.Seen seen = StateSamples.fullSeen();
        var request = new com.consentry.policy.SendRequest("r-1", "NET-A-PORTER", Channel.EMAIL,
                com.consentry.policy.Purpose.MARKETING, NANOS, "hash-1");
        var lookups = List.of(new HeldOutputs.Lookup("hash-1", List.of("hash-1\u00001\u0000u-1")),
                new HeldOutputs.Lookup("hash-2", List.of()));
        roundTrip(StateSerdes.held(), new HeldOutputs.Held(1_700_000_000_123L, 1_600_000_000_000L, "c-1", lookups,
                new HeldOutputs.Send(request, "spring", "k-1", false, seen.outcome(), new byte[] {1, 2, 3}), null, null));
        roundTrip(StateSerdes.held(), new HeldOutputs.Held(1L, 5L, "c-1", List.of(),
                new HeldOutputs.Send(request, null, null, true, seen.outcome(), null), null, null));
        roundTrip(StateSerdes.held(), new HeldOutputs.Held(2L, -5L, "c-2", lookups, null, new byte[] {9}, null));
        HeldOutputs.Held tombstone = roundTrip(StateSerdes.held(), new HeldOutputs.Held(3L, 7L, "c-3", List.of(), null, null,
                NANOS));
        assertThat(tombstone.erasedAt()).isEqualTo(NANOS);
    }

    @Test
    void nullIsATombstoneBothWays() {
        StateSerde<CustomerState> serde = StateSerdes.customers();

        assertThat(serde.serialize(TOPIC, null)).isNull();
        assertThat(serde.deserialize(TOPIC, null)).isNull();
    }

    @Test
    void equalValuesGiveEqualBytesWhateverTheSetOrder() {
        CustomerState a = StateSamples.fullCustomer();
        CustomerState b = StateSamples.fullCustomer();
        var u = b.history.profile.get(0);
        b.history.profile.set(0, new com.consentry.policy.ProfileUpdate(u.eventId(), u.at(), u.seq(),
                new java.util.LinkedHashSet<>(List.of(com.consentry.policy.ProfileUpdate.PHONE,
                        com.consentry.policy.ProfileUpdate.COUNTRY)), u.country(), u.birthDate(), u.timezone(),
                u.emailHash(), u.phoneHash(), u.phoneHashByRegion()));
        Suppression s = StateSamples.fullSuppression();
        Suppression hashSetChannels = new Suppression(s.addressHash(), new java.util.HashSet<>(s.channels()), s.at(),
                s.eventId(), s.source(), s.origin());

        assertThat(StateSerdes.customers().serialize(TOPIC, b)).isEqualTo(StateSerdes.customers().serialize(TOPIC, a));
        assertThat(StateSerdes.suppression().serialize(TOPIC, hashSetChannels))
                .isEqualTo(StateSerdes.suppression().serialize(TOPIC, s));
    }

    @Test
    void theFullSamplesSetEveryFieldSoThatTheRoundTripsCoverThem() {
        // a field added to a state class must be set here, and then fails the round trips until the codec has it
        CustomerState c = StateSamples.fullCustomer();
        assertEveryFieldSet(c);
        assertEveryFieldSet(c.history);
        assertEveryFieldSet(c.history.profile.get(0));
        assertEveryFieldSet(c.history.consents.get(0));
        assertEveryFieldSet(c.history.unsubscribes.get(0));
        assertEveryFieldSet(c.history.orders.get(0));
        assertEveryFieldSet(c.history.carts.get(0));
        assertEveryFieldSet(c.published.lastEntry().getValue());
        assertEveryFieldSet(c.published.lastEntry().getValue().evidence());
        assertEveryFieldSet(c.sent.get(0));
        CartState cart = StateSamples.fullCart();
        assertEveryFieldSet(cart);
        assertEveryFieldSet(cart.events.get(0));
        assertEveryFieldSet(StateSamples.fullSeen());
        assertEveryFieldSet(StateSamples.fullSeen().outcome());
        assertEveryFieldSet(StateSamples.fullSuppression());
    }

    private static void assertEveryFieldSet(Object o) {
        assertThat(o).isNotNull();
        for (java.lang.reflect.Field f : o.getClass().getDeclaredFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            f.setAccessible(true);
            Object v;
            try {
                v = f.get(o);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            String name = o.getClass().getSimpleName() + "." + f.getName();
            assertThat(v).as(name).isNotNull();
            if (v instanceof java.util.Collection<?> coll) {
                assertThat(coll).as(name).isNotEmpty();
            } else if (v instanceof java.util.Map<?, ?> map) {
                assertThat(map).as(name).isNotEmpty();
            } else if (v instanceof Boolean b) {
                assertThat(b).as(name + " (true, so that false would show)").isTrue();
            }
        }
    }

    /** Writes, checks the single-object header, reads back and compares field by field, types included. */
    static <T> T roundTrip(StateSerde<T> serde, T in) {
        byte[] bytes = serde.serialize(TOPIC, in);
        assertAvroSingleObject(serde, bytes);
        T out = serde.deserialize(TOPIC, bytes);
        assertThat(out).usingRecursiveComparison().withStrictTypeChecking().isEqualTo(in);
        return out;
    }

    static void assertAvroSingleObject(StateSerde<?> serde, byte[] bytes) {
        assertThat(bytes).startsWith(StateSerde.AVRO_HEADER);
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint).as("schema fingerprint in the header").isEqualTo(serde.fingerprint());
    }

    /** The topology changes what it reads: every collection of a read customer must accept changes. */
    private static void assertMutable(CustomerState s) {
        s.history.profile.add(null);
        s.history.consents.add(null);
        s.history.unsubscribes.add(null);
        s.history.orders.add(null);
        s.history.carts.add(null);
        s.published.put("x", null);
        s.sent.add(null);
        s.linkedHashes.add("h");
    }
}
