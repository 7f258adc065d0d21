package com.consentry.policy;

import static org.assertj.core.api.Assertions.assertThat;

import static com.consentry.policy.GeneratedHistories.BASE;
import static com.consentry.policy.GeneratedHistories.BRANDS;
import static com.consentry.policy.GeneratedHistories.SPAN_DAYS;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The sweep re-evaluates a customer only at {@link TimeDrivenChanges#nextAfter}. That is right only if
 * no answer changes before it: for random histories (consents with expiries, double opt-in, orders for
 * soft opt-in, unsubscribes, a birth date near the age limit, a time zone, suppressions of the
 * customer's addresses), every answer of every row at any instant between t and the next change is the
 * answer at t.
 */
class TimeDrivenChangesProperties {
    private static final EligibilityPolicy POLICY = new EligibilityPolicy(PolicyConfig.defaults());
    private static final TimeDrivenChanges CHANGES = new TimeDrivenChanges(POLICY);

    @Property(tries = 400)
    void noAnswerChangesBeforeTheNextTimeDrivenChange(@ForAll("histories") List<GeneratedHistories.Spec> specs,
                                                      @ForAll("countries") String country,
                                                      @ForAll("zones") String zone,
                                                      @ForAll @IntRange(min = -400, max = 400) int birthdayOffsetDays,
                                                      @ForAll @IntRange(min = 0, max = SPAN_DAYS * 24) int tHours) {
        GeneratedHistories.Generated g = GeneratedHistories.build(specs, country, zone, birthdayOffsetDays);
        CustomerHistory h = g.history();
        SuppressionList list = g.suppressions();
        Instant t = BASE.plus(Duration.ofHours(tHours));
        Instant next = CHANGES.nextAfter(h, list, t);
        if (next != null) {
            assertThat(next).isAfter(t);
        }
        Instant until = next != null ? next : t.plus(Duration.ofDays(20 * 365));
        long span = Duration.between(t, until).toMillis();
        List<Instant> probes = List.of(t.plusMillis(1), t.plusMillis(span / 3), t.plusMillis(span / 2),
                t.plusMillis(2 * span / 3), until.minusMillis(1));
        for (String brand : BRANDS) {
            for (Channel ch : Channel.values()) {
                Answer atT = POLICY.decide(h, list, brand, ch, t);
                for (Instant probe : probes) {
                    if (probe.isAfter(t) && probe.isBefore(until)) {
                        assertThat(POLICY.decide(h, list, brand, ch, probe))
                                .as("%s %s at %s (t %s, next change %s)", brand, ch, probe, t, next)
                                .isEqualTo(atT);
                    }
                }
            }
        }
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
}
