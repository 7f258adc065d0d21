package com.consentry.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of the decision table over random histories of consents, unsubscribes, orders and country
 * changes for two brands (and '*') on two channels.
 */
class PolicyProperties {

    private static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");
    /** Background facts happen within this many minutes after BASE (about three years). */
    private static final int SPAN_MINUTES = 3 * 365 * 24 * 60;
    private static final List<String> BRANDS = List.of(TestCustomer.NAP, TestCustomer.MRP);
    private static final EligibilityPolicy POLICY = new EligibilityPolicy(PolicyConfig.defaults());

    enum Kind { GRANT, CONFIRM, WITHDRAW, UNSUBSCRIBE, PLACED, CANCELLED, COUNTRY }

    /** One fact of a generated history; {@code channel} null only for an unsubscribe of every channel. */
    record Spec(Kind kind, String brand, Channel channel, int minute, Integer expiresAfterDays, String country) {
        Instant at() {
            return BASE.plus(Duration.ofMinutes(minute));
        }
    }

    // ---- (a) arrival order does not matter when event times are distinct ---------------------------

    @Property(tries = 300)
    void theAnswerDoesNotDependOnArrivalOrder(@ForAll("histories") List<Spec> specs, @ForAll Random random,
                                              @ForAll("countries") String country) {
        List<Integer> inOrder = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            inOrder.add(i);
        }
        List<Integer> shuffled = new ArrayList<>(inOrder);
        Collections.shuffle(shuffled, random);
        CustomerHistory a = build(country, specs, inOrder);
        CustomerHistory b = build(country, specs, shuffled);
        List<Integer> reversed = new ArrayList<>(inOrder);
        Collections.reverse(reversed);
        CustomerHistory c = build(country, specs, reversed);
        SuppressionList suppressions = SuppressionList.EMPTY;

