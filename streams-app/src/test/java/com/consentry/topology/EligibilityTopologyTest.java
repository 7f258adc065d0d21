package com.consentry.topology;

import com.consentry.avro.CartAction;
import com.consentry.avro.Channel;
import com.consentry.avro.ConsentStatus;
import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.Decision;
import com.consentry.avro.EligibilityRow;
import com.consentry.avro.FactType;
import com.consentry.avro.OrderStatus;
import com.consentry.avro.Purpose;
import com.consentry.avro.Reason;
import com.consentry.avro.SendDecision;
import com.consentry.avro.UnsubscribeSource;
import com.consentry.policy.Answer;
import com.consentry.policy.Suppression;

import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static com.consentry.topology.TopologyHarness.added;
import static com.consentry.topology.TopologyHarness.addressUnsubscribe;
import static com.consentry.topology.TopologyHarness.answers;
import static com.consentry.topology.TopologyHarness.cart;
import static com.consentry.topology.TopologyHarness.consent;
import static com.consentry.topology.TopologyHarness.consentBuilder;
import static com.consentry.topology.TopologyHarness.customer;
import static com.consentry.topology.TopologyHarness.erasure;
import static com.consentry.topology.TopologyHarness.grant;
import static com.consentry.topology.TopologyHarness.order;
import static com.consentry.topology.TopologyHarness.row;
import static com.consentry.topology.TopologyHarness.send;
import static com.consentry.topology.TopologyHarness.unsubscribeBuilder;
import static com.consentry.topology.TopologyHarness.MRP;
import static com.consentry.topology.TopologyHarness.NAP;
import static com.consentry.topology.TopologyHarness.OUTNET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published eligibility view (topic customer-eligibility) and the state behind it, driven through
 * the whole topology: publication only on a change of some answer, the rows a view holds, time-driven
 * changes by the sweep, erasure, address suppressions reaching every customer of an address, and that
 * no address ever leaves the service in clear.
 */
class EligibilityTopologyTest {
    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

    @TempDir
    Path stateDir;
    private TopologyHarness h;

    private TopologyHarness start() {
        return start(Map.of());
    }

    private TopologyHarness start(Map<String, String> overrides) {
        h = TopologyHarness.start(stateDir, T0, overrides);
        return h;
    }

    @AfterEach
    void everyRecordIsKeyedByItsCustomerId() {
        if (h == null) {
            return;
        }
        List<TestRecord<byte[], byte[]>> all = h.producedTo(h.topics.customerEligibility());
        for (TestRecord<byte[], byte[]> r : all) {
            String key = new StringDeserializer().deserialize(null, r.key());
            assertThat(key).as("customer-eligibility key").isNotBlank().doesNotContain("@");
            if (r.value() != null) {
                CustomerEligibility e = h.avro.eligibility().deserializer()
                        .deserialize(h.topics.customerEligibility(), r.value());
                assertThat(key).as("key of " + e).isEqualTo(e.getCustomerId());
                assertThat(r.getRecordTime()).as("record time of " + e).isEqualTo(e.getPublishedAt());
            }
        }
        h.close();
    }

    private static Instant min(long minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    /** The one record published since the last read, for that customer. */
    private CustomerEligibility onePublished(String customerId) {
        List<TestRecord<String, CustomerEligibility>> out = h.eligibility();
        assertThat(out).as("customer-eligibility records").hasSize(1);
        assertThat(out.get(0).key()).isEqualTo(customerId);
        assertThat(out.get(0).value()).as("a view, not a tombstone").isNotNull();
        return out.get(0).value();
    }

    private static Map<String, String> fiveChannels(String brand, String email, String sms, String phone, String post,
                                                    String ads) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(brand + "/EMAIL", email);
        m.put(brand + "/SMS", sms);
        m.put(brand + "/PHONE", phone);
        m.put(brand + "/POST", post);
        m.put(brand + "/TARGETED_ADS", ads);
        return m;
    }

    private static void assertEvidence(EligibilityRow row, FactType type, String eventId, String source, Instant at) {
        assertThat(row.getEvidence()).as("evidence of " + row.getBrand() + "/" + row.getChannel()).isNotNull();
        assertThat(row.getEvidence().getFactType()).isEqualTo(type);
        assertThat(row.getEvidence().getEventId()).isEqualTo(eventId);
        assertThat(row.getEvidence().getSource()).isEqualTo(source);
        assertThat(row.getEvidence().getEventTime()).isEqualTo(at);
    }

