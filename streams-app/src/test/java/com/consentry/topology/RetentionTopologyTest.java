package com.consentry.topology;

import com.consentry.api.ApiException;
import com.consentry.api.CustomerExport;
import com.consentry.api.EligibilityQuery;
import com.consentry.avro.CartAction;
import com.consentry.avro.Channel;
import com.consentry.avro.ConsentStatus;
import com.consentry.avro.OrderStatus;
import com.consentry.avro.Purpose;
import com.consentry.avro.SendDecision;
import com.consentry.policy.Answer;
import com.consentry.policy.SuppressionList;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.consentry.topology.TopologyHarness.MRP;
import static com.consentry.topology.TopologyHarness.NAP;
import static com.consentry.topology.TopologyHarness.added;
import static com.consentry.topology.TopologyHarness.cart;
import static com.consentry.topology.TopologyHarness.consent;
import static com.consentry.topology.TopologyHarness.customer;
import static com.consentry.topology.TopologyHarness.grant;
import static com.consentry.topology.TopologyHarness.order;
import static com.consentry.topology.TopologyHarness.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Retention in the real topology: the purge runs with the sweep, removes old facts, carts, their timers and
 * remembered send decisions through the retention-due index, leaves every current answer (and its
 * evidence) as it was, and sets the customer's horizon, before which {@code ?at=} and {@code /history}
 * answer 422 and which the export states. A customer with 10,000 cart events over two years holds no
 * more than the limits allow.
 */
class RetentionTopologyTest {
    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
    private static final SuppressionList NONE = hash -> List.of();

    @TempDir
    Path stateDir;
    private TopologyHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    private static Instant day(double days) {
        return T0.plus(Duration.ofMinutes(Math.round(days * 24 * 60)));
    }