        for (Instant t : instants(specs)) {
            for (String brand : BRANDS) {
                for (Channel ch : Channel.values()) {
                    Answer expected = POLICY.decide(a, suppressions, brand, ch, t);
                    assertThat(POLICY.decide(b, suppressions, brand, ch, t))
                            .as("%s %s at %s, arrival %s", brand, ch, t, shuffled).isEqualTo(expected);
                    assertThat(POLICY.decide(c, suppressions, brand, ch, t))
                            .as("%s %s at %s, reversed arrival", brand, ch, t).isEqualTo(expected);
                }
            }
        }
    }

    // ---- (b) an opt-out wins a tie with a grant -------------------------------------------------

    @Property(tries = 500)
    void anOptOutAtTheSameTimeAsAGrantAlwaysWins(@ForAll("backgrounds") List<Spec> background,
                                                @ForAll("countries") String country,
                                                @ForAll("brands") String brand, @ForAll Channel channel,
                                                @ForAll boolean grantForAll, @ForAll boolean optOutForAll,
                                                @ForAll boolean unsubscribe, @ForAll boolean unsubscribeEveryChannel,
                                                @ForAll boolean confirmAfterwards,
                                                @ForAll Random random, @ForAll @IntRange(min = 0, max = 1100) int laterDays) {
        int x = SPAN_MINUTES + 1;
        List<Spec> specs = new ArrayList<>(background);
        specs.add(new Spec(Kind.GRANT, grantForAll ? Brands.ALL : brand, channel, x, null, null));
        String optOutBrand = optOutForAll ? Brands.ALL : brand;
        specs.add(unsubscribe
                ? new Spec(Kind.UNSUBSCRIBE, optOutBrand, unsubscribeEveryChannel ? null : channel, x, null, null)
                : new Spec(Kind.WITHDRAW, optOutBrand, channel, x, null, null));
        if (confirmAfterwards) {
            specs.add(new Spec(Kind.CONFIRM, grantForAll ? Brands.ALL : brand, channel, x + 1, null, null));
        }
        List<Integer> order = shuffledIndexes(specs.size(), random);
        CustomerHistory h = build(country, specs, order);

        Instant tie = specs.get(specs.size() - (confirmAfterwards ? 2 : 1)).at();
        for (Instant t : List.of(tie, tie.plus(Duration.ofDays(laterDays)))) {
            Answer answer = POLICY.decide(h, SuppressionList.EMPTY, brand, channel, t);
            assertThat(answer.eligible()).as("%s %s at %s, arrival %s", brand, channel, t, order).isFalse();
            assertThat(answer.reason()).isEqualTo(unsubscribe ? Reason.UNSUBSCRIBED : Reason.WITHDRAWN);
        }
    }

    // ---- (c) a newer explicit grant beats any older opt-out -------------------------------------

    @Property(tries = 500)
    void aNewerGrantBeatsAnOlderOptOut(@ForAll("backgrounds") List<Spec> background,
                                       @ForAll("optInCells") Map.Entry<String, Channel> cell,
                                       @ForAll("brands") String brand, @ForAll boolean grantForAll,
                                       @ForAll boolean optOutForAll, @ForAll boolean unsubscribe,
                                       @ForAll @IntRange(min = 0, max = SPAN_MINUTES) int optOutMinute,
                                       @ForAll boolean expires, @ForAll Random random,
                                       @ForAll @IntRange(min = 0, max = 1100) int laterDays) {
        String country = cell.getKey();
        Channel channel = cell.getValue();
        int x = SPAN_MINUTES + 1;
        List<Spec> specs = new ArrayList<>(background);
        String optOutBrand = optOutForAll ? Brands.ALL : brand;
        specs.add(unsubscribe
                ? new Spec(Kind.UNSUBSCRIBE, optOutBrand, null, optOutMinute, null, null)
                : new Spec(Kind.WITHDRAW, optOutBrand, channel, optOutMinute, null, null));
        specs.add(new Spec(Kind.GRANT, grantForAll ? Brands.ALL : brand, channel, x, expires ? laterDays + 1 : null, null));
        String grantId = "f" + (specs.size() - 1);
        List<Integer> order = shuffledIndexes(specs.size(), random);
        CustomerHistory h = build(country, specs, order);

        Instant granted = specs.get(specs.size() - 1).at();
        for (Instant t : List.of(granted, granted.plus(Duration.ofDays(laterDays)))) {
            Answer answer = POLICY.decide(h, SuppressionList.EMPTY, brand, channel, t);
            assertThat(answer.reason()).as("%s %s %s at %s, arrival %s", country, brand, channel, t, order)
                    .isEqualTo(Reason.CONSENT);
            assertThat(answer.eligible()).isTrue();
            assertThat(answer.evidence().eventId()).isEqualTo(grantId);
        }
    }

    // ---- generators ------------------------------------------------------------------------------

    @Provide
    Arbitrary<List<Spec>> histories() {
        return spec(true).list().ofMaxSize(14).uniqueElements(Spec::minute);
    }

    /** Histories without country changes, every fact before {@code SPAN_MINUTES}. */
    @Provide
    Arbitrary<List<Spec>> backgrounds() {
        return spec(false).list().ofMaxSize(12).uniqueElements(Spec::minute);
    }

    @Provide
    Arbitrary<String> countries() {
        return Arbitraries.of("GB", "DE", "US", "NONE");
    }

    @Provide
    Arbitrary<String> brands() {
        return Arbitraries.of(BRANDS);
    }

    /** (country, channel) pairs that are plain opt-in in the default jurisdiction table. */
    @Provide
    Arbitrary<Map.Entry<String, Channel>> optInCells() {
        return Arbitraries.of(
                Map.entry("GB", Channel.EMAIL), Map.entry("GB", Channel.SMS), Map.entry("GB", Channel.PHONE),
                Map.entry("GB", Channel.TARGETED_ADS), Map.entry("NONE", Channel.EMAIL),
                Map.entry("US", Channel.SMS), Map.entry("US", Channel.PHONE),
                Map.entry("DE", Channel.PHONE), Map.entry("DE", Channel.TARGETED_ADS));
    }

    private static Arbitrary<Spec> spec(boolean withCountry) {
        Arbitrary<Kind> kinds = withCountry ? Arbitraries.of(Kind.class)
                : Arbitraries.of(Kind.class).filter(k -> k != Kind.COUNTRY);
        Arbitrary<String> brands = Arbitraries.of(TestCustomer.NAP, TestCustomer.MRP, Brands.ALL);
        Arbitrary<Channel> channels = Arbitraries.of(Channel.EMAIL, Channel.SMS).injectNull(0.2);
        Arbitrary<Integer> minutes = Arbitraries.integers().between(0, SPAN_MINUTES - 1);
        Arbitrary<Integer> expiries = Arbitraries.integers().between(0, 1000).injectNull(0.6);
        Arbitrary<String> countries = Arbitraries.of("GB", "DE", "US", "NONE");
        return Combinators.combine(kinds, brands, channels, minutes, expiries, countries)
                .as((kind, brand, channel, minute, expiry, country) -> switch (kind) {
                    case UNSUBSCRIBE -> new Spec(kind, brand, channel, minute, null, null);
                    case GRANT -> new Spec(kind, brand, channel == null ? Channel.EMAIL : channel, minute, expiry, null);
                    case CONFIRM, WITHDRAW -> new Spec(kind, brand, channel == null ? Channel.SMS : channel, minute, null, null);
                    case PLACED, CANCELLED -> new Spec(kind, Brands.ALL.equals(brand) ? TestCustomer.NAP : brand, null, minute,
                            null, null);
                    case COUNTRY -> new Spec(kind, null, null, minute, null, country);
                });
    }

    // ---- building histories ----------------------------------------------------------------------

    private static List<Integer> shuffledIndexes(int n, Random random) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        return order;
    }

    /**
     * The history of a customer in {@code country} (known from before every spec) whose facts arrive in
     * {@code arrival} order (indexes into specs). Event ids follow the spec index, not the arrival.
     */
    private static CustomerHistory build(String country, List<Spec> specs, List<Integer> arrival) {
        CustomerHistory h = new CustomerHistory();
        h.profile.add(new ProfileUpdate("profile", BASE.minusSeconds(60), h.takeSeq(), Set.of(ProfileUpdate.COUNTRY),
                countryValue(country), null, null, null, null));
        for (int i : arrival) {
            Spec s = specs.get(i);
            String id = "f" + i;
            long seq = h.takeSeq();
            switch (s.kind()) {
                case GRANT -> h.consents.add(new ConsentFact(id, s.at(), seq, s.brand(), s.channel(), ConsentStatus.GRANTED,
                        "CHECKOUT", s.expiresAfterDays() == null ? null : s.at().plus(Duration.ofDays(s.expiresAfterDays()))));
                case CONFIRM -> h.consents.add(new ConsentFact(id, s.at(), seq, s.brand(), s.channel(),
                        ConsentStatus.CONFIRMED, "DOUBLE_OPT_IN_LINK", null));
                case WITHDRAW -> h.consents.add(new ConsentFact(id, s.at(), seq, s.brand(), s.channel(),
                        ConsentStatus.WITHDRAWN, "PREFERENCE_CENTER", null));
                case UNSUBSCRIBE -> h.unsubscribes.add(new UnsubscribeFact(id, s.at(), seq, s.brand(), s.channel(),
                        UnsubscribeSource.LINK, null));
                case PLACED -> h.orders.add(new OrderFact(id, s.at(), seq, "o" + i, s.brand(), OrderStatus.PLACED, null));
                case CANCELLED -> h.orders.add(new OrderFact(id, s.at(), seq, "o" + i, s.brand(), OrderStatus.CANCELLED, null));
                case COUNTRY -> h.profile.add(new ProfileUpdate(id, s.at(), seq, Set.of(ProfileUpdate.COUNTRY),
                        countryValue(s.country()), null, null, null, null));
            }
        }
        return h;
    }

    private static String countryValue(String country) {
        return "NONE".equals(country) ? null : country;
    }

    /** Every fact time, a millisecond before it, every expiry, the 24-month lapse of every order, and far later. */
    private static Set<Instant> instants(List<Spec> specs) {
        Set<Instant> ts = new TreeSet<>();
        ts.add(BASE);
        ts.add(BASE.plus(Duration.ofDays(5 * 365)));
        for (Spec s : specs) {
            ts.add(s.at());
            ts.add(s.at().minusMillis(1));
            if (s.expiresAfterDays() != null) {
                ts.add(s.at().plus(Duration.ofDays(s.expiresAfterDays())));
            }
            if (s.kind() == Kind.PLACED) {
                Instant lapse = TestCustomer.monthsBefore(s.at(), -24);
                ts.add(lapse);
                ts.add(lapse.minusMillis(1));
            }
        }
        return ts;
    }
}
