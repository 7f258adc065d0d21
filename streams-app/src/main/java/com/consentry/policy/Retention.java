package com.consentry.policy;

import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Storage limitation (GDPR Art. 5(1)(e)) for a customer's facts, without ever changing an answer: pure,
 * no Kafka, no clock. A purge at {@code now} removes only facts that no answer at or after the customer's
 * retention horizon rests on, and the horizon it returns is the instant from which every answer (eligible,
 * reason and evidence) is exactly the one the full history gives. Per kind:
 *
 * <ul>
 *   <li>profile updates, consents and unsubscribes ({@link RetentionLimits#superseded}): with {@code x = now - limit},
 *       everything after {@code x} is kept, and of what is at or before {@code x} only what still decides
 *       an answer from {@code x} on: per profile field its latest value; per brand value ({@code *} too)
 *       and channel the newest consent or unsubscribe (all of them on a tie), the first confirmation after a
 *       kept grant, and the newest opt-out (soft opt-in needs "no opt-out ever"). The horizon moves to x.</li>
 *   <li>orders ({@link RetentionLimits#orders}): a {@code PLACED} order decides soft opt-in until its period
 *       ({@code policy.soft-opt-in.months}) ends; it is removed one limit after that end. The horizon
 *       moves to that end. Orders the caller pins (one that closes a cart still held) stay.</li>
 *   <li>cart facts ({@link RetentionLimits#carts}): one limit after their event time; they decide no answer.</li>
 * </ul>
 *
 * Two facts stay whatever their age: one fact naming each brand named now (it makes the brand's rows part
 * of the published view), and after an erasure the earliest fact (an answer before it is {@code ERASED}).
 */
public final class Retention {
    private final RetentionLimits limits;
    private final Period softOptIn;

    public Retention(RetentionLimits limits, PolicyConfig config) {
        this.limits = limits;
        this.softOptIn = config.softOptInPeriod();
    }

    public RetentionLimits limits() {
        return limits;
    }

    /** What a purge did: how many facts it removed and the horizon it leaves (null when it removed nothing). */
    public record Result(int removed, Instant horizon) {
    }

    /** The end of a PLACED order's soft opt-in period. */
    public Instant softOptInEnd(Instant orderAt) {
        return orderAt.atOffset(ZoneOffset.UTC).plus(softOptIn).toInstant();
    }

    /** When a fact of this kind recorded now at {@code at} may first let a purge remove something; null when never. */
    public Instant dueOfProfileOrConsent(Instant at) {
        return limits.superseded().on() ? limits.superseded().after(at) : null;
    }

    public Instant dueOfOrder(Instant at) {
        return limits.orders().on() ? limits.orders().after(softOptInEnd(at)) : null;
    }

    public Instant dueOfCart(Instant at) {
        return limits.carts().on() ? limits.carts().after(at) : null;
    }

    /**
     * Removes from {@code h} what the limits no longer hold at {@code now}; {@code pinned} orders stay.
     * Every answer at or after the returned horizon (and the customer's previous horizon) is unchanged.
     */
    public Result purge(CustomerHistory h, Instant now, Predicate<OrderFact> pinned) {
        Map<Fact, Instant> removed = new HashMap<>();
        if (limits.superseded().on()) {
            Instant x = limits.superseded().before(now);
            List<Fact> keep = new ArrayList<>(latestProfile(h.profile, x));
            keep.addAll(decidingConsents(h, x));
            Set<Fact> kept = Set.copyOf(keep);
            Stream.of(h.profile, h.consents, h.unsubscribes).flatMap(List::stream)
                    .filter(f -> !f.at().isAfter(x) && !kept.contains(f))
                    .forEach(f -> removed.put(f, x));
        }
        if (limits.orders().on()) {
            for (OrderFact o : h.orders) {
                Instant end = softOptInEnd(o.at());
                if (!limits.orders().after(end).isAfter(now) && !pinned.test(o)) {
                    removed.put(o, o.status() == OrderStatus.PLACED ? end : null);
                }
            }
        }
        if (limits.carts().on()) {
            h.carts.stream().filter(c -> !limits.carts().after(c.at()).isAfter(now)).forEach(c -> removed.put(c, null));
        }
        if (removed.isEmpty()) {
            return new Result(0, null);
        }
        keepMarkers(h, removed);
        Instant horizon = null;
        for (Instant x : removed.values()) {
            if (x != null && (horizon == null || x.isAfter(horizon))) {
                horizon = x;
            }
        }
        h.profile.removeIf(removed::containsKey);
        h.consents.removeIf(removed::containsKey);
        h.unsubscribes.removeIf(removed::containsKey);
        h.orders.removeIf(removed::containsKey);
        h.carts.removeIf(removed::containsKey);
        return new Result(removed.size(), horizon);
    }

    /** The first instant after {@code now} at which a purge may remove something from {@code h}; null when none. */
    public Instant nextDue(CustomerHistory h, Instant now) {
        List<Instant> candidates = new ArrayList<>();
        Stream.of(h.profile, h.consents, h.unsubscribes).flatMap(List::stream)
                .forEach(f -> candidates.add(dueOfProfileOrConsent(f.at())));
        h.orders.forEach(o -> candidates.add(dueOfOrder(o.at())));
        h.carts.forEach(c -> candidates.add(dueOfCart(c.at())));
        return earliestAfter(candidates, now);
    }

    /** The earliest of {@code candidates} (nulls ignored) after {@code now}, or null. */
    public static Instant earliestAfter(List<Instant> candidates, Instant now) {
        return candidates.stream().filter(c -> c != null && c.isAfter(now)).min(Comparator.naturalOrder()).orElse(null);
    }

    /** Per profile field, the update that sets its value as of x (the latest setter at or before x). */
    private static List<ProfileUpdate> latestProfile(List<ProfileUpdate> profile, Instant x) {
        Map<String, ProfileUpdate> setter = new HashMap<>();
        profile.stream().filter(u -> !u.at().isAfter(x)).sorted(Fact.BY_TIME_THEN_ARRIVAL)
                .forEach(u -> u.fields().forEach(f -> setter.put(f, u)));
        return List.copyOf(setter.values());
    }

    /**
     * The consents and unsubscribes at or before x that an answer from x on can rest on: per brand value and
     * channel, the newest covering fact (with its ties) and the newest opt-out, and for a kept grant the
     * first confirmation after it.
     */
    private static List<Fact> decidingConsents(CustomerHistory h, Instant x) {
        List<Fact> keep = new ArrayList<>();
        Set<String> brandValues = new java.util.TreeSet<>();
        h.consents.forEach(c -> brandValues.add(c.brand()));
        h.unsubscribes.forEach(u -> brandValues.add(u.brand()));
        for (String bv : brandValues) {
            for (Channel ch : Channel.values()) {
                List<Fact> covering = Stream.<Fact>concat(
                                h.consents.stream().filter(c -> c.status() != ConsentStatus.CONFIRMED
                                        && c.channel() == ch && c.brand().equals(bv)),
                                h.unsubscribes.stream().filter(u -> u.brand().equals(bv)
                                        && (u.channel() == null || u.channel() == ch)))
                        .filter(f -> !f.at().isAfter(x))
                        .toList();
                Instant newestAt = covering.stream().map(Fact::at).max(Comparator.naturalOrder()).orElse(null);
                if (newestAt == null) {
                    continue;
                }
                for (Fact f : covering) {
                    if (f.at().equals(newestAt)) {
                        keep.add(f);
                        if (f instanceof ConsentFact g && g.status() == ConsentStatus.GRANTED) {
                            firstConfirmationAfter(h, g, x).ifPresent(keep::add);
                        }
                    }
                }
                covering.stream().filter(f -> f instanceof UnsubscribeFact
                                || ((ConsentFact) f).status() == ConsentStatus.WITHDRAWN)
                        .max(Fact.BY_TIME_THEN_ARRIVAL).ifPresent(keep::add);
            }
        }
        return keep;
    }

    private static java.util.Optional<ConsentFact> firstConfirmationAfter(CustomerHistory h, ConsentFact grant, Instant x) {
        return h.consents.stream()
                .filter(c -> c.status() == ConsentStatus.CONFIRMED && c.channel() == grant.channel()
                        && c.brand().equals(grant.brand()) && c.at().isAfter(grant.at()) && !c.at().isAfter(x))
                .min(Fact.BY_TIME_THEN_ARRIVAL);
    }

    /**
     * Puts back, from what would be removed, one fact naming each brand no kept fact names (the view's rows
     * stay), and after an erasure the earliest fact (an answer is {@code ERASED} only before it).
     */
    private static void keepMarkers(CustomerHistory h, Map<Fact, Instant> removed) {
        Set<String> brands = new java.util.TreeSet<>(h.namedBrands());
        if (h.hasWildcardFact()) {
            brands.add(Brands.ALL);
        }
        for (String brand : brands) {
            List<Fact> naming = Stream.of(h.consents.stream().filter(c -> c.brand().equals(brand)),
                            h.unsubscribes.stream().filter(u -> u.brand().equals(brand)),
                            h.orders.stream().filter(o -> o.brand().equals(brand)),
                            h.carts.stream().filter(c -> c.brand().equals(brand)))
                    .flatMap(s -> s).map(Fact.class::cast).toList();
            if (naming.stream().allMatch(removed::containsKey)) {
                naming.stream().max(Fact.BY_TIME_THEN_ARRIVAL).ifPresent(removed::remove);
            }
        }
        if (h.erasedAt != null) {
            h.facts().min(Fact.BY_TIME_THEN_ARRIVAL).ifPresent(removed::remove);
        }
    }
}