    // ------------------------------------------------------------------ publish only on change

    @Test
    void publishesOnlyWhenSomeAnswerChanges() {
        start();
        h.pipe(customer("p1", "c1", min(1)).setCountry("GB").build());
        assertThat(h.eligibility()).as("a profile alone names no brand: nothing to publish").isEmpty();

        h.pipe(grant("e1", "c1", min(5), MRP, Channel.EMAIL));
        CustomerEligibility first = onePublished("c1");
        assertThat(first.getPublishedAt()).isEqualTo(min(5));
        assertThat(answers(first)).containsExactlyInAnyOrderEntriesOf(fiveChannels(MRP,
                "true/CONSENT", "false/NO_CONSENT", "false/NO_CONSENT", "true/OPT_OUT_MODEL", "false/NO_CONSENT"));
        assertEvidence(row(first, MRP, Channel.EMAIL), FactType.CONSENT, "e1", "CHECKOUT", min(5));
        assertThat(row(first, MRP, Channel.POST).getEvidence()).as("opt-out model without any fact").isNull();

        // the same consent delivered again: nothing changes
        h.pipe(grant("e1", "c1", min(5), MRP, Channel.EMAIL));
        assertThat(h.eligibility()).as("identical consent again").isEmpty();
        // a newer grant from elsewhere: only the evidence would change
        h.pipe(consent("e2", "c1", min(10), MRP, Channel.EMAIL, ConsentStatus.GRANTED, "PREFERENCE_CENTER"));
        assertThat(h.eligibility()).as("evidence-only change").isEmpty();
        // a late, older grant: nothing changes either
        h.pipe(grant("e0", "c1", min(2), MRP, Channel.EMAIL));
        assertThat(h.eligibility()).as("late older grant").isEmpty();
        // a send request is not a fact, even for a brand never seen
        h.pipe(send("s1", "c1", min(12), "r1", "spring", "SOME NEW BRAND", Channel.EMAIL, Purpose.MARKETING));
        assertThat(h.eligibility()).as("send requests do not change the view").isEmpty();
        assertThat(h.decisions()).hasSize(1);

        h.pipe(consent("e3", "c1", min(20), MRP, Channel.EMAIL, ConsentStatus.WITHDRAWN, "PREFERENCE_CENTER"));
        CustomerEligibility second = onePublished("c1");
        assertThat(second.getPublishedAt()).isEqualTo(min(20));
        assertThat(answers(second)).containsExactlyInAnyOrderEntriesOf(fiveChannels(MRP,
                "false/WITHDRAWN", "false/NO_CONSENT", "false/NO_CONSENT", "true/OPT_OUT_MODEL", "false/NO_CONSENT"));
        assertEvidence(row(second, MRP, Channel.EMAIL), FactType.CONSENT, "e3", "PREFERENCE_CENTER", min(20));

        // hours of sweeps with nothing time-dependent: nothing more
        h.advanceTo(min(5 * 60));
        assertThat(h.eligibility()).as("sweeps that change nothing").isEmpty();

        CustomerState s = h.customerState("c1");
        assertThat(s.published).hasSize(5);
        Answer email = s.published.get(CustomerState.rowKey(MRP, com.consentry.policy.Channel.EMAIL));
        assertThat(email.eligible()).isFalse();
        assertThat(email.reason()).isEqualTo(com.consentry.policy.Reason.WITHDRAWN);
        assertThat(email.evidence().eventId()).isEqualTo("e3");
        assertThat(h.producedTo(h.topics.customerEligibility())).as("records ever published").hasSize(2);
    }

    // ------------------------------------------------------------------ which rows

