package com.consentry.topology;

import com.consentry.ingest.Inbound;
import com.consentry.policy.Addresses;
import com.consentry.policy.CartFact;
import com.consentry.policy.Channel;
import com.consentry.policy.ConsentFact;
import com.consentry.policy.CustomerHistory;
import com.consentry.policy.OrderFact;
import com.consentry.policy.Profile;
import com.consentry.policy.ProfileUpdate;
import com.consentry.policy.Suppression;
import com.consentry.policy.UnsubscribeFact;
import com.consentry.policy.UnsubscribeSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Records an inbound fact in a customer's history: assigns its arrival number, hashes its addresses,
 * drops it when an erasure covers its event time, applies erasures, and says which addresses the fact
 * suppresses.
 */
final class FactRecorder {
    private static final Set<Channel> EMAIL = EnumSet.of(Channel.EMAIL);
    private static final Set<Channel> PHONES = EnumSet.of(Channel.SMS, Channel.PHONE);
    /** Every channel an address can be suppressed for (an email hash never matches a phone). */
    private static final Set<Channel> ADDRESSABLE = EnumSet.of(Channel.EMAIL, Channel.SMS, Channel.PHONE);

    private final Addresses addresses;

    FactRecorder(Addresses addresses) {
        this.addresses = addresses;
    }

    /** What recording one fact did. */
    record Effects(boolean recorded, boolean erased, List<Suppression> suppressions) {
    }

    Effects record(CustomerHistory h, Inbound in) {
        if (in instanceof Inbound.Customer c && c.erasure()) {
            return erase(h, c);
        }
        if (in instanceof Inbound.Unsubscribe u) {
            return unsubscribe(h, u);
        }
        if (h.erasedBy(in.at())) {
            return new Effects(false, false, List.of());
        }
        if (in instanceof Inbound.Customer c) {
            String region = c.country() != null ? c.country() : regionAt(h, c.at());
            h.profile.add(new ProfileUpdate(c.eventId(), c.at(), h.takeSeq(), c.fields(), c.country(),
                    c.birthDate(), c.timezone(), c.email() == null ? null : addresses.hash(Addresses.normaliseEmail(c.email())),
                    c.phone() == null ? null : addressHash(c.phone(), region),
                    c.phone() == null || region != null ? null : addresses.nationalPhoneHashes(c.phone())));
        } else if (in instanceof Inbound.Consent c) {
            h.consents.add(new ConsentFact(c.eventId(), c.at(), h.takeSeq(), c.brand(), c.channel(), c.status(),
                    c.source(), c.expiresAt()));
        } else if (in instanceof Inbound.Order o) {
            h.orders.add(new OrderFact(o.eventId(), o.at(), h.takeSeq(), o.orderId(), o.brand(), o.status(), o.cartId()));
        } else if (in instanceof Inbound.Cart c) {
            h.addCart(new CartFact(c.eventId(), c.at(), h.takeSeq(), c.brand()));
        } else {
            return new Effects(false, false, List.of());
        }
        return new Effects(true, false, List.of());
    }

    private Effects unsubscribe(CustomerHistory h, Inbound.Unsubscribe u) {
        String region = regionAt(h, u.at());
        String addressHash = u.address() == null ? null : addressHash(u.address(), region);
        List<Suppression> suppressions = new ArrayList<>();
        String source = u.source() == null ? "UNSUBSCRIBE" : u.source().name();
        Profile known = h.erasedBy(u.at()) ? Profile.EMPTY : knownProfile(h, u.at());
        boolean addressIsEmail = u.address() != null && Addresses.kindOf(u.address()) == Addresses.Kind.EMAIL;
        if (u.source() == UnsubscribeSource.COMPLAINT || u.source() == UnsubscribeSource.HARD_BOUNCE) {
            String hash = u.address() != null && addressIsEmail ? addressHash : known.emailHash();
            if (hash != null) {
                suppressions.add(new Suppression(hash, EMAIL, u.at(), u.eventId(), source));
            }
        } else if (u.source() == UnsubscribeSource.SMS_STOP) {
            String hash = u.address() != null && !addressIsEmail ? addressHash : known.phoneHash();
            if (hash != null) {
                suppressions.add(new Suppression(hash, PHONES, u.at(), u.eventId(), source));
            }
        }
        if (h.erasedBy(u.at())) {
            // the fact itself is gone with the erasure, but an opt-out that names an address is never dropped
            if (addressHash != null && suppressions.isEmpty()) {
                suppressions.add(new Suppression(addressHash, channelsFor(u), u.at(), u.eventId(), source));
            }
            return new Effects(false, false, suppressions);
        }
        h.unsubscribes.add(new UnsubscribeFact(u.eventId(), u.at(), h.takeSeq(), u.brand(), u.channel(), u.source(),
                addressHash));
        return new Effects(true, false, suppressions);
    }

    private Effects erase(CustomerHistory h, Inbound.Customer c) {
        CustomerHistory.Erased erased = h.erase(c.eventId(), c.at());
        List<Suppression> suppressions = new ArrayList<>();
        Profile p = erased.profile();
        if (p.emailHash() != null) {
            suppressions.add(new Suppression(p.emailHash(), EMAIL, c.at(), c.eventId(), "ERASURE"));
        }
        if (p.phoneHash() != null) {
            suppressions.add(new Suppression(p.phoneHash(), PHONES, c.at(), c.eventId(), "ERASURE"));
        }
        for (UnsubscribeFact u : erased.addressedUnsubscribes()) {
            Set<Channel> channels = u.channel() == null ? ADDRESSABLE : EnumSet.of(u.channel());
            suppressions.add(new Suppression(u.addressHash(), channels, u.at(), u.eventId(),
                    u.source() == null ? "UNSUBSCRIBE" : u.source().name()));
        }
        return new Effects(true, true, suppressions);
    }

    /** The suppression channels of an address-only opt-out: its channel, else by the address's kind. */
    static Set<Channel> channelsFor(Inbound.Unsubscribe u) {
        return u.channel() != null ? EnumSet.of(u.channel()) : Addresses.defaultChannels(Addresses.kindOf(u.address()));
    }

    /** Hash of an address: normalised when it can be; an unparseable phone is hashed as given. */
    String addressHash(String address, String region) {
        return addresses.hashOf(address, region).orElseGet(() -> addresses.hash(address.trim()));
    }

    /** The customer's details as known at t, else the newest known (e.g. a profile that arrived later). */
    private static Profile knownProfile(CustomerHistory h, Instant t) {
        Profile p = h.profileAt(t);
        Profile latest = h.latestProfile();
        return new Profile(p.country(), p.birthDate(), p.birthDateEventId(), p.birthDateAt(), p.timezone(),
                p.emailHash() != null ? p.emailHash() : latest.emailHash(),
                p.phoneHash() != null ? p.phoneHash() : latest.phoneHash());
    }

    private static String regionAt(CustomerHistory h, Instant t) {
        return Optional.ofNullable(h.profileAt(t).country()).orElse(h.latestProfile().country());
    }
}
