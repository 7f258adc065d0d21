package com.consentry.policy;

import static com.consentry.policy.TestCustomer.MRP;
import static com.consentry.policy.TestCustomer.NAP;
import static com.consentry.policy.TestCustomer.T;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One row's answer over time: each kind of change at its instant, and the evaluation limit. */
class AnswerHistoryTest {
    private static final Instant FROM = T.minus(Duration.ofDays(30));

    @Test
    void germanDoubleOptInGrantConfirmationExpiryAndRegrantAreFourChanges() {
        Instant g1 = FROM.plus(Duration.ofDays(1));
        Instant expiry = FROM.plus(Duration.ofDays(10));
        TestCustomer c = TestCustomer.in("DE")
                .grantUntil(g1, MRP, Channel.EMAIL, expiry);
        String grant1 = c.last();
        c.confirm(g1.plus(Duration.ofHours(1)), MRP, Channel.EMAIL);
        String confirm1 = c.last();
        c.grant(FROM.plus(Duration.ofDays(20)), MRP, Channel.EMAIL);
        String grant2 = c.last();

        List<String> lines = lines(history(c, MRP, Channel.EMAIL, FROM, T));

        assertThat(lines).containsExactly(
                FROM + " false NO_CONSENT -",
                g1 + " false AWAITING_CONFIRMATION " + grant1,
                g1.plus(Duration.ofHours(1)) + " true CONSENT " + grant1 + "+" + confirm1,
                expiry + " false EXPIRED " + grant1,
                FROM.plus(Duration.ofDays(20)) + " false AWAITING_CONFIRMATION " + grant2);
    }

    @Test
    void turningSixteenSoftOptInLapsingAndASuppressionTakingEffectAreChangesInTheirOwnRight() {
        Instant placed = T.minus(Duration.ofDays(730)).plus(Duration.ofDays(5));
        TestCustomer c = TestCustomer.in("GB")
                .born(TestCustomer.LONG_AGO, LocalDate.parse("2009-06-01"))
                .placed(placed, NAP);
        String order = c.last();
        c.suppress(TestCustomer.emailHash(TestCustomer.EMAIL), T.plus(Duration.ofDays(400)), Channel.EMAIL);
        String suppression = c.last();
        Instant sixteen = Instant.parse("2025-06-01T00:00:00Z");
        Instant lapse = placed.atOffset(java.time.ZoneOffset.UTC).plusMonths(24).toInstant();
        c.unsubscribe(T.plus(Duration.ofDays(300)), MRP, Channel.EMAIL); // another brand: no change here

        List<String> lines = lines(history(c, NAP, Channel.EMAIL, T.minus(Duration.ofDays(60)),
                T.plus(Duration.ofDays(500))));

        assertThat(lines).containsExactly(
                T.minus(Duration.ofDays(60)) + " false MINOR " + c.h.profile.get(2).eventId(),
                sixteen + " true SOFT_OPT_IN " + order,
                lapse + " false NO_CONSENT -",
                T.plus(Duration.ofDays(400)) + " false ADDRESS_SUPPRESSED " + suppression);
    }

    @Test
    void aWindowWithoutChangesHoldsOnlyTheAnswerAtItsStart() {
        TestCustomer c = TestCustomer.in("US");

        assertThat(lines(history(c, NAP, Channel.POST, T, T))).containsExactly(T + " true OPT_OUT_MODEL -");
        assertThatThrownBy(() -> new AnswerHistory(c.policy()).of(c.h, c.suppressionList(), NAP, Channel.POST,
                T, T.minusMillis(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theEvaluationLimitCutsTheHistoryAndACallFromWhereItStoppedListsTheRest() {
        TestCustomer c = TestCustomer.in("GB");
        for (int i = 1; i <= 9; i++) {
            if (i % 2 == 1) {
                c.grant(FROM.plus(Duration.ofDays(i)), NAP, Channel.SMS);
            } else {
                c.withdraw(FROM.plus(Duration.ofDays(i)), NAP, Channel.SMS);
            }
        }
        AnswerHistory whole = new AnswerHistory(c.policy());
        AnswerHistory limited = new AnswerHistory(c.policy(), 4);

        AnswerHistory.Result all = whole.of(c.h, c.suppressionList(), NAP, Channel.SMS, FROM, T);
        List<AnswerHistory.Change> pieced = new ArrayList<>();
        Instant from = FROM;
        int calls = 0;
        while (true) {
            AnswerHistory.Result part = limited.of(c.h, c.suppressionList(), NAP, Channel.SMS, from, T);
            calls++;
            assertThat(part.changes()).hasSizeLessThanOrEqualTo(4);
            for (AnswerHistory.Change ch : part.changes()) {
                if (pieced.isEmpty() || !pieced.get(pieced.size() - 1).answer().equals(ch.answer())) {
                    pieced.add(ch);
                }
            }
            if (!part.truncated()) {
                break;
            }
            assertThat(part.continueFrom()).isAfter(from);
            from = part.continueFrom();
        }

        assertThat(all.truncated()).isFalse();
        assertThat(all.changes()).hasSize(10);
        assertThat(calls).isGreaterThan(1);
        assertThat(pieced).isEqualTo(all.changes());
    }

    private static AnswerHistory.Result history(TestCustomer c, String brand, Channel ch, Instant from, Instant to) {
        return new AnswerHistory(c.policy()).of(c.h, c.suppressionList(), brand, ch, from, to);
    }

    /** "instant eligible REASON evidence" per entry; evidence "grant+confirmation" for a double opt-in. */
    private static List<String> lines(AnswerHistory.Result r) {
        return r.changes().stream().map(ch -> {
            Evidence e = ch.answer().evidence();
            String ev = e == null ? "-" : e.eventId() + (e.confirmationEventId() == null ? "" : "+" + e.confirmationEventId());
            return ch.at() + " " + ch.answer().eligible() + " " + ch.answer().reason() + " " + ev;
        }).toList();
    }
}