    @Test
    void viewHoldsEveryChannelOfEveryNamedBrandPlusTheConfiguredBrandsOnceAWildcardFactExists() {
        start(Map.of("policy.brands", "NET-A-PORTER,MR PORTER,THE OUTNET,YOOX"));
        h.pipe(customer("p1", "c1", min(1)).setCountry("GB").build());
        h.pipe(grant("e1", "c1", min(2), MRP, Channel.EMAIL));
        assertThat(answers(onePublished("c1")).keySet()).containsExactlyInAnyOrderElementsOf(
                fiveChannels(MRP, "", "", "", "", "").keySet());

        // a brand nobody configured is still a brand
        h.pipe(added("k1", "c1", min(3), "cart-1", "ACME B2B", "sku-1", 1));
        Map<String, String> view = answers(onePublished("c1"));
        assertThat(view).hasSize(10);
        assertThat(view).containsAllEntriesOf(fiveChannels("ACME B2B",
                "false/NO_CONSENT", "false/NO_CONSENT", "false/NO_CONSENT", "true/OPT_OUT_MODEL", "false/NO_CONSENT"));

        h.pipe(order("o1", "c1", min(4), "order-1", OUTNET, OrderStatus.PLACED, null));
        view = answers(onePublished("c1"));
        assertThat(view).hasSize(15);
        assertThat(view).containsAllEntriesOf(fiveChannels(OUTNET,
                "true/SOFT_OPT_IN", "true/SOFT_OPT_IN", "false/NO_CONSENT", "true/OPT_OUT_MODEL", "false/NO_CONSENT"));

        // '*' unsubscribe from SMS: the configured group brands join the view
        h.pipe(unsubscribeBuilder("u1", "c1", min(5), "*", UnsubscribeSource.LINK).setChannel(Channel.SMS).build());
        CustomerEligibility all = onePublished("c1");
        view = answers(all);
        assertThat(view).hasSize(25);
        Set<String> brands = new TreeSet<>();
        all.getRows().forEach(r -> brands.add(r.getBrand()));
        assertThat(brands).containsExactly("ACME B2B", MRP, NAP, OUTNET, "YOOX");
        for (String brand : brands) {
            assertThat(all.getRows().stream().filter(r -> r.getBrand().equals(brand)).map(EligibilityRow::getChannel))
                    .as("channels of " + brand)
                    .containsExactlyInAnyOrder(Channel.EMAIL, Channel.SMS, Channel.PHONE, Channel.POST,
                            Channel.TARGETED_ADS);
            EligibilityRow sms = row(all, brand, Channel.SMS);
            assertThat(sms.getEligible()).isFalse();
            assertThat(sms.getReason()).isEqualTo(Reason.UNSUBSCRIBED);
            assertEvidence(sms, FactType.UNSUBSCRIBE, "u1", "LINK", min(5));
        }
        assertThat(view).containsAllEntriesOf(fiveChannels("YOOX",
                "false/NO_CONSENT", "false/UNSUBSCRIBED", "false/NO_CONSENT", "true/OPT_OUT_MODEL", "false/NO_CONSENT"));
        assertThat(view.get(MRP + "/EMAIL")).isEqualTo("true/CONSENT");
        assertThat(view.get(OUTNET + "/EMAIL")).isEqualTo("true/SOFT_OPT_IN");
        assertThat(h.customerState("c1").published).hasSize(25);
        assertThat(h.customerState("c1").published.keySet()).noneMatch(k -> k.startsWith("*"));
    }

    // ------------------------------------------------------------------ time-driven changes

    @Test
    void anExpiringConsentTurnsExpiredAtTheFirstSweepAfterItsExpiryWithoutAnyNewEvent() {
        start();
        h.pipe(consentBuilder("e1", "c1", min(10), MRP, Channel.EMAIL, ConsentStatus.GRANTED, "CHECKOUT")
                .setExpiresAt(min(150)).build());
        CustomerEligibility before = onePublished("c1");
        assertThat(row(before, MRP, Channel.EMAIL).getReason()).isEqualTo(Reason.CONSENT);

        h.advanceTo(min(180).minusSeconds(1));
        assertThat(h.eligibility()).as("sweeps at 01:00 and 02:00 see the grant in effect").isEmpty();

        h.advanceTo(min(180));
        List<TestRecord<String, CustomerEligibility>> out = h.eligibility();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key()).isEqualTo("c1");
        assertThat(out.get(0).getRecordTime()).isEqualTo(min(180));
        CustomerEligibility after = out.get(0).value();
        assertThat(after.getPublishedAt()).as("published at the sweep instant").isEqualTo(min(180));
        assertThat(answers(after)).containsExactlyInAnyOrderEntriesOf(fiveChannels(MRP,
                "false/EXPIRED", "false/NO_CONSENT", "false/NO_CONSENT", "true/OPT_OUT_MODEL", "false/NO_CONSENT"));
        assertEvidence(row(after, MRP, Channel.EMAIL), FactType.CONSENT, "e1", "CHECKOUT", min(10));

