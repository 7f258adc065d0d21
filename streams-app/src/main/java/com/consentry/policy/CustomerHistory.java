package com.consentry.policy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Every fact kept about one customer, in arrival order, plus the erasure marker. This is the value of
 * the customer state store; the policy folds it as of any instant, so that a decision at time T uses
 * only the facts whose event time is at or before T, whatever order they arrived in.
 *
 * <p>Fields are public for the JSON state serde; use the methods to change them.
 */
public final class CustomerHistory {
    public List<ProfileUpdate> profile = new ArrayList<>();
    public List<ConsentFact> consents = new ArrayList<>();
    public List<UnsubscribeFact> unsubscribes = new ArrayList<>();
    public List<OrderFact> orders = new ArrayList<>();
    public List<CartFact> carts = new ArrayList<>();
    /** Event time of the latest erasure, or null. */
    public Instant erasedAt;
    public String erasureEventId;
    /** The next arrival sequence number. */
    public long nextSeq;

    public long takeSeq() {
        return nextSeq++;
    }

    /** True when a fact with this event time must be dropped: it is at or before the last erasure. */
    public boolean erasedBy(Instant at) {
        return erasedAt != null && !at.isAfter(erasedAt);
    }

    /**
     * Keeps a cart event as a fact: one fact per brand, the earliest. That is all the policy asks of
     * carts (the brand is named, and the customer has a fact from then on); contents live with the
     * cart reminders, so the history does not grow with every cart event.
     */
    public void addCart(CartFact fact) {
        for (int i = 0; i < carts.size(); i++) {
            CartFact held = carts.get(i);
            if (held.brand().equals(fact.brand())) {
                if (Fact.BY_TIME_THEN_ARRIVAL.compare(fact, held) < 0) {
                    carts.set(i, fact);
                }
                return;
            }
        }
        carts.add(fact);
    }

    public Stream<Fact> facts() {
        return Stream.of(profile, consents, unsubscribes, orders, carts).flatMap(List::stream);
    }

    public boolean hasFactAtOrBefore(Instant t) {
        return facts().anyMatch(f -> !f.at().isAfter(t));
    }

    /** The profile as of {@code t}: UPSERTs with event time at or before t, folded in event-time order. */
    public Profile profileAt(Instant t) {
        String country = null;
        String timezone = null;
        String email = null;
        String phone = null;
        java.util.Map<String, String> phoneByRegion = null;
        LocalDate birthDate = null;
        String birthDateEvent = null;
        Instant birthDateAt = null;
        List<ProfileUpdate> ordered = profile.stream()
                .filter(u -> !u.at().isAfter(t))
                .sorted(Fact.BY_TIME_THEN_ARRIVAL)
                .toList();
        for (ProfileUpdate u : ordered) {
            Set<String> f = u.fields();
            if (f.contains(ProfileUpdate.COUNTRY)) {
                country = u.country();
            }
            if (f.contains(ProfileUpdate.TIMEZONE)) {
                timezone = u.timezone();
            }
            if (f.contains(ProfileUpdate.EMAIL)) {
                email = u.emailHash();
            }
            if (f.contains(ProfileUpdate.PHONE)) {
                phone = u.phoneHash();
                phoneByRegion = u.phoneHashByRegion();
            }
            if (f.contains(ProfileUpdate.BIRTH_DATE)) {
                birthDate = u.birthDate();
                birthDateEvent = u.eventId();
                birthDateAt = u.at();
            }
        }
        if (phoneByRegion != null && country != null) {
            // a national number that arrived before the customer's country: read it with that country
            phone = phoneByRegion.getOrDefault(country.toUpperCase(java.util.Locale.ROOT), phone);
        }
        return new Profile(country, birthDate, birthDateEvent, birthDateAt, timezone, email, phone);
    }

    /** The newest profile, whatever the event times: the customer's currently known details. */
    public Profile latestProfile() {
        return profileAt(Instant.MAX);
    }

    /** Concrete brands named by any kept fact. */
    public Set<String> namedBrands() {
        Set<String> brands = new TreeSet<>();
        Stream.of(consents.stream().map(ConsentFact::brand), unsubscribes.stream().map(UnsubscribeFact::brand),
                        orders.stream().map(OrderFact::brand), carts.stream().map(CartFact::brand))
                .flatMap(s -> s)
                .filter(b -> !Brands.ALL.equals(b))
                .forEach(brands::add);
        return brands;
    }

    /** True when a kept consent or unsubscribe names every brand ({@code *}). */
    public boolean hasWildcardFact() {
        return consents.stream().anyMatch(c -> Brands.ALL.equals(c.brand()))
                || unsubscribes.stream().anyMatch(u -> Brands.ALL.equals(u.brand()));
    }

    /**
     * Applies an erasure: deletes every fact with an event time at or before {@code at} and keeps the
     * marker. Returns what the caller must turn into suppressions before it is gone: the profile as it
     * was at the erasure and the deleted unsubscribes that named an address.
     */
    public Erased erase(String eventId, Instant at) {
        Profile before = profileAt(at);
        List<UnsubscribeFact> withAddress = unsubscribes.stream()
                .filter(u -> !u.at().isAfter(at) && u.addressHash() != null)
                .toList();
        profile.removeIf(f -> !f.at().isAfter(at));
        consents.removeIf(f -> !f.at().isAfter(at));
        unsubscribes.removeIf(f -> !f.at().isAfter(at));
        orders.removeIf(f -> !f.at().isAfter(at));
        carts.removeIf(f -> !f.at().isAfter(at));
        if (erasedAt == null || at.isAfter(erasedAt)) {
            erasedAt = at;
            erasureEventId = eventId;
        }
        return new Erased(before, withAddress);
    }

    /** What an erasure removed that the suppression list must keep. */
    public record Erased(Profile profile, List<UnsubscribeFact> addressedUnsubscribes) {
    }
}
