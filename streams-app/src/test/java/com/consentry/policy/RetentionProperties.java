package com.consentry.policy;

import static com.consentry.policy.GeneratedHistories.BASE;
import static com.consentry.policy.GeneratedHistories.SPAN_DAYS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * A retention limit never changes an answer at or after the purge: for random histories (those of
 * {@link TimeDrivenChangesProperties}, plus profile changes, cart facts, cancelled orders and an erasure
 * before them), random limits and a random purge instant, every row's answer (eligible, reason and
 * evidence) with the purged history equals the one with the full history at every instant from the
 * horizon the purge returns: the whole answer history from the horizon is the same, change by change,
 * and so is the answer at the purge instant and at random later instants. The view's rows (the brands
 * named) stay, and a second purge at the same instant removes nothing.
 */
class RetentionProperties {
    private static final PolicyConfig CONFIG = PolicyConfig.defaults();
    private static final EligibilityPolicy POLICY = new EligibilityPolicy(CONFIG);
    private static final AnswerHistory HISTORY = new AnswerHistory(POLICY);
    private static final List<String> ROW_BRANDS = List.of(TestCustomer.NAP, TestCustomer.MRP, "THE OUTNET", Brands.ALL);

    @Property(tries = 1000)
    void noAnswerFromTheHorizonOnChanges(
            @ForAll("histories") List<GeneratedHistories.Spec> specs,
            @ForAll("countries") String country,
            @ForAll("zones") String zone,
            @ForAll @IntRange(min = -400, max = 400) int birthdayOffsetDays,
            @ForAll @Size(max = 5) List<@IntRange(min = 0, max = SPAN_DAYS * 24) Integer> profileChangeHours,
            @ForAll @Size(max = 4) List<@IntRange(min = 0, max = SPAN_DAYS * 24) Integer> cartHours,
            @ForAll @Size(max = 3) List<@IntRange(min = 0, max = SPAN_DAYS * 24) Integer> confirmedGrantHours,
            @ForAll @Size(max = 2) List<@IntRange(min = 0, max = SPAN_DAYS * 24) Integer> optOutThenGrantHours,
            @ForAll boolean erasedBefore,
            @ForAll("limits") RetentionLimits.Limit superseded,
            @ForAll("limits") RetentionLimits.Limit orders,
            @ForAll("limits") RetentionLimits.Limit carts,
            @ForAll @IntRange(min = 0, max = (SPAN_DAYS + 900) * 24) int purgeHours,
            @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 1000) Integer> laterPermille) {
        // patterns the random specs rarely make: a confirmed grant; an opt-out, then a short grant and an order
        List<GeneratedHistories.Spec> all = new ArrayList<>(specs);
        for (int h : confirmedGrantHours) {
            String brand = h % 3 == 0 ? Brands.ALL : TestCustomer.NAP;
            Channel channel = h % 2 == 0 ? Channel.EMAIL : Channel.SMS;
            all.add(new GeneratedHistories.Spec(GeneratedHistories.Kind.GRANT, brand, channel, h * 60L, null));
            all.add(new GeneratedHistories.Spec(GeneratedHistories.Kind.CONFIRM, brand, channel, h * 60L + 30, null));
        }
        for (int h : optOutThenGrantHours) {
            all.add(new GeneratedHistories.Spec(GeneratedHistories.Kind.UNSUBSCRIBE, TestCustomer.NAP, Channel.EMAIL,
                    h * 60L, null));
            all.add(new GeneratedHistories.Spec(GeneratedHistories.Kind.GRANT, TestCustomer.NAP, Channel.EMAIL,
                    h * 60L + 120, 48));
            all.add(new GeneratedHistories.Spec(GeneratedHistories.Kind.PLACED, TestCustomer.NAP, Channel.EMAIL,
                    h * 60L + 180, null));
        }
        GeneratedHistories.Generated g = GeneratedHistories.build(all, country, zone, birthdayOffsetDays);
        CustomerHistory full = g.history();
        int i = 0;
        for (int h : profileChangeHours) {
            // alternately a new email (suppressions stop following the old one) and a new country
            Instant at = BASE.plus(Duration.ofHours(h));
            full.profile.add(i % 2 == 0
                    ? new ProfileUpdate("pe" + i, at, full.takeSeq(), Set.of(ProfileUpdate.EMAIL), null, null, null,
                    "h-email-" + i, null)
                    : new ProfileUpdate("pc" + i, at, full.takeSeq(), Set.of(ProfileUpdate.COUNTRY), i % 4 == 1 ? "DE" : "US",
                    null, null, null, null));
            i++;
        }
        for (int h : cartHours) {
            String brand = h % 2 == 0 ? "THE OUTNET" : TestCustomer.MRP;
            full.addCart(new CartFact("cart" + h, BASE.plus(Duration.ofHours(h)), full.takeSeq(), brand));
            full.orders.add(new OrderFact("co" + h, BASE.plus(Duration.ofHours(h + 1)), full.takeSeq(), "oc" + h, brand,
                    OrderStatus.CANCELLED, null));
        }
        if (erasedBefore) {
            full.erasedAt = BASE.minus(Duration.ofDays(1));
            full.erasureEventId = "erasure";
        }
        Retention retention = new Retention(new RetentionLimits(superseded, orders, carts, RetentionLimits.Limit.OFF), CONFIG);
        Instant now = BASE.plus(Duration.ofHours(purgeHours));
        CustomerHistory purged = copy(full);

        Retention.Result r = retention.purge(purged, now, o -> false);

        Statistics.label("removed, horizon").collect(r.removed() > 0, r.horizon() != null);
        assertThat(purged.facts().count()).isEqualTo(full.facts().count() - r.removed());
        assertThat(purged.namedBrands()).isEqualTo(full.namedBrands());
        assertThat(purged.hasWildcardFact()).isEqualTo(full.hasWildcardFact());
        assertThat(retention.purge(copy(purged), now, o -> false).removed()).as("a second purge").isZero();
        Instant from = r.horizon() == null ? BASE.minus(Duration.ofDays(2)) : r.horizon();
        assertThat(from).isBeforeOrEqualTo(now);
        Instant to = now.plus(Duration.ofDays(800));
        for (String brand : ROW_BRANDS) {
            for (Channel channel : Channel.values()) {
                assertThat(HISTORY.of(purged, g.suppressions(), brand, channel, from, to).changes())
                        .as("%s %s from %s, purged at %s (%d removed)", brand, channel, from, now, r.removed())
                        .isEqualTo(HISTORY.of(full, g.suppressions(), brand, channel, from, to).changes());
                List<Instant> probes = new ArrayList<>(List.of(from, now));
                laterPermille.forEach(p -> probes.add(from.plusMillis(Duration.between(from, to).toMillis() / 1000 * p)));
                for (Instant t : probes) {
                    assertThat(POLICY.decide(purged, g.suppressions(), brand, channel, t))
                            .as("%s %s at %s, purged at %s", brand, channel, t, now)
                            .isEqualTo(POLICY.decide(full, g.suppressions(), brand, channel, t));
                }
            }
        }
    }

    private static CustomerHistory copy(CustomerHistory h) {
        CustomerHistory c = new CustomerHistory();
        c.profile = new ArrayList<>(h.profile);
        c.consents = new ArrayList<>(h.consents);
        c.unsubscribes = new ArrayList<>(h.unsubscribes);
        c.orders = new ArrayList<>(h.orders);
        c.carts = new ArrayList<>(h.carts);
        c.erasedAt = h.erasedAt;
        c.erasureEventId = h.erasureEventId;
        c.nextSeq = h.nextSeq;
        return c;
    }

    @Provide
    Arbitrary<RetentionLimits.Limit> limits() {
        return Arbitraries.of(RetentionLimits.Limit.OFF, new RetentionLimits.Limit(Duration.ofHours(1)),
                new RetentionLimits.Limit(Period.ofDays(30)), new RetentionLimits.Limit(Period.ofMonths(13)),
                new RetentionLimits.Limit(Period.ofYears(2)));
    }

    @Provide
    Arbitrary<List<GeneratedHistories.Spec>> histories() {
        return GeneratedHistories.specs();
    }

    @Provide
    Arbitrary<String> countries() {
        return Arbitraries.of("GB", "DE", "DE", "US");
    }

    @Provide
    Arbitrary<String> zones() {
        return GeneratedHistories.zones();
    }
}