        CustomerState s = h.customerState("c1");
        assertThat(s.viewAt).isEqualTo(min(180));
        assertThat(s.published.get(CustomerState.rowKey(MRP, com.consentry.policy.Channel.EMAIL)).reason())
                .isEqualTo(com.consentry.policy.Reason.EXPIRED);

        h.advanceTo(min(24 * 60));
        assertThat(h.eligibility()).as("expired stays expired: nothing more").isEmpty();
    }

    @Test
    void minorDisappearsAtTheSweepAfterTheSixteenthBirthdayInTheCustomersTimezone() {
        start();
        // 2026-03-03 00:00 in Auckland (NZDT, UTC+13) is 2026-03-02T11:00Z
        h.pipe(customer("p1", "c1", min(5)).setCountry("GB").setTimezone("Pacific/Auckland")
                .setBirthDate(LocalDate.of(2010, 3, 3)).build());
        h.pipe(customer("p2", "c2", min(5)).setCountry("GB").setBirthDate(LocalDate.of(2010, 3, 3)).build());
        h.pipe(grant("e1", "c1", min(6), MRP, Channel.EMAIL));
        h.pipe(grant("e2", "c2", min(6), MRP, Channel.EMAIL));
        List<TestRecord<String, CustomerEligibility>> first = h.eligibility();
        assertThat(first).extracting(TestRecord::key).containsExactly("c1", "c2");
        for (TestRecord<String, CustomerEligibility> r : first) {
            assertThat(answers(r.value()).values()).as("every row of " + r.key()).containsOnly("false/MINOR");
        }
        assertEvidence(row(first.get(0).value(), MRP, Channel.EMAIL), FactType.CUSTOMER, "p1", null, min(5));

        h.advanceTo(min(11 * 60 - 1));
        assertThat(h.eligibility()).as("still 15 in Auckland at 10:59Z").isEmpty();

        h.advanceTo(min(11 * 60));
        CustomerEligibility c1 = onePublished("c1");
        assertThat(c1.getPublishedAt()).isEqualTo(min(11 * 60));
        assertThat(answers(c1)).containsExactlyInAnyOrderEntriesOf(fiveChannels(MRP,
                "true/CONSENT", "false/NO_CONSENT", "false/NO_CONSENT", "true/OPT_OUT_MODEL", "false/NO_CONSENT"));
        assertEvidence(row(c1, MRP, Channel.EMAIL), FactType.CONSENT, "e1", "CHECKOUT", min(6));

        // c2 has no timezone: GB uses UTC, so the birthday starts at 2026-03-03T00:00Z
        h.advanceTo(min(24 * 60 - 1));
        assertThat(h.eligibility()).as("c2 still 15 in UTC").isEmpty();
        h.advanceTo(min(24 * 60));
        CustomerEligibility c2 = onePublished("c2");
        assertThat(c2.getPublishedAt()).isEqualTo(min(24 * 60));
        assertThat(row(c2, MRP, Channel.EMAIL).getReason()).isEqualTo(Reason.CONSENT);
        assertThat(row(c2, MRP, Channel.EMAIL).getEligible()).isTrue();
    }

    @Test
    void softOptInLapsesAtTheSweepAfterTwentyFourMonths() {
        start();
        h.pipe(customer("p1", "c1", min(1)).setCountry("GB").build());
        Instant placed = Instant.parse("2024-03-02T00:30:00Z");
        h.pipe(order("o1", "c1", placed, "order-1", NAP, OrderStatus.PLACED, null));
        CustomerEligibility before = onePublished("c1");
        assertThat(answers(before)).containsExactlyInAnyOrderEntriesOf(fiveChannels(NAP,
                "true/SOFT_OPT_IN", "true/SOFT_OPT_IN", "false/NO_CONSENT", "true/OPT_OUT_MODEL", "false/NO_CONSENT"));
        assertThat(row(before, NAP, Channel.EMAIL).getEvidence().getEventId()).isEqualTo("o1");

        h.advanceTo(min(60));
        CustomerEligibility after = onePublished("c1");
        assertThat(after.getPublishedAt()).isEqualTo(min(60));
        assertThat(answers(after)).containsExactlyInAnyOrderEntriesOf(fiveChannels(NAP,
                "false/NO_CONSENT", "false/NO_CONSENT", "false/NO_CONSENT", "true/OPT_OUT_MODEL", "false/NO_CONSENT"));
    }

    @Test
    void aRestartNeitherRepublishesUnchangedViewsNorMissesTimeDrivenChanges() {
        start();
        h.pipe(consentBuilder("e1", "c1", min(10), MRP, Channel.EMAIL, ConsentStatus.GRANTED, "CHECKOUT")
                .setExpiresAt(min(150)).build());
        h.pipe(grant("e2", "c2", min(11), MRP, Channel.EMAIL));
        assertThat(h.eligibility()).extracting(TestRecord::key).containsExactly("c1", "c2");

        h.restart(min(30));
        h.advanceTo(min(179));
        assertThat(h.eligibility()).as("nothing changed: nothing republished after the restart").isEmpty();
        h.advanceTo(min(180));
        CustomerEligibility c1 = onePublished("c1");
        assertThat(c1.getPublishedAt()).isEqualTo(min(180));
        assertThat(row(c1, MRP, Channel.EMAIL).getReason()).isEqualTo(Reason.EXPIRED);

        h.restart(min(181));
        h.advanceTo(min(10 * 60));
        assertThat(h.eligibility()).isEmpty();
    }

    // ------------------------------------------------------------------ erasure

    @Test
    void erasurePublishesATombstoneDeletesTheCustomersStateAndDropsLateFacts() {
        start();
        h.pipe(customer("p1", "c1", min(1)).setCountry("GB").setEmail("erase.me@example.com")
                .setPhone("+44 7700 900111").build());
        h.pipe(grant("e1", "c1", min(2), MRP, Channel.EMAIL));
        h.pipe(order("o1", "c1", min(3), "order-1", NAP, OrderStatus.PLACED, null));
        h.pipe(added("k1", "c1", min(4), "cart-1", MRP, "sku-1", 2));
        h.pipe(send("s1", "c1", min(5), "r1", "spring", MRP, Channel.EMAIL, Purpose.MARKETING));
        assertThat(h.decisions()).extracting(r -> r.value().getDecision()).containsExactly(Decision.APPROVED);
        assertThat(h.eligibility()).isNotEmpty();
        assertThat(h.reminderDueStore()).hasSize(1);
        assertThat(h.customerState("c1").sent).hasSize(1);

        h.pipe(erasure("x1", "c1", min(10)));
        List<TestRecord<String, CustomerEligibility>> out = h.eligibility();
        assertThat(out).as("exactly a tombstone").hasSize(1);
        assertThat(out.get(0).key()).isEqualTo("c1");
        assertThat(out.get(0).value()).isNull();
        assertThat(out.get(0).getRecordTime()).isEqualTo(min(10));

        CustomerState s = h.customerState("c1");
        assertThat(s).as("the erased marker is kept").isNotNull();
        assertThat(s.history.erasedAt).isEqualTo(min(10));
        assertThat(s.history.erasureEventId).isEqualTo("x1");
        assertThat(s.history.profile).isEmpty();
        assertThat(s.history.consents).isEmpty();
        assertThat(s.history.unsubscribes).isEmpty();
        assertThat(s.history.orders).isEmpty();
        assertThat(s.history.carts).isEmpty();
        assertThat(s.published).isEmpty();
        assertThat(s.sent).as("cap counters").isEmpty();
        assertThat(s.linkedHashes).isEmpty();
        assertThat(h.cartsStore()).as("carts").isEmpty();
        assertThat(h.reminderDueStore()).as("pending reminders").isEmpty();
        assertThat(h.seenStore()).as("remembered send requests").isEmpty();
        assertThat(h.addressLinksStore()).as("address index").isEmpty();
        assertThat(h.suppressionStore()).extracting(kv -> kv.value.addressHash() + " " + new TreeSet<>(kv.value.channels()))
                .as("the erased addresses stay suppressed, as hashes")
                .containsExactlyInAnyOrder(
                        h.hashOf("erase.me@example.com") + " [EMAIL]",
                        h.hashOf("+447700900111") + " [SMS, PHONE]");

        h.advanceTo(min(3 * 60));
        assertThat(h.decisions()).as("the erased cart never reminds").isEmpty();
        assertThat(h.reminders()).isEmpty();
        assertThat(h.eligibility()).as("sweeps publish nothing for an erased customer").isEmpty();

        // late facts with event times at or before the erasure are dropped
        h.pipe(grant("late-1", "c1", min(8), MRP, Channel.SMS));
        h.pipe(added("late-2", "c1", min(9), "cart-2", MRP, "sku-2", 1));
        h.pipe(order("late-3", "c1", min(10), "order-2", OUTNET, OrderStatus.PLACED, null));
        h.pipe(customer("late-4", "c1", min(9)).setEmail("erase.me@example.com").build());
        assertThat(h.eligibility()).as("late facts publish nothing").isEmpty();
        s = h.customerState("c1");
        assertThat(s.history.consents).isEmpty();
        assertThat(s.history.orders).isEmpty();
        assertThat(s.history.carts).isEmpty();
        assertThat(s.history.profile).isEmpty();
        assertThat(h.cartsStore()).isEmpty();
        assertThat(h.reminderDueStore()).isEmpty();
        h.advanceTo(min(6 * 60));
        assertThat(h.decisions()).isEmpty();

        // a later fact starts a fresh history: only what it names
        h.pipe(grant("e9", "c1", min(6 * 60 + 1), OUTNET, Channel.EMAIL));
        CustomerEligibility fresh = onePublished("c1");
        assertThat(fresh.getPublishedAt()).isEqualTo(min(6 * 60 + 1));
        assertThat(answers(fresh)).containsExactlyInAnyOrderEntriesOf(fiveChannels(OUTNET,
                "true/CONSENT", "false/NO_CONSENT", "false/NO_CONSENT", "true/OPT_OUT_MODEL", "false/NO_CONSENT"));
        assertEvidence(row(fresh, OUTNET, Channel.EMAIL), FactType.CONSENT, "e9", "CHECKOUT", min(6 * 60 + 1));
        s = h.customerState("c1");
        assertThat(s.history.consents).extracting(c -> c.eventId()).containsExactly("e9");
        assertThat(s.history.erasedAt).isEqualTo(min(10));

        h.assertNowhereInClear("erase.me@example.com", "7700 900111", "7700900111");
    }

    // ------------------------------------------------------------------ address suppressions

    @Test
    void aCustomerLinkedToAnAddressAfterItsSuppressionWasProcessedIsSuppressedToo() {
        // live, the link comes from the customer's partition and the suppression from the unsubscribe's:
        // a lagging (restoring, reprocessing) customer partition delivers the link after the suppression
        // whatever their event times; here the profile event itself is late
        start();
        h.pipe(addressUnsubscribe("u1", "+1 202 555 0167", min(30), UnsubscribeSource.LINK));
        assertThat(h.eligibility()).as("no customer has the address yet").isEmpty();

        h.pipe(customer("p1", "c1", min(5)).setCountry("US").setPhone("(202) 555-0167").build());
        h.pipe(grant("g1", "c1", min(6), MRP, Channel.SMS));

        List<TestRecord<String, CustomerEligibility>> out = h.eligibility();
        CustomerEligibility last = out.get(out.size() - 1).value();
        assertThat(last.getPublishedAt()).isEqualTo(min(30));
        assertThat(answers(last)).containsEntry(MRP + "/SMS", "false/ADDRESS_SUPPRESSED")
                .containsEntry(MRP + "/PHONE", "false/ADDRESS_SUPPRESSED");
        assertEvidence(row(last, MRP, Channel.SMS), FactType.SUPPRESSION, "u1", "LINK", min(30));
    }

    @Test
    void anAddressOnlyUnsubscribeChangesTheViewOfEveryCustomerWithThatEmail() {
        start();
        h.pipe(customer("p1", "c1", min(1)).setCountry("GB").setEmail("Shared.Inbox@Example.com").build());
        h.pipe(customer("p2", "c2", min(2)).setCountry("GB").setEmail("  shared.inbox@example.COM ").build());
        h.pipe(customer("p3", "c3", min(3)).setCountry("GB").setEmail("someone.else@example.com").build());
        for (String c : List.of("c1", "c2", "c3")) {
            h.pipe(grant("g-" + c, c, min(4), MRP, Channel.EMAIL));
        }
        assertThat(h.eligibility()).extracting(TestRecord::key).containsExactly("c1", "c2", "c3");

        h.pipe(addressUnsubscribe("u1", "SHARED.INBOX@example.com", min(30), UnsubscribeSource.LINK));
        List<TestRecord<String, CustomerEligibility>> out = h.eligibility();
        assertThat(out).extracting(TestRecord::key).as("both customers of the address, no one else")
                .containsExactlyInAnyOrder("c1", "c2");
        for (TestRecord<String, CustomerEligibility> r : out) {
            CustomerEligibility e = r.value();
            assertThat(e.getPublishedAt()).isEqualTo(min(30));
            assertThat(answers(e)).containsExactlyInAnyOrderEntriesOf(fiveChannels(MRP,
                    "false/ADDRESS_SUPPRESSED", "false/NO_CONSENT", "false/NO_CONSENT", "true/OPT_OUT_MODEL",
                    "false/NO_CONSENT"));
            assertEvidence(row(e, MRP, Channel.EMAIL), FactType.SUPPRESSION, "u1", "LINK", min(30));
        }
        assertThat(h.customersStore()).extracting(kv -> kv.key).as("an address is not a customer")
                .containsExactlyInAnyOrder("c1", "c2", "c3");

        List<KeyValue<String, Suppression>> sup = h.suppressionStore();
        assertThat(sup).hasSize(1);
        String hash = h.hashOf("shared.inbox@example.com");
        assertThat(sup.get(0).key).startsWith(hash + '\u0000');
        assertThat(sup.get(0).value.addressHash()).isEqualTo(hash).matches("[0-9a-f]{64}");
        assertThat(sup.get(0).value.channels()).containsExactly(com.consentry.policy.Channel.EMAIL);
        assertThat(sup.get(0).value.eventId()).isEqualTo("u1");
        assertThat(sup.get(0).value.at()).isEqualTo(min(30));

        // campaign sends to the address are stopped too
        h.pipe(send("s1", "c2", min(31), "r1", "spring", MRP, Channel.EMAIL, Purpose.MARKETING));
        SendDecision d = h.decisions().get(0).value();
        assertThat(d.getDecision()).isEqualTo(Decision.SUPPRESSED);
        assertThat(d.getReason()).isEqualTo(Reason.ADDRESS_SUPPRESSED);

        // a grant newer than the suppression lifts it for that brand and channel, for that customer only
        h.pipe(grant("g-new", "c1", min(40), MRP, Channel.EMAIL));
        CustomerEligibility again = onePublished("c1");
        assertThat(row(again, MRP, Channel.EMAIL).getReason()).isEqualTo(Reason.CONSENT);
        assertThat(h.customerState("c2").published.get(CustomerState.rowKey(MRP, com.consentry.policy.Channel.EMAIL))
                .reason()).isEqualTo(com.consentry.policy.Reason.ADDRESS_SUPPRESSED);

        h.assertNowhereInClear("shared.inbox@example.com", "shared.inbox", "someone.else@example.com");
    }

    @Test
    void anotherCustomersErasureSuppressesTheSharedEmailAndPhoneForEveryoneElse() {
        start();
        h.pipe(customer("p1", "c1", min(1)).setCountry("GB").setEmail("Family@Example.org")
                .setPhone("+44 7700 900123").build());
        h.pipe(customer("p2", "c2", min(2)).setCountry("GB").setEmail("family@example.org")
                .setPhone("07700 900123").build());
        for (String c : List.of("c1", "c2")) {
            h.pipe(grant("ge-" + c, c, min(3), MRP, Channel.EMAIL));
            h.pipe(grant("gs-" + c, c, min(3), MRP, Channel.SMS));
        }
        h.eligibility();

        h.pipe(erasure("x2", "c2", min(30)));
        List<TestRecord<String, CustomerEligibility>> out = h.eligibility();
        assertThat(out).isNotEmpty();
        assertThat(out.get(0).key()).isEqualTo("c2");
        assertThat(out.get(0).value()).as("c2's tombstone").isNull();
        List<TestRecord<String, CustomerEligibility>> c1 = out.subList(1, out.size());
        assertThat(c1).as("c1's view changes").isNotEmpty().allMatch(r -> r.key().equals("c1"));
        assertThat(out).filteredOn(r -> r.key().equals("c2")).hasSize(1);
        CustomerEligibility last = c1.get(c1.size() - 1).value();
        assertThat(last.getPublishedAt()).isEqualTo(min(30));
        assertThat(answers(last)).containsExactlyInAnyOrderEntriesOf(fiveChannels(MRP,
                "false/ADDRESS_SUPPRESSED", "false/ADDRESS_SUPPRESSED", "false/ADDRESS_SUPPRESSED",
                "true/OPT_OUT_MODEL", "false/NO_CONSENT"));
        assertEvidence(row(last, MRP, Channel.EMAIL), FactType.SUPPRESSION, "x2", "ERASURE", min(30));
        assertEvidence(row(last, MRP, Channel.SMS), FactType.SUPPRESSION, "x2", "ERASURE", min(30));
        Map<String, String> previous = null;
        for (TestRecord<String, CustomerEligibility> r : c1) {
            Map<String, String> now = answers(r.value());
            assertThat(now).as("every record for c1 changes some answer").isNotEqualTo(previous);
            previous = now;
        }

        assertThat(h.suppressionStore()).extracting(kv -> kv.value.addressHash() + " " + new TreeSet<>(kv.value.channels()))
                .containsExactlyInAnyOrder(
                        h.hashOf("family@example.org") + " [EMAIL]",
                        h.hashOf("+447700900123") + " [SMS, PHONE]");
        assertThat(h.suppressionStore()).allSatisfy(kv -> {
            assertThat(kv.key).matches("[0-9a-f]{64}\u0000[0-9]{20}\u0000x2");
            assertThat(kv.value.eventId()).isEqualTo("x2");
            assertThat(kv.value.source()).isEqualTo("ERASURE");
        });
        assertThat(h.addressLinksStore()).extracting(kv -> kv.value)
                .as("only c1 is still linked to the addresses").containsOnly(new TreeSet<>(Set.of("c1")));

        h.assertNowhereInClear("family@example.org", "7700 900123", "7700900123");
    }

    @Test
    void noAddressLeavesTheServiceInClearOnAnyTopicOrStore() {
        start();
        h.pipe(customer("p1", "c1", min(1)).setCountry("GB").setEmail("Clear.Text@Example.net")
                .setPhone("07700 900999").build());
        h.pipe(grant("e1", "c1", min(2), MRP, Channel.SMS));
        h.pipe(unsubscribeBuilder("u1", "c1", min(3), MRP, UnsubscribeSource.COMPLAINT)
                .setAddress("clear.text@example.net").build());
        h.pipe(unsubscribeBuilder("u2", "c1", min(4), MRP, UnsubscribeSource.SMS_STOP).build());
        h.pipe(addressUnsubscribe("u3", "+44 7700 900999", min(5), UnsubscribeSource.LINK));
        h.pipe(cart("k1", "c1", min(6), "cart-1", MRP, CartAction.ITEM_ADDED, "sku-1", 1));
        h.pipe(TopologyHarness.send("s1", "c1", min(7), "r1", null, MRP, Channel.EMAIL, Purpose.SERVICE));
        h.advanceTo(min(120));
        h.pipe(erasure("x1", "c1", min(130)));
        h.advanceTo(min(240));

        h.assertNowhereInClear("clear.text@example.net", "Clear.Text", "7700 900999", "7700900999",
                "07700900999");
        assertThat(h.decisions()).hasSize(2);
        assertThat(h.suppressionStore()).isNotEmpty().allSatisfy(kv -> {
            assertThat(kv.key).matches("[0-9a-f]{64}\u0000[0-9]{20}\u0000.+");
            assertThat(kv.value.addressHash()).matches("[0-9a-f]{64}");
        });
        assertThat(h.suppressionStore()).extracting(kv -> kv.value.addressHash()).containsOnly(
                h.hashOf("clear.text@example.net"), h.hashOf("+447700900999"));
    }
}
