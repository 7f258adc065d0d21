package com.consentry.topology;

import com.consentry.avro.CartAction;
import com.consentry.avro.CartItem;
import com.consentry.avro.CartReminder;
import com.consentry.avro.Channel;
import com.consentry.avro.Decision;
import com.consentry.avro.DecisionKind;
import com.consentry.avro.FactType;
import com.consentry.avro.OrderStatus;
import com.consentry.avro.Purpose;
import com.consentry.avro.Reason;
import com.consentry.avro.SendDecision;
import com.consentry.avro.UnsubscribeSource;
import com.consentry.policy.SentMessage;

import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.consentry.topology.TopologyHarness.added;
import static com.consentry.topology.TopologyHarness.cart;
import static com.consentry.topology.TopologyHarness.customer;
import static com.consentry.topology.TopologyHarness.erasure;
import static com.consentry.topology.TopologyHarness.grant;
import static com.consentry.topology.TopologyHarness.order;
import static com.consentry.topology.TopologyHarness.send;
import static com.consentry.topology.TopologyHarness.unsubscribe;
import static com.consentry.topology.TopologyHarness.MRP;
import static com.consentry.topology.TopologyHarness.NAP;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cart-abandonment reminders, decided when they fall due on the wall clock: one hour (configurable)
 * after the cart's last activity, at most once per cart, never for a cart that was emptied, cleared,
 * checked out or bought, through the same eligibility and frequency cap as campaign sends, and neither
 * lost nor repeated across a restart.
 */
class CartReminderTopologyTest {
    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    @TempDir
    Path stateDir;
    private TopologyHarness h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    private static Instant min(long minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    /** A GB customer with an email address and an EMAIL grant for MR PORTER at 00:01. */
    private void startWithConsentingCustomer() {
        startWithConsentingCustomer(Map.of());
    }

    private void startWithConsentingCustomer(Map<String, String> overrides) {
        h = TopologyHarness.start(stateDir, T0, overrides);
        h.pipe(customer("p1", "c1", min(1)).setCountry("GB").setEmail("shopper@example.com").build());
        h.pipe(grant("e1", "c1", min(1), MRP, Channel.EMAIL));
        h.eligibility();
    }

    private TestRecord<String, SendDecision> oneDecision() {
        List<TestRecord<String, SendDecision>> out = h.decisions();
        assertThat(out).as("send-decisions records").hasSize(1);
        return out.get(0);
    }

    private static String reminderId(String customerId, String cartId) {
        return CartReminders.reminderId(customerId, cartId);
    }

    private static void assertReminderDecision(TestRecord<String, SendDecision> r, String cartId, Instant due,
                                               Decision decision, Reason reason) {
        SendDecision d = r.value();
        assertThat(r.key()).isEqualTo("c1");
        assertThat(r.getRecordTime()).isEqualTo(due);
        assertThat(d.getKind()).isEqualTo(DecisionKind.CART_REMINDER);
        assertThat(d.getCartId()).isEqualTo(cartId);
        assertThat(d.getReminderId()).isEqualTo(reminderId("c1", cartId));
        assertThat(d.getRequestId()).isEqualTo(d.getReminderId());
        assertThat(d.getCampaignId()).isNull();
        assertThat(d.getCustomerId()).isEqualTo("c1");
        assertThat(d.getBrand()).isEqualTo(MRP);
        assertThat(d.getChannel()).isEqualTo(Channel.EMAIL);
        assertThat(d.getPurpose()).isEqualTo(Purpose.MARKETING);
        assertThat(d.getDecidedAt()).as("decided as of its due time").isEqualTo(due);
        assertThat(d.getDecision()).isEqualTo(decision);
        assertThat(d.getReason()).isEqualTo(reason);
    }

    private static void assertReminder(TestRecord<String, CartReminder> r, String cartId, Instant lastActivity,
                                       Instant due, CartItem... items) {
        CartReminder m = r.value();
        assertThat(r.key()).isEqualTo("c1");
        assertThat(r.getRecordTime()).isEqualTo(due);
        assertThat(m.getReminderId()).isEqualTo(reminderId("c1", cartId));
        assertThat(m.getCartId()).isEqualTo(cartId);
        assertThat(m.getCustomerId()).isEqualTo("c1");
        assertThat(m.getBrand()).isEqualTo(MRP);
        assertThat(m.getChannel()).isEqualTo(Channel.EMAIL);
        assertThat(m.getDueAt()).isEqualTo(due);
        assertThat(m.getLastActivityAt()).isEqualTo(lastActivity);
        assertThat(m.getItems()).containsExactly(items);
    }

    private void assertNothingEverFires(String cartId) {
        h.advanceBy(DAY);
        assertThat(h.decisions()).as("no reminder decision for " + cartId).isEmpty();
        assertThat(h.reminders()).as("no cart reminder for " + cartId).isEmpty();
        assertThat(h.reminderDueStore()).as("no pending timer").isEmpty();
        CartState cart = h.cartState("c1", cartId);
        assertThat(cart).isNotNull();
        assertThat(cart.open()).as("cart open").isFalse();
        assertThat(cart.reminded).isFalse();
    }

    // ------------------------------------------------------------------ firing

    @Test
    void anIdleCartFiresOnceExactlyAnHourAfterItsLastActivityWithoutAnyFurtherEvent() {
        startWithConsentingCustomer();
        h.pipe(added("k1", "c1", min(10), "cart-1", MRP, "sku-A", 2));
        h.pipe(added("k2", "c1", min(20), "cart-1", MRP, "sku-B", 1));
        h.pipe(added("k3", "c1", min(25), "cart-1", MRP, "sku-A", 1));
        Instant due = min(85);
        assertThat(h.reminderDueStore()).hasSize(1);
        assertThat(h.cartState("c1", "cart-1").dueAt).isEqualTo(due);

        h.advanceTo(due.minusSeconds(1));
        h.assertNoNewOutput();

        h.advanceTo(due);
        TestRecord<String, SendDecision> d = oneDecision();
        assertReminderDecision(d, "cart-1", due, Decision.APPROVED, Reason.CONSENT);
        assertThat(d.value().getEvidence().getFactType()).isEqualTo(FactType.CONSENT);
        assertThat(d.value().getEvidence().getEventId()).isEqualTo("e1");
        List<TestRecord<String, CartReminder>> reminders = h.reminders();
        assertThat(reminders).hasSize(1);
        assertReminder(reminders.get(0), "cart-1", min(25), due, new CartItem("sku-A", 3), new CartItem("sku-B", 1));

        String id = d.value().getReminderId();
        assertThat(id).startsWith("reminder-")
                .isEqualTo(reminderId("c1", "cart-1"))
                .isNotEqualTo(reminderId("c1", "cart-2"))
                .isNotEqualTo(reminderId("c2", "cart-1"));

        assertThat(h.reminderDueStore()).isEmpty();
        CartState cart = h.cartState("c1", "cart-1");
        assertThat(cart.reminded).isTrue();
        assertThat(cart.items).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of("sku-A", 3, "sku-B", 1)));
        assertThat(h.customerState("c1").sent).containsExactly(new SentMessage(id, due,
                com.consentry.policy.Channel.EMAIL));