    @Test
    void aPurgeRemovesOldFactsKeepsEveryAnswerAndRefusesAnswersBeforeTheHorizon() {
        h = TopologyHarness.start(stateDir, T0, Map.of("consentry.retention.superseded", "P30D",
                "consentry.retention.carts", "P7D", "consentry.retention.send-requests", "P7D",
                "consentry.retention.orders", "P30D"));
        h.pipe(customer("p1", "c1", day(0)).setCountry("GB").setEmail("old@example.com").build());
        h.pipe(grant("g1", "c1", day(0.1), NAP, Channel.EMAIL));
        h.pipe(consent("w1", "c1", day(0.2), NAP, Channel.EMAIL, ConsentStatus.WITHDRAWN, "PREFERENCE_CENTER"));
        h.pipe(order("o1", "c1", day(0.3), "order-1", MRP, OrderStatus.PLACED, null));
        h.pipe(added("k1", "c1", day(0.4), "cart-1", MRP, "sku-A", 1));
        h.pipe(cart("k2", "c1", day(0.5), "cart-1", MRP, CartAction.CHECKED_OUT, null, null));
        h.pipe(send("s1", "c1", day(0.6), "r1", "spring", MRP, Channel.EMAIL, Purpose.MARKETING));
        h.pipe(customer("p2", "c1", day(1)).setCountry("GB").setEmail("new@example.com").build());
        h.pipe(grant("g2", "c1", day(2), NAP, Channel.EMAIL));
        h.pipe(grant("other", "c2", day(2), NAP, Channel.SMS));
        CustomerState before = h.customerState("c1");
        assertThat(h.seenStore()).hasSize(1);
        assertThat(h.cartsStore()).hasSize(1);
        h.eligibility();
        h.decisions();

        // 60 days on, the sweep's purge at that instant: horizon = 60 - 30 days
        h.pipe(grant("late", "c2", day(60), MRP, Channel.EMAIL));
        CustomerState after = h.customerState("c1");

        assertThat(h.eligibility()).as("c1's view is not published again: no answer changed")
                .allSatisfy(r -> assertThat(r.key()).isEqualTo("c2"));
        assertThat(after.published).as("every row with its evidence").isEqualTo(before.published);
        assertThat(after.history.consents).extracting(com.consentry.policy.ConsentFact::eventId)
                .as("the grant in effect, and the opt-out soft opt-in still needs").containsExactly("w1", "g2");
        assertThat(after.history.profile).extracting(com.consentry.policy.ProfileUpdate::eventId)
                .as("the superseded profile update is gone").containsExactly("p2");
        assertThat(after.history.orders).as("inside its soft opt-in period").hasSize(1);
        assertThat(after.history.carts).as("the brand's rows rest on the order now").isEmpty();
        assertThat(h.cartsStore()).as("the checked-out cart").isEmpty();
        assertThat(h.seenStore()).as("the remembered send decision").isEmpty();
        Instant horizon = day(30);
        assertThat(after.retentionHorizon).isEqualTo(horizon);
        assertThat(after.retentionDueAt).as("next: the order, 30 days after its soft opt-in period")
                .isEqualTo(day(0.3).atOffset(java.time.ZoneOffset.UTC).plusMonths(24).plusDays(30).toInstant());
        assertThat(h.<String, String>entries(StoreNames.RETENTION_DUE)).extracting(kv -> kv.key)
                .allSatisfy(k -> assertThat(DueKeys.dueMillis(k)).isGreaterThan(day(60).toEpochMilli()));

        EligibilityQuery query = new EligibilityQuery(h.settings.policy());
        for (String brand : List.of(NAP, MRP, "THE OUTNET")) {
            for (com.consentry.policy.Channel ch : com.consentry.policy.Channel.values()) {
                for (Instant t : List.of(horizon, day(45), day(60), day(400), day(800))) {
                    Answer full = query.answer(before, NONE, brand, ch, t);
                    assertThat(query.answer(after, NONE, brand, ch, t)).as("%s %s at %s", brand, ch, t).isEqualTo(full);
                }
            }
        }
        assertThatThrownBy(() -> query.answer(after, NONE, NAP, com.consentry.policy.Channel.EMAIL, day(10)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(422))
                .hasMessageContaining("history before " + horizon + " is no longer held");
        assertThatThrownBy(() -> query.history(after, NONE, NAP, com.consentry.policy.Channel.EMAIL, day(29), day(61)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(422));
        assertThat(query.history(after, NONE, NAP, com.consentry.policy.Channel.EMAIL, horizon, day(61)).changes())
                .isEqualTo(query.history(before, NONE, NAP, com.consentry.policy.Channel.EMAIL, horizon, day(61)).changes());

        JsonNode x = export("c1", day(61));
        assertThat(x.path("retentionHorizon").asText()).isEqualTo(horizon.toString());
        assertThat(x.path("carts")).isEmpty();
        assertThat(x.path("sendDecisions")).isEmpty();

        // the forgotten requestId is decided afresh, as of its own time
        h.pipe(send("s2", "c1", day(61), "r1", "spring", MRP, Channel.EMAIL, Purpose.MARKETING));
        List<TestRecord<String, SendDecision>> d = h.decisions();
        assertThat(d).hasSize(1);
        assertThat(d.get(0).value().getDecidedAt()).isEqualTo(day(61));
    }

    @Test
    void aLateEventOlderThanTheHorizonIsEvaluatedFromTheHorizon() {
        h = TopologyHarness.start(stateDir, T0, Map.of("consentry.retention.superseded", "P30D"));
        h.pipe(grant("g1", "c1", day(0), NAP, Channel.EMAIL));
        h.pipe(consent("w1", "c1", day(1), NAP, Channel.EMAIL, ConsentStatus.WITHDRAWN, "PREFERENCE_CENTER"));
        h.pipe(grant("g2", "c1", day(2), NAP, Channel.EMAIL));
        h.pipe(grant("other", "c2", day(60), NAP, Channel.EMAIL));
        assertThat(h.customerState("c1").retentionHorizon).isEqualTo(day(30));
        h.eligibility();

        h.pipeKeepingClock(consent("late", "c1", day(5), NAP, Channel.SMS, ConsentStatus.GRANTED, "CHECKOUT"));

        var out = h.eligibility();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).value().getPublishedAt()).as("never a view as of before the horizon").isEqualTo(day(30));
        assertThat(TopologyHarness.row(out.get(0).value(), NAP, Channel.SMS).getReason())
                .isEqualTo(com.consentry.avro.Reason.CONSENT);
    }

    @Test
    void aStateWrittenWithoutTheRetentionIndexGetsItAtTheFirstStart() {
        h = TopologyHarness.start(stateDir, T0, Map.of("consentry.retention.superseded", "P30D",
                "consentry.retention.send-requests", "P90D"));
        h.pipe(grant("g1", "c1", day(0), NAP, Channel.EMAIL));
        h.pipe(grant("g2", "c1", day(1), NAP, Channel.EMAIL));
        h.pipe(send("s1", "c1", day(1), "r1", "spring", NAP, Channel.EMAIL, Purpose.MARKETING));
        // as the release before retention left it: no retention-due store, no marker in the schedule store
        h.dropFromChangelog(StoreNames.RETENTION_DUE, key -> true);
        h.dropFromChangelog(StoreNames.SCHEDULE, key -> key.startsWith("retention-index-built"));

        h.restart(day(1));
        h.pipe(grant("other", "c2", day(2), NAP, Channel.SMS));
        assertThat(h.<String, String>entries(StoreNames.RETENTION_DUE)).as("built at the first record: c1, c2, r1")
                .hasSize(3);
        h.pipe(grant("later", "c2", day(40), NAP, Channel.SMS));

        assertThat(h.customerState("c1").history.consents).extracting(com.consentry.policy.ConsentFact::eventId)
                .containsExactly("g2");
        assertThat(h.seenStore()).as("send-requests P90D: still remembered").hasSize(1);
    }

