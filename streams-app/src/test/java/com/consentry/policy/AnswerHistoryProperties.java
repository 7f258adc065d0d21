package com.consentry.policy;

import static com.consentry.policy.GeneratedHistories.BASE;
import static com.consentry.policy.GeneratedHistories.SPAN_DAYS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * {@code /history} agrees with {@code ?at=}: for random histories (those of
 * {@link TimeDrivenChangesProperties}) and a random window, the answer the history says is in effect at
 * an instant is the policy's answer at that instant, at every change point, just before it, between
 * change points and at random instants of the window; and every listed change is one.
 */
class AnswerHistoryProperties {
    private static final EligibilityPolicy POLICY = new EligibilityPolicy(PolicyConfig.defaults());
    private static final AnswerHistory HISTORY = new AnswerHistory(POLICY);

    @Property(tries = 300)
    void theHistoryAgreesWithTheAnswerAtEveryInstantOfTheWindow(
            @ForAll("histories") List<GeneratedHistories.Spec> specs,
            @ForAll("countries") String country,
            @ForAll("zones") String zone,
            @ForAll @IntRange(min = -400, max = 400) int birthdayOffsetDays,
            @ForAll("brands") String brand,
            @ForAll Channel channel,
            @ForAll @IntRange(min = -30 * 24, max = SPAN_DAYS * 24) int fromHours,
            @ForAll @IntRange(min = 0, max = (SPAN_DAYS + 400) * 24) int lengthHours,
            @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 1000) Integer> randomPermille) {
        GeneratedHistories.Generated g = GeneratedHistories.build(specs, country, zone, birthdayOffsetDays);
        Instant from = BASE.plus(Duration.ofHours(fromHours));
        Instant to = from.plus(Duration.ofHours(lengthHours));

        AnswerHistory.Result r = HISTORY.of(g.history(), g.suppressions(), brand, channel, from, to);

        assertThat(r.truncated()).isFalse();
        List<AnswerHistory.Change> changes = r.changes();
        assertThat(changes.get(0).at()).isEqualTo(from);
        for (int i = 1; i < changes.size(); i++) {
            AnswerHistory.Change c = changes.get(i);
            assertThat(c.at()).isAfter(changes.get(i - 1).at()).isBeforeOrEqualTo(to);
            assertThat(c.answer()).as("entry %d is a change", i).isNotEqualTo(changes.get(i - 1).answer());
        }
        List<Instant> probes = new ArrayList<>(List.of(from, to));
        for (int i = 0; i < changes.size(); i++) {
            Instant at = changes.get(i).at();
            Instant end = i + 1 < changes.size() ? changes.get(i + 1).at() : to;
            probes.add(at);
            probes.add(at.minusMillis(1));
            probes.add(at.plusMillis(Duration.between(at, end).toMillis() / 2));
            probes.add(end.minusMillis(1));
        }
        long span = Duration.between(from, to).toMillis();
        randomPermille.forEach(p -> probes.add(from.plusMillis(span / 1000 * p)));
        for (Instant probe : probes) {
            if (probe.isBefore(from) || probe.isAfter(to)) {
                continue;
            }
            assertThat(inEffect(changes, probe))
                    .as("%s %s at %s (window %s to %s, history %s)", brand, channel, probe, from, to, changes)
                    .isEqualTo(POLICY.decide(g.history(), g.suppressions(), brand, channel, probe));
        }
    }

    /** The answer the history says holds at {@code t}: the last entry at or before it. */
    private static Answer inEffect(List<AnswerHistory.Change> changes, Instant t) {
        Answer a = null;
        for (AnswerHistory.Change c : changes) {
            if (!c.at().isAfter(t)) {
                a = c.answer();
            }
        }
        return a;
    }

    @Provide
    Arbitrary<List<GeneratedHistories.Spec>> histories() {
        return GeneratedHistories.specs();
    }

    @Provide
    Arbitrary<String> countries() {
        return GeneratedHistories.countries();
    }

    @Provide
    Arbitrary<String> zones() {
        return GeneratedHistories.zones();
    }

    @Provide
    Arbitrary<String> brands() {
        return Arbitraries.of(GeneratedHistories.BRANDS);
    }
}