        h.advanceBy(DAY);
        h.assertNoNewOutput();
    }

    @Test
    void activityRestartsTheHour() {
        startWithConsentingCustomer();
        h.pipe(added("k1", "c1", min(10), "cart-1", MRP, "sku-A", 3));
        h.advanceTo(min(40));
        h.pipe(cart("k2", "c1", min(40), "cart-1", MRP, CartAction.ITEM_REMOVED, "sku-A", 1));

        h.advanceTo(min(70));
        h.assertNoNewOutput();
        h.advanceTo(min(100).minusSeconds(1));
        h.assertNoNewOutput();

        h.advanceTo(min(100));
        assertReminderDecision(oneDecision(), "cart-1", min(100), Decision.APPROVED, Reason.CONSENT);
        List<TestRecord<String, CartReminder>> reminders = h.reminders();
        assertThat(reminders).hasSize(1);
        assertReminder(reminders.get(0), "cart-1", min(40), min(100), new CartItem("sku-A", 2));
    }

    @Test
    void remindersAreDecidedInDueOrderAcrossCarts() {
        startWithConsentingCustomer();
        h.pipe(added("k1", "c1", min(10), "cart-late", MRP, "sku-A", 1));
        h.pipe(added("k2", "c1", min(5), "cart-early", MRP, "sku-B", 1));
        h.advanceTo(min(200));
        List<TestRecord<String, SendDecision>> out = h.decisions();
        assertThat(out).extracting(r -> r.value().getCartId()).containsExactly("cart-early", "cart-late");
        assertThat(out).extracting(r -> r.value().getDecidedAt()).containsExactly(min(65), min(70));
        assertThat(h.reminders()).hasSize(2);
    }

    // ------------------------------------------------------------------ closed carts

    @Test
    void anEmptiedCartNeverFires() {
        startWithConsentingCustomer();
        h.pipe(added("k1", "c1", min(10), "cart-1", MRP, "sku-A", 2));
        h.pipe(added("k2", "c1", min(12), "cart-1", MRP, "sku-B", 1));
        h.pipe(cart("k3", "c1", min(20), "cart-1", MRP, CartAction.ITEM_REMOVED, "sku-A", 2));
        h.pipe(cart("k4", "c1", min(21), "cart-1", MRP, CartAction.ITEM_REMOVED, "sku-B", 1));
        assertNothingEverFires("cart-1");
        assertThat(h.cartState("c1", "cart-1").items).isEmpty();
    }

    @Test
    void aClearedCartNeverFiresEvenWhenItemsAreAddedAgain() {
        startWithConsentingCustomer();
        h.pipe(added("k1", "c1", min(10), "cart-1", MRP, "sku-A", 2));
        h.pipe(cart("k2", "c1", min(20), "cart-1", MRP, CartAction.CLEARED, null, null));
        h.pipe(added("k3", "c1", min(30), "cart-1", MRP, "sku-B", 1));
        assertNothingEverFires("cart-1");
        assertThat(h.cartState("c1", "cart-1").closed).isTrue();
    }

    @Test
    void aCheckedOutCartNeverFires() {
        startWithConsentingCustomer();
        h.pipe(added("k1", "c1", min(10), "cart-1", MRP, "sku-A", 2));
        h.pipe(cart("k2", "c1", min(20), "cart-1", MRP, CartAction.CHECKED_OUT, null, null));
        assertNothingEverFires("cart-1");
        assertThat(h.cartState("c1", "cart-1").closed).isTrue();
    }

    @Test
    void aCartNamedByAPlacedOrderNeverFiresWhateverTheOrdersBrand() {
        startWithConsentingCustomer();
        h.pipe(added("k1", "c1", min(10), "cart-1", MRP, "sku-A", 2));
        h.pipe(order("o1", "c1", min(20), "order-1", NAP, OrderStatus.PLACED, "cart-1"));
        assertNothingEverFires("cart-1");
        assertThat(h.cartState("c1", "cart-1").closed).isTrue();
    }

    @Test
    void aPlacedOrderForTheSameBrandAtTheLastActivityClosesTheCart() {
        startWithConsentingCustomer();
        h.pipe(added("k1", "c1", min(10), "cart-1", MRP, "sku-A", 2));
        h.pipe(order("o1", "c1", min(10), "order-1", MRP, OrderStatus.PLACED, null));
        assertNothingEverFires("cart-1");
    }

    @Test
    void aPlacedOrderForTheSameBrandAfterTheLastActivityClosesTheCart() {
        startWithConsentingCustomer();
        h.pipe(added("k1", "c1", min(10), "cart-1", MRP, "sku-A", 2));
        h.pipe(order("o1", "c1", min(50), "order-1", MRP, OrderStatus.PLACED, "some-other-cart"));
        assertNothingEverFires("cart-1");
    }

    @Test
    void anOrderForAnotherBrandOrBeforeTheLastActivityOrNotPlacedDoesNotCloseTheCart() {
        startWithConsentingCustomer();
        h.pipe(order("o0", "c1", min(5), "order-0", MRP, OrderStatus.PLACED, null));
        h.pipe(added("k1", "c1", min(10), "cart-1", MRP, "sku-A", 2));
        h.pipe(order("o1", "c1", min(20), "order-1", NAP, OrderStatus.PLACED, null));
        h.pipe(order("o2", "c1", min(30), "order-2", MRP, OrderStatus.CANCELLED, "cart-1"));
        h.advanceTo(min(70));
        assertReminderDecision(oneDecision(), "cart-1", min(70), Decision.APPROVED, Reason.CONSENT);
        assertThat(h.reminders()).hasSize(1);
    }

    // ------------------------------------------------------------------ decided when due

    @Test
    void anUnsubscribeBeforeTheDueTimeGivesASuppressedDecisionAndNoReminder() {
        startWithConsentingCustomer();
        h.pipe(added("k1", "c1", min(10), "cart-1", MRP, "sku-A", 1));
        h.pipe(unsubscribe("u1", "c1", min(40), MRP, UnsubscribeSource.LINK));
        assertThat(h.eligibility()).hasSize(1);
        h.advanceTo(min(70));
        TestRecord<String, SendDecision> d = oneDecision();
        assertReminderDecision(d, "cart-1", min(70), Decision.SUPPRESSED, Reason.UNSUBSCRIBED);
        assertThat(d.value().getEvidence().getFactType()).isEqualTo(FactType.UNSUBSCRIBE);
        assertThat(d.value().getEvidence().getEventId()).isEqualTo("u1");
        assertThat(h.reminders()).as("no CartReminder for a suppressed reminder").isEmpty();
        assertThat(h.customerState("c1").sent).isEmpty();
        assertThat(h.cartState("c1", "cart-1").reminded).isTrue();
        h.advanceBy(DAY);
        h.assertNoNewOutput();
    }

    @Test
    void anEventAtExactlyTheDueTimeComesAfterTheReminder() {
        startWithConsentingCustomer();
        h.pipe(added("k1", "c1", min(10), "cart-1", MRP, "sku-A", 1));
        h.pipe(order("o1", "c1", min(70), "order-1", MRP, OrderStatus.PLACED, "cart-1"));
        assertReminderDecision(oneDecision(), "cart-1", min(70), Decision.APPROVED, Reason.CONSENT);
        assertThat(h.reminders()).hasSize(1);
    }

    @Test
    void twoApprovedCampaignEmailsInTheWindowSuppressTheReminderByTheCap() {
        startWithConsentingCustomer();
        h.pipe(send("s1", "c1", min(10), "r1", "spring", MRP, Channel.EMAIL, Purpose.MARKETING));
        h.pipe(send("s2", "c1", min(15), "r2", "spring", MRP, Channel.EMAIL, Purpose.MARKETING));
        assertThat(h.decisions()).extracting(r -> r.value().getDecision())
                .containsExactly(Decision.APPROVED, Decision.APPROVED);
        h.pipe(added("k1", "c1", min(20), "cart-1", MRP, "sku-A", 1));
        h.advanceTo(min(80));
        assertReminderDecision(oneDecision(), "cart-1", min(80), Decision.SUPPRESSED, Reason.FREQUENCY_CAP);
        assertThat(h.reminders()).isEmpty();
        assertThat(h.customerState("c1").sent).extracting(SentMessage::requestId).containsExactly("r1", "r2");
    }

    @Test
    void anApprovedReminderCountsTowardTheEmailCap() {
        startWithConsentingCustomer();
        h.pipe(added("k1", "c1", min(5), "cart-1", MRP, "sku-A", 1));
        h.advanceTo(min(65));
        assertReminderDecision(oneDecision(), "cart-1", min(65), Decision.APPROVED, Reason.CONSENT);
        h.reminders();

        h.pipe(send("s1", "c1", min(120), "r1", "spring", MRP, Channel.EMAIL, Purpose.MARKETING));
        SendDecision r1 = oneDecision().value();
        assertThat(r1.getDecision()).isEqualTo(Decision.APPROVED);
        h.pipe(send("s2", "c1", min(180), "r2", "spring", MRP, Channel.EMAIL, Purpose.MARKETING));
        SendDecision r2 = oneDecision().value();
        assertThat(r2.getDecision()).isEqualTo(Decision.SUPPRESSED);
        assertThat(r2.getReason()).isEqualTo(Reason.FREQUENCY_CAP);
    }

    @Test
    void atMostOneReminderPerCartEvenWhenActivityResumesAfterIt() {
        startWithConsentingCustomer();
        h.pipe(added("k1", "c1", min(5), "cart-1", MRP, "sku-A", 1));
        h.advanceTo(min(65));
        assertReminderDecision(oneDecision(), "cart-1", min(65), Decision.APPROVED, Reason.CONSENT);
        assertThat(h.reminders()).hasSize(1);

        h.pipe(added("k2", "c1", min(120), "cart-1", MRP, "sku-B", 4));
        h.pipe(cart("k3", "c1", min(130), "cart-1", MRP, CartAction.ITEM_REMOVED, "sku-A", 1));
        assertThat(h.reminderDueStore()).isEmpty();
        h.advanceBy(DAY.multipliedBy(2));
        h.assertNoNewOutput();
        assertThat(h.cartState("c1", "cart-1").reminded).isTrue();
    }

    // ------------------------------------------------------------------ event time and erasure

    @Test
    void cartContentsFollowEventTimeNotArrivalOrder() {
        startWithConsentingCustomer();
        // the removal at 00:20 arrives before the addition at 00:10 it undoes: by event time the cart is empty
        h.pipe(cart("k2", "c1", min(20), "cart-1", MRP, CartAction.ITEM_REMOVED, "sku-A", 1));
        h.pipe(added("k1", "c1", min(10), "cart-1", MRP, "sku-A", 1));
        h.advanceBy(DAY);
        assertThat(h.decisions()).as("an empty cart never fires").isEmpty();
        assertThat(h.reminders()).isEmpty();
        assertThat(h.cartState("c1", "cart-1").items).isEmpty();
    }

    @Test
    void aLateErasureAlsoForgetsTheItemsAddedBeforeIt() {
        startWithConsentingCustomer();
        h.pipe(added("k1", "c1", min(5), "cart-1", MRP, "sku-OLD", 1));
        h.pipe(added("k2", "c1", min(15), "cart-1", MRP, "sku-NEW", 2));
        h.pipe(grant("e2", "c1", min(16), MRP, Channel.EMAIL));
        // the erasure happened at 00:10 but arrives after the 00:15 activity
        h.pipeKeepingClock(erasure("x1", "c1", min(10)));
        assertThat(h.cartState("c1", "cart-1").items).as("only what was added after the erasure")
                .containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of("sku-NEW", 2)));

        h.advanceTo(min(75));
        TestRecord<String, SendDecision> d = oneDecision();
        assertReminderDecision(d, "cart-1", min(75), Decision.APPROVED, Reason.CONSENT);
        assertThat(d.value().getEvidence().getEventId()).isEqualTo("e2");
        List<TestRecord<String, CartReminder>> reminders = h.reminders();
        assertThat(reminders).hasSize(1);
        assertReminder(reminders.get(0), "cart-1", min(15), min(75), new CartItem("sku-NEW", 2));
    }

    // ------------------------------------------------------------------ restarts

    @Test
    void aPendingReminderSurvivesARestartAndFiresExactlyOnce() {
        startWithConsentingCustomer();
        h.pipe(added("k1", "c1", min(10), "cart-1", MRP, "sku-A", 2));
        h.restart(min(20));
        assertThat(h.reminderDueStore()).as("the timer is still there after the restart").hasSize(1);

        h.advanceTo(min(70).minusSeconds(1));
        h.assertNoNewOutput();
        h.advanceTo(min(70));
        assertReminderDecision(oneDecision(), "cart-1", min(70), Decision.APPROVED, Reason.CONSENT);
        List<TestRecord<String, CartReminder>> reminders = h.reminders();
        assertThat(reminders).hasSize(1);
        assertReminder(reminders.get(0), "cart-1", min(10), min(70), new CartItem("sku-A", 2));

        h.restart(min(90));
        h.advanceBy(DAY);
        h.assertNoNewOutput();
        assertThat(h.producedTo(h.topics.sendDecisions())).as("decisions over all runs").hasSize(1);
        assertThat(h.producedTo(h.topics.cartReminders())).as("reminders over all runs").hasSize(1);
        assertThat(h.customerState("c1").sent).extracting(SentMessage::requestId)
                .containsExactly(reminderId("c1", "cart-1"));
    }

    @Test
    void aReminderThatFellDueWhileTheServiceWasDownFiresOnceAsOfItsDueTime() {
        startWithConsentingCustomer();
        h.pipe(added("k1", "c1", min(10), "cart-1", MRP, "sku-A", 2));
        // down from 00:10 to 03:00: the wall clock never passed 01:10 while it ran
        h.restart(min(180));
        // the wall clock fires once the restarted task has been idle for the configured grace
        h.advanceBy(h.settings.idleGrace());
        TestRecord<String, SendDecision> d = oneDecision();
        assertReminderDecision(d, "cart-1", min(70), Decision.APPROVED, Reason.CONSENT);
        assertThat(h.reminders()).hasSize(1);
        h.restart(min(200));
        h.advanceBy(DAY);
        h.assertNoNewOutput();
    }

    @Test
    void anErasedCustomersPendingReminderIsGoneAfterARestartToo() {
        startWithConsentingCustomer();
        h.pipe(added("k1", "c1", min(10), "cart-1", MRP, "sku-A", 2));
        h.pipe(erasure("x1", "c1", min(20)));
        h.restart(min(30));
        h.advanceBy(DAY);
        assertThat(h.decisions()).isEmpty();
        assertThat(h.reminders()).isEmpty();
        assertThat(h.cartsStore()).isEmpty();
    }

    @Test
    void aTaskRevivedAfterCorruptionFiresTheRemindersOfTheRecordsItProcessesAgain() {
        h = TopologyHarness.start(stateDir, T0);
        // event time alone fires the reminder (the wall clock stays at T0): the second profile moves it past min(70)
        List<org.apache.avro.specific.SpecificRecord> input = List.of(
                customer("p1", "c1", min(1)).setCountry("GB").setEmail("shopper@example.com").build(),
                grant("e1", "c1", min(1), MRP, Channel.EMAIL),
                added("k1", "c1", min(10), "cart-1", MRP, "sku-A", 1),
                customer("p2", "c2", min(120)).setCountry("GB").build());
        input.forEach(h::pipeKeepingClock);
        List<TestRecord<String, CartReminder>> first = h.reminders();
        assertThat(first).hasSize(1);
        assertThat(first.get(0).value().getDueAt()).isEqualTo(min(70));

        // Kafka Streams finds the task corrupted: its state goes back to its last commit (here, before any record)
        // and the processors it already had read the same records again
        h.reviveCustomerTask(T0);
        input.forEach(h::pipeKeepingClock);
        List<TestRecord<String, CartReminder>> again = h.reminders();
        assertThat(again).as("the reminder of the reprocessed cart, due before the clock the task had reached")
                .hasSize(1);
        assertThat(again.get(0).value()).isEqualTo(first.get(0).value());
    }

    // ------------------------------------------------------------------ configuration

    @Test
    void delayChannelAndPurposeAreConfigurableAndAServiceReminderNeedsNoConsent() {
        h = TopologyHarness.start(stateDir, T0, Map.of(
                "consentry.reminder.delay", "PT30M",
                "consentry.reminder.channel", "SMS",
                "consentry.reminder.purpose", "SERVICE"));
        h.pipe(customer("p1", "c1", min(1)).setCountry("GB").setPhone("+44 7700 900555").build());
        h.pipe(added("k1", "c1", min(10), "cart-1", MRP, "sku-A", 1));
        assertThat(h.eligibility()).as("the cart names MR PORTER").hasSize(1);

        h.advanceTo(min(40).minusSeconds(1));
        h.assertNoNewOutput();
        h.advanceTo(min(40));
        TestRecord<String, SendDecision> r = oneDecision();
        SendDecision d = r.value();
        assertThat(r.getRecordTime()).isEqualTo(min(40));
        assertThat(d.getKind()).isEqualTo(DecisionKind.CART_REMINDER);
        assertThat(d.getDecidedAt()).isEqualTo(min(40));
        assertThat(d.getChannel()).isEqualTo(Channel.SMS);
        assertThat(d.getPurpose()).isEqualTo(Purpose.SERVICE);
        assertThat(d.getDecision()).isEqualTo(Decision.APPROVED);
        assertThat(d.getReason()).isEqualTo(Reason.SERVICE);
        List<TestRecord<String, CartReminder>> reminders = h.reminders();
        assertThat(reminders).hasSize(1);
        assertThat(reminders.get(0).value().getChannel()).isEqualTo(Channel.SMS);
        assertThat(reminders.get(0).value().getDueAt()).isEqualTo(min(40));
        assertThat(reminders.get(0).value().getItems()).containsExactly(new CartItem("sku-A", 1));
        assertThat(h.customerState("c1").sent).as("service messages do not use the cap").isEmpty();
    }

    @Test
    void aShorterDelayForMarketingRemindersStillNeedsConsent() {
        h = TopologyHarness.start(stateDir, T0, Map.of("consentry.reminder.delay", "PT30M"));
        h.pipe(customer("p1", "c1", min(1)).setCountry("GB").setEmail("nobody@example.com").build());
        h.pipe(added("k1", "c1", min(10), "cart-1", MRP, "sku-A", 1));
        h.advanceTo(min(40));
        assertReminderDecision(oneDecision(), "cart-1", min(40), Decision.SUPPRESSED, Reason.NO_CONSENT);
        assertThat(h.reminders()).isEmpty();
    }
}