    /**
     * 10,000 cart events over two years (2,000 carts of five events, one every 8.76 hours; every fourth cart
     * abandoned and reminded, the others checked out), with the typical limits (carts 30 days, the other limits
     * as the README suggests): the customer holds only the
     * carts active in the last 30 days, at most one cart fact, one index entry and the open cart's timer.
     */
    @Test
    void aCustomerWithTenThousandCartEventsOverTwoYearsHoldsOnlyWhatRetentionAllows() {
        h = TopologyHarness.start(stateDir, T0, Map.of("consentry.retention.superseded", "P2Y",
                "consentry.retention.orders", "P2Y", "consentry.retention.carts", "P30D",
                "consentry.retention.send-requests", "P90D"));
        h.pipe(customer("p", "c1", T0).setCountry("GB").setEmail("shopper@example.com").build());
        h.pipe(grant("g", "c1", T0, MRP, Channel.EMAIL));
        Duration gap = Duration.ofMinutes(Math.round(730 * 24 * 60 / 2000.0));
        Instant last = T0;
        List<Instant> lastActivity = new ArrayList<>();
        int events = 0;
        for (int c = 0; c < 2000; c++) {
            Instant start = T0.plus(gap.multipliedBy(c + 1));
            String id = "cart-" + c;
            h.pipe(added("a" + c, "c1", start, id, MRP, "sku-A", 1));
            h.pipe(added("b" + c, "c1", start.plusSeconds(60), id, MRP, "sku-B", 2));
            h.pipe(cart("r" + c, "c1", start.plusSeconds(120), id, MRP, CartAction.ITEM_REMOVED, "sku-B", 1));
            h.pipe(added("d" + c, "c1", start.plusSeconds(180), id, MRP, "sku-C", 1));
            last = start.plusSeconds(240);
            h.pipe(c % 4 == 3 ? added("e" + c, "c1", last, id, MRP, "sku-D", 1)
                    : cart("e" + c, "c1", last, id, MRP, CartAction.CHECKED_OUT, null, null));
            events += 5;
            lastActivity.add(last);
        }
        assertThat(events).isEqualTo(10_000);
        assertThat(Duration.between(T0, last).toDays()).isBetween(729L, 731L);
        assertThat(h.reminders()).as("every abandoned cart was reminded, but the last, not due yet").hasSize(499);

        // the last purge ran at the last whole hour of the sweep
        Instant purgedAt = T0.plus(Duration.ofHours(Duration.between(T0, last).toHours()));
        Instant keptFrom = purgedAt.minus(Duration.ofDays(30));
        long heldCarts = lastActivity.stream().filter(a -> a.isAfter(keptFrom)).count();
        assertThat(h.cartsStore()).as("only the carts active in the last 30 days").hasSize((int) heldCarts);
        assertThat(heldCarts).isLessThanOrEqualTo(30 * 24 / 8 + 1);
        CustomerState s = h.customerState("c1");
        assertThat(s.history.facts().count()).as("the profile, the grant, at most one cart fact").isBetween(2L, 3L);
        assertThat(h.reminderDueStore()).as("the newest cart's timer").hasSize(1);
        assertThat(h.<String, String>entries(StoreNames.RETENTION_DUE)).as("the customer's one entry").hasSize(1);
        assertThat(h.seenStore()).isEmpty();
        int stateBytes = StateSerdes.customers().serialize("t", s).length;
        long cartBytes = h.cartsStore().stream()
                .mapToLong(kv -> StateSerdes.carts().serialize("t", kv.value).length).sum();
        assertThat(stateBytes).as("customer state bytes").isLessThan(2_000);
        assertThat(cartBytes).as("cart store bytes").isLessThan(heldCarts * 400);
    }

    private JsonNode export(String customerId, Instant at) {
        CustomerHoldings.Stores stores = new CustomerHoldings.Stores() {
            @Override
            public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
                return h.store(name);
            }
        };
        return CustomerExport.json(customerId, CustomerHoldings.read(customerId, stores),
                new GlobalSuppressionList(h.store(StoreNames.SUPPRESSIONS)), at);
    }
}
