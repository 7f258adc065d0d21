package com.consentry.topology;

import com.consentry.avro.Channel;
import com.consentry.avro.ConsentStatus;
import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.Decision;
import com.consentry.avro.Reason;
import com.consentry.avro.SendDecision;

import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static com.consentry.topology.TopologyHarness.MRP;
import static com.consentry.topology.TopologyHarness.added;
import static com.consentry.topology.TopologyHarness.consentBuilder;
import static com.consentry.topology.TopologyHarness.customer;
import static com.consentry.topology.TopologyHarness.grant;
import static com.consentry.topology.TopologyHarness.row;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The due-ordered indexes that keep the cost of an event constant: the sweep-due index (only customers
 * whose answers can change by time are swept) and the reminder timers' low-water mark (fired timers
 * are never scanned again), including a state written without them.
 */
class IndexesTopologyTest {
    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

    @TempDir
    Path stateDir;
    private TopologyHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    private static Instant min(long minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    private List<String> sweepDue() {
        return h.<String, String>entries(StoreNames.SWEEP_DUE).stream().map(kv -> kv.key).toList();
    }

    private static String dueKey(Instant at, String customerId) {
        return DueKeys.millis(at.toEpochMilli()) + '\u0000' + customerId;
    }

    @Test
    void onlyCustomersWhoseAnswerCanChangeByTimeAreInTheSweepIndex() {
        h = TopologyHarness.start(stateDir, T0);
        h.pipe(consentBuilder("e1", "expiring", min(10), MRP, Channel.EMAIL, ConsentStatus.GRANTED, "CHECKOUT")
                .setExpiresAt(min(150)).build());
        h.pipe(grant("e2", "lasting", min(11), MRP, Channel.EMAIL));
        h.pipe(customer("p3", "minor", min(12)).setBirthDate(java.time.LocalDate.of(2010, 3, 3)).setCountry("GB").build());
        h.pipe(grant("e3", "minor", min(13), MRP, Channel.EMAIL));
        h.eligibility();

        assertThat(sweepDue()).as("the expiry, and the day the minor turns 16 in London").containsExactly(
                dueKey(min(150), "expiring"), dueKey(Instant.parse("2026-03-03T00:00:00Z"), "minor"));
        CustomerState lasting = h.customerState("lasting");
        assertThat(lasting.nextChangeAt).isNull();

        h.advanceTo(min(180));
        List<TestRecord<String, CustomerEligibility>> out = h.eligibility();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key()).isEqualTo("expiring");
        assertThat(row(out.get(0).value(), MRP, Channel.EMAIL).getReason()).isEqualTo(Reason.EXPIRED);
        assertThat(h.customerState("lasting").viewAt).as("a customer the sweep did not need is untouched")
                .isEqualTo(lasting.viewAt);
        assertThat(sweepDue()).containsExactly(dueKey(Instant.parse("2026-03-03T00:00:00Z"), "minor"));

        h.advanceTo(Instant.parse("2026-03-03T00:00:00Z"));
        out = h.eligibility();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key()).isEqualTo("minor");
        assertThat(row(out.get(0).value(), MRP, Channel.EMAIL).getReason()).isEqualTo(Reason.CONSENT);
        assertThat(sweepDue()).as("nothing left to change by time").isEmpty();
    }

    @Test
    void firedTimersAreBelowTheLowWaterMarkAndALateCartLowersIt() {
        h = TopologyHarness.start(stateDir, T0);
        h.pipe(grant("e1", "c1", min(1), MRP, Channel.EMAIL));
        h.pipe(added("k1", "c1", min(10), "cart-1", MRP, "sku-A", 1));
        h.advanceTo(min(70));
        assertThat(h.decisions()).hasSize(1);
        KeyValueStore<String, Long> schedule = h.store(StoreNames.SCHEDULE);
        assertThat(schedule.get(CartReminders.LOW_WATER)).as("every timer up to now has fired")
                .isGreaterThan(min(70).toEpochMilli());

        // a cart whose last activity is long before the mark: its overdue timer goes below the mark, and fires
        h.pipe(grant("e2", "c2", min(1), MRP, Channel.EMAIL));
        h.pipe(added("k2", "c2", min(2), "cart-2", MRP, "sku-B", 1));
        h.advanceBy(h.settings.idleGrace());
        List<TestRecord<String, SendDecision>> d = h.decisions();
        assertThat(d).hasSize(1);
        assertThat(d.get(0).key()).isEqualTo("c2");
        assertThat(d.get(0).value().getDecision()).isEqualTo(Decision.APPROVED);
        assertThat(d.get(0).value().getDecidedAt()).as("decided as of its due time").isEqualTo(min(62));
        assertThat(h.reminderDueStore()).isEmpty();
    }

    @Test
    void theLowWaterMarkWaitsAtTheNextPendingTimer() {
        h = TopologyHarness.start(stateDir, T0);
        h.pipe(grant("e1", "c1", min(1), MRP, Channel.EMAIL));
        h.pipe(added("k1", "c1", min(10), "cart-1", MRP, "sku-A", 1));
        h.pipe(added("k2", "c1", min(50), "cart-2", MRP, "sku-B", 1));
        h.advanceTo(min(80));
        assertThat(h.decisions()).as("cart-1's reminder, due at 70").hasSize(1);
        KeyValueStore<String, Long> schedule = h.store(StoreNames.SCHEDULE);
        assertThat(schedule.get(CartReminders.LOW_WATER))
                .as("the mark is cart-2's due time: the events before it need no seek of the timers")
                .isEqualTo(min(110).toEpochMilli());

        h.advanceTo(min(120));
        List<TestRecord<String, SendDecision>> d = h.decisions();
        assertThat(d).hasSize(1);
        assertThat(d.get(0).value().getDecidedAt()).as("cart-2's reminder, as of its due time").isEqualTo(min(110));
        assertThat(h.reminderDueStore()).isEmpty();
    }

    @Test
    void aStateWrittenWithoutTheSweepIndexGetsItAtTheFirstStart() {
        h = TopologyHarness.start(stateDir, T0);
        h.pipe(consentBuilder("e1", "c1", min(10), MRP, Channel.EMAIL, ConsentStatus.GRANTED, "CHECKOUT")
                .setExpiresAt(min(150)).build());
        h.eligibility();
        // as the previous release left it: no sweep-due store, no marker in the schedule store
        h.dropFromChangelog(StoreNames.SWEEP_DUE, key -> true);
        h.dropFromChangelog(StoreNames.SCHEDULE, "sweep-index-built"::equals);

        h.restart(min(20));
        h.advanceTo(min(180));
        List<TestRecord<String, CustomerEligibility>> out = h.eligibility();
        assertThat(out).as("the expiry is still published at the first sweep after it").hasSize(1);
        assertThat(row(out.get(0).value(), MRP, Channel.EMAIL).getReason()).isEqualTo(Reason.EXPIRED);
    }
}
