package com.consentry.replay;

import com.consentry.avro.CartItem;
import com.consentry.avro.CartReminder;
import com.consentry.avro.Channel;
import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.Decision;
import com.consentry.avro.DecisionKind;
import com.consentry.avro.EligibilityRow;
import com.consentry.avro.Evidence;
import com.consentry.avro.FactType;
import com.consentry.avro.Purpose;
import com.consentry.avro.Reason;
import com.consentry.avro.SendDecision;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** What {@code replay diff} reports, from views, decisions and reminders as read from the topics. */
class ViewDiffTest {
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    private static EligibilityRow row(String brand, Channel channel, boolean eligible, Reason reason, String eventId) {
        Evidence e = eventId == null ? null : Evidence.newBuilder().setFactType(FactType.ORDER).setEventId(eventId)
                .setSource("o").setEventTime(T).build();
        return new EligibilityRow(brand, channel, eligible, reason, e);
    }

    private static CustomerEligibility view(String customer, EligibilityRow... rows) {
        return new CustomerEligibility(customer, T, Arrays.asList(rows));
    }

    private static SendDecision decision(String requestId, String customer, Decision d, Reason reason) {
        return new SendDecision(requestId, DecisionKind.CAMPAIGN, "c", customer, "MR PORTER", Channel.EMAIL,
                Purpose.MARKETING, d, reason, T, null, null, null);
    }

    private static CartReminder reminder(String id, String customer, int quantity) {
        return new CartReminder(id, "cart-" + id, customer, "MR PORTER", Channel.EMAIL, T, T,
                List.of(new CartItem("sku", quantity)));
    }

    @Test
    void rowsChangeWithTheirAnswerNotTheirEvidenceAndTransitionsAreCountedWithSamples() {
        Map<String, CustomerEligibility> live = new HashMap<>();
        Map<String, CustomerEligibility> replay = new HashMap<>();
        for (String c : List.of("a1", "a2", "a3", "a4", "a5", "a6")) {
            live.put(c, view(c, row("MR PORTER", Channel.EMAIL, true, Reason.SOFT_OPT_IN, "o1"),
                    row("MR PORTER", Channel.POST, true, Reason.OPT_OUT_MODEL, null)));
            replay.put(c, view(c, row("MR PORTER", Channel.EMAIL, false, Reason.NO_CONSENT, null),
                    row("MR PORTER", Channel.POST, true, Reason.OPT_OUT_MODEL, null)));
        }
        // evidence alone differs: no change
        live.put("b1", view("b1", row("MR PORTER", Channel.EMAIL, true, Reason.CONSENT, "e1")));
        replay.put("b1", view("b1", row("MR PORTER", Channel.EMAIL, true, Reason.CONSENT, "e2")));
        // erased in the replay (no view), and a row only the replay has
        live.put("c1", view("c1", row("MR PORTER", Channel.SMS, false, Reason.NO_CONSENT, null)));
        live.put("d1", view("d1", row("MR PORTER", Channel.SMS, false, Reason.NO_CONSENT, null)));
        replay.put("d1", view("d1", row("MR PORTER", Channel.SMS, false, Reason.NO_CONSENT, null),
                row("THE OUTNET", Channel.SMS, false, Reason.NO_CONSENT, null)));

        DiffReport d = ViewDiff.compare("x", live, replay, Map.of(), Map.of(), Map.of(), Map.of());

        assertThat(d.customersCompared()).isEqualTo(9);
        assertThat(d.customersChanged()).isEqualTo(8);
        assertThat(d.rowsCompared()).isEqualTo(12 + 1 + 1 + 2);
        assertThat(d.rowsChanged()).isEqualTo(8);
        assertThat(d.transitions()).containsExactly(
                new DiffReport.Transition("SOFT_OPT_IN", "NO_CONSENT", 6, 6, List.of("a1", "a2", "a3", "a4", "a5")),
                new DiffReport.Transition("ABSENT", "NO_CONSENT", 1, 1, List.of("d1")),
                new DiffReport.Transition("NO_CONSENT", "ABSENT", 1, 1, List.of("c1")));
        assertThat(d.changedRows()).filteredOn(r -> r.customerId().equals("d1")).singleElement()
                .extracting(DiffReport.RowChange::brand, DiffReport.RowChange::liveEligible, DiffReport.RowChange::replayEligible)
                .containsExactly("THE OUTNET", null, false);
    }

    @Test
    void decisionsDifferInOutcomeOrPresenceAndRemindersInBeingSentOrWhat() {
        Map<String, SendDecision> live = Map.of(
                "r1", decision("r1", "a", Decision.APPROVED, Reason.SOFT_OPT_IN),
                "r2", decision("r2", "a", Decision.APPROVED, Reason.CONSENT),
                "r3", decision("r3", "b", Decision.SUPPRESSED, Reason.NO_CONSENT));
        Map<String, SendDecision> replay = Map.of(
                "r1", decision("r1", "a", Decision.SUPPRESSED, Reason.NO_CONSENT),
                "r2", decision("r2", "a", Decision.APPROVED, Reason.CONSENT),
                "r4", decision("r4", "b", Decision.APPROVED, Reason.CONSENT));
        Map<String, CartReminder> liveReminders = Map.of("m1", reminder("m1", "a", 1), "m2", reminder("m2", "a", 1),
                "m3", reminder("m3", "b", 1));
        Map<String, CartReminder> replayReminders = Map.of("m2", reminder("m2", "a", 1), "m3", reminder("m3", "b", 2));

        DiffReport d = ViewDiff.compare("x", Map.of(), Map.of(), live, replay, liveReminders, replayReminders);

        assertThat(d.decisionsCompared()).isEqualTo(4);
        assertThat(d.decisions()).extracting(DiffReport.DecisionChange::requestId, DiffReport.DecisionChange::liveDecision,
                        DiffReport.DecisionChange::replayDecision)
                .containsExactly(tuple("r1", "APPROVED", "SUPPRESSED"), tuple("r3", "SUPPRESSED", "ABSENT"),
                        tuple("r4", "ABSENT", "APPROVED"));
        assertThat(d.remindersCompared()).isEqualTo(3);
        assertThat(d.reminders()).extracting(DiffReport.ReminderChange::reminderId, DiffReport.ReminderChange::replayDueAt,
                        DiffReport.ReminderChange::replayItems)
                .containsExactly(tuple("m1", null, null), tuple("m3", T, 1));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        d.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("send decisions: 4 compared, 3 differ", "r1 (a, CAMPAIGN): APPROVED SOFT_OPT_IN -> SUPPRESSED NO_CONSENT",
                        "cart reminders: 3 compared, 2 differ", "m1 (a, cart cart-m1): live due " + T + " with 1 item(s) -> replay not sent");
    }
}
