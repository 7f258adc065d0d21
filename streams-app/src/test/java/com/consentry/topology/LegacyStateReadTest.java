package com.consentry.topology;

import com.consentry.policy.Decision;
import com.consentry.policy.Suppression;
import com.consentry.serde.JsonSerde;
import com.consentry.serde.StateSerde;

import com.fasterxml.jackson.core.type.TypeReference;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every value of the legacy fixture ({@code state-v0}: the stores, changelogs and internal topics the
 * previous release wrote over the scenarios) read with the new serdes equals, field by field, what the
 * previous release's JSON serde reads from the same bytes; rewritten, it is Avro and reads back equal.
 */
class LegacyStateReadTest {
    /** Stores whose serdes did not change (String and Long values). */
    private static final Set<String> UNCHANGED = Set.of(StoreNames.REMINDER_DUE, StoreNames.SCHEDULE);

    /** New serde and the previous release's serde of one kind of value. */
    private record Pair<T>(StateSerde<T> now, JsonSerde<T> before) {
    }

    private static final Map<String, Pair<?>> BY_STORE_OR_TOPIC = Map.of(
            StoreNames.CUSTOMERS, new Pair<>(StateSerdes.customers(), new JsonSerde<>(CustomerState.class)),
            StoreNames.CARTS, new Pair<>(StateSerdes.carts(), new JsonSerde<>(CartState.class)),
            StoreNames.SEND_REQUESTS, new Pair<>(StateSerdes.seen(), new JsonSerde<>(SendGate.Seen.class)),
            StoreNames.SUPPRESSIONS, new Pair<>(StateSerdes.suppression(), new JsonSerde<>(Suppression.class)),
            StoreNames.LOCAL_SUPPRESSIONS, new Pair<>(StateSerdes.suppression(), new JsonSerde<>(Suppression.class)),
            StoreNames.ADDRESS_LINKS, new Pair<>(StateSerdes.addressLinks(),
                    new JsonSerde<>(new TypeReference<TreeSet<String>>() { })),
            "consentry-suppressions", new Pair<>(StateSerdes.suppression(), new JsonSerde<>(Suppression.class)),
            "consentry-address-index", new Pair<>(StateSerdes.addressNotice(), new JsonSerde<>(AddressNotice.class)),
            "consentry-customer-rechecks", new Pair<>(StateSerdes.recheck(), new JsonSerde<>(Recheck.class)));

    private static final long[] JSON_BYTES = {0};
    private static final long[] AVRO_BYTES = {0};

    @Test
    void everyLegacyValueReadsAsThePreviousReleaseReadItAndRewritesAsAvro() {
        Map<String, Integer> values = new TreeMap<>();
        List<Object> read = new ArrayList<>();
        for (LegacyStateFixture.Entry e : LegacyStateFixture.all()) {
            String store = e.storeOrChangelogStore();
            String kind = store != null ? store : e.topic();
            if (UNCHANGED.contains(kind)) {
                continue;
            }
            Pair<?> serdes = BY_STORE_OR_TOPIC.get(kind);
            assertThat(serdes).as("a serde for " + e.where()).isNotNull();
            Object value = check(serdes, e);
            if (value != null) {
                read.add(value);
                values.merge(kind, 1, Integer::sum);
            }
        }
        assertThat(values).as("legacy values read, by store or topic").containsOnlyKeys(BY_STORE_OR_TOPIC.keySet());
        assertCovers(read);
        assertThat(AVRO_BYTES[0]).as("Avro bytes of all values (JSON: %d)", JSON_BYTES[0]).isLessThan(JSON_BYTES[0] / 2);
    }

    private static <T> T check(Pair<T> serdes, LegacyStateFixture.Entry e) {
        String topic = e.topic() != null ? e.topic() : LegacyStateFixture.APP_ID + "-" + e.store() + "-changelog";
        if (e.value() == null) {
            assertThat(serdes.now().deserialize(topic, null)).as(e.where()).isNull();
            return null;
        }
        assertThat(e.value()[0]).as(e.where() + ": legacy bytes are JSON").isIn((byte) '{', (byte) '[');
        T before = serdes.before().deserialize(topic, e.value());
        T now = serdes.now().deserialize(topic, e.value());
        assertThat(now).as(e.where()).usingRecursiveComparison().isEqualTo(before);

        byte[] rewritten = serdes.now().serialize(topic, now);
        StateSerdesTest.assertAvroSingleObject(serdes.now(), rewritten);
        JSON_BYTES[0] += e.value().length;
        AVRO_BYTES[0] += rewritten.length;
        assertThat(serdes.now().deserialize(topic, rewritten)).as(e.where() + " rewritten")
                .usingRecursiveComparison().withStrictTypeChecking().isEqualTo(now);
        return now;
    }

    /** The fixture exercises the optional parts of the values, not just their defaults. */
    private static void assertCovers(List<Object> read) {
        List<CustomerState> customers = of(read, CustomerState.class);
        assertThat(customers).anyMatch(s -> s.history.erasedAt != null);
        assertThat(customers).anyMatch(s -> !s.sent.isEmpty());
        assertThat(customers).anyMatch(s -> s.history.profile.stream().anyMatch(u -> u.phoneHashByRegion() != null));
        assertThat(customers).anyMatch(s -> s.history.profile.stream().anyMatch(u -> u.birthDate() != null));
        assertThat(customers).anyMatch(s -> s.history.consents.stream().anyMatch(c -> c.expiresAt() != null));
        assertThat(customers).anyMatch(s -> s.history.unsubscribes.stream().anyMatch(u -> u.channel() == null));
        assertThat(customers).anyMatch(s -> s.history.orders.stream().anyMatch(o -> o.cartId() != null));
        assertThat(customers).anyMatch(s -> s.published.values().stream()
                .anyMatch(a -> a.evidence() != null && a.evidence().confirmationEventId() != null));
        assertThat(of(read, CartState.class)).anyMatch(c -> c.dueAt != null).anyMatch(c -> c.closed)
                .allMatch(c -> c.events.stream().allMatch(l -> l.eventId() == null));
        assertThat(of(read, SendGate.Seen.class)).anyMatch(s -> s.outcome().decision() == Decision.APPROVED)
                .anyMatch(s -> s.outcome().decision() == Decision.SUPPRESSED);
        assertThat(of(read, Suppression.class)).anyMatch(s -> s.channels().size() > 1);
        assertThat(of(read, AddressNotice.class)).extracting(AddressNotice::op)
                .contains(AddressNotice.Op.LINK, AddressNotice.Op.UNLINK, AddressNotice.Op.SUPPRESSED);
    }

    private static <T> List<T> of(List<Object> values, Class<T> type) {
        return values.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
