package com.consentry.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random customer histories for the property tests of time: consents with expiries, double opt-in,
 * orders for soft opt-in, unsubscribes, a birth date near the age limit, a time zone, and suppressions
 * of the customer's addresses, over {@link #SPAN_DAYS} days from {@link #BASE}.
 */
final class GeneratedHistories {
    static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");
    static final int SPAN_DAYS = 3 * 365;
    static final List<String> BRANDS = List.of(TestCustomer.NAP, TestCustomer.MRP);
    private static final String EMAIL_HASH = "h-email";
    private static final String PHONE_HASH = "h-phone";

    enum Kind { GRANT, CONFIRM, WITHDRAW, UNSUBSCRIBE, PLACED, SUPPRESS_EMAIL, SUPPRESS_PHONE }

    record Spec(Kind kind, String brand, Channel channel, long minute, Integer expiresAfterHours) {
        Instant at() {
            return BASE.plus(Duration.ofMinutes(minute));
        }
    }

    /** A customer's facts and the suppression list of their addresses. */
    record Generated(CustomerHistory history, SuppressionList suppressions) {
    }

    private GeneratedHistories() {
    }

    /** The history of {@code specs}, after a profile (country, zone, a birth date near 16, email, phone). */
    static Generated build(List<Spec> specs, String country, String zone, int birthdayOffsetDays) {
        LocalDate birthDate = LocalDate.of(2008, 2, 29).plusDays(birthdayOffsetDays);
        CustomerHistory h = new CustomerHistory();
        h.profile.add(new ProfileUpdate("p", BASE.minusSeconds(60), h.takeSeq(),
                Set.of(ProfileUpdate.COUNTRY, ProfileUpdate.BIRTH_DATE, ProfileUpdate.TIMEZONE, ProfileUpdate.EMAIL,
                        ProfileUpdate.PHONE),
                country, birthDate, zone, EMAIL_HASH, PHONE_HASH));
        List<Suppression> suppressed = new ArrayList<>();
        int i = 0;
        for (Spec s : specs) {
            String id = "f" + i++;
            long seq = h.takeSeq();
            switch (s.kind()) {
                case GRANT -> h.consents.add(new ConsentFact(id, s.at(), seq, s.brand(), s.channel(),
                        ConsentStatus.GRANTED, "CHECKOUT",
                        s.expiresAfterHours() == null ? null : s.at().plus(Duration.ofHours(s.expiresAfterHours()))));
                case CONFIRM -> h.consents.add(new ConsentFact(id, s.at(), seq, s.brand(), s.channel(),
                        ConsentStatus.CONFIRMED, "DOI_LINK", null));
                case WITHDRAW -> h.consents.add(new ConsentFact(id, s.at(), seq, s.brand(), s.channel(),
                        ConsentStatus.WITHDRAWN, "PREFERENCE_CENTER", null));
                case UNSUBSCRIBE -> h.unsubscribes.add(new UnsubscribeFact(id, s.at(), seq, s.brand(), s.channel(),
                        UnsubscribeSource.LINK, null));
                case PLACED -> h.orders.add(new OrderFact(id, s.at(), seq, "o" + i,
                        Brands.ALL.equals(s.brand()) ? TestCustomer.NAP : s.brand(), OrderStatus.PLACED, null));
                case SUPPRESS_EMAIL -> suppressed.add(new Suppression(EMAIL_HASH, Set.of(Channel.EMAIL), s.at(), id,
                        "COMPLAINT"));
                case SUPPRESS_PHONE -> suppressed.add(new Suppression(PHONE_HASH, Set.of(Channel.SMS, Channel.PHONE),
                        s.at(), id, "SMS_STOP"));
            }
        }
        SuppressionList list = hash -> suppressed.stream().filter(x -> x.addressHash().equals(hash)).toList();
        return new Generated(h, list);
    }

    static Arbitrary<List<Spec>> specs() {
        Arbitrary<Kind> kinds = Arbitraries.of(Kind.class);
        Arbitrary<String> brands = Arbitraries.of(TestCustomer.NAP, TestCustomer.MRP, Brands.ALL);
        Arbitrary<Channel> channels = Arbitraries.of(Channel.EMAIL, Channel.SMS, Channel.POST);
        Arbitrary<Long> minutes = Arbitraries.longs().between(0, SPAN_DAYS * 24L * 60);
        Arbitrary<Integer> expiries = Arbitraries.integers().between(1, 24 * 400).injectNull(0.5);
        return Combinators.combine(kinds, brands, channels, minutes, expiries)
                .as((k, b, c, m, e) -> new Spec(k, b, k == Kind.UNSUBSCRIBE && m % 3 == 0 ? null : c, m,
                        k == Kind.GRANT ? e : null))
                .list().ofMaxSize(12);
    }

    static Arbitrary<String> countries() {
        return Arbitraries.of("GB", "DE", "US", "FR");
    }

    static Arbitrary<String> zones() {
        return Arbitraries.of(Map.of("a", "Europe/Berlin", "b", "America/New_York", "c", "Pacific/Kiritimati",
                "d", "Pacific/Pago_Pago").values().toArray(String[]::new));
    }
}
