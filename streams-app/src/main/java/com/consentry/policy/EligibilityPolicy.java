package com.consentry.policy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The decision table of {@code eligibility-policy.md}: pure, no Kafka, no clock. The topologies, the
 * HTTP API and {@code simulate} all call {@link #decide}.
 */
public final class EligibilityPolicy {
    private final PolicyConfig config;

    public EligibilityPolicy(PolicyConfig config) {
        this.config = config;
    }

    public PolicyConfig config() {
        return config;
    }

    /** The marketing eligibility of (customer, brand, channel) at {@code t}. */
    public Answer decide(CustomerHistory h, SuppressionList suppressions, String brand, Channel channel, Instant t) {
        return decide(h, suppressions, brand, channel, t, null);
    }

    /**
     * As {@link #decide(CustomerHistory, SuppressionList, String, Channel, Instant)}, also checking the
     * suppression of a send request's own address ({@code requestAddressHash}, may be null).
     */
    public Answer decide(CustomerHistory h, SuppressionList suppressions, String brand, Channel channel, Instant t,
                         String requestAddressHash) {
        return decide(h, h.profileAt(t), suppressions, brand, channel, t, requestAddressHash);
    }

    /**
     * As {@link #decide(CustomerHistory, SuppressionList, String, Channel, Instant)}, with the profile
     * as of t already folded ({@code profileAt} must be {@code h.profileAt(t)}): for evaluating many
     * rows of one customer at one instant.
     */
    public Answer decide(CustomerHistory h, Profile profileAt, SuppressionList suppressions, String brand,
                         Channel channel, Instant t) {
        return decide(h, profileAt, suppressions, brand, channel, t, null);
    }

    private Answer decide(CustomerHistory h, Profile profileAt, SuppressionList suppressions, String brand,
                          Channel channel, Instant t, String requestAddressHash) {
        Situation s = situation(h, profileAt, suppressions, brand, channel, t, requestAddressHash);
        if (s.erased != null) {
            return s.erased;
        }
        if (s.minor) {
            return Answer.no(Reason.MINOR, Evidence.of(FactType.CUSTOMER, s.profile.birthDateEventId(), null, s.profile.birthDateAt()));
        }
        if (s.suppressed != null) {
            return s.suppressed;
        }
        Coverage c = s.coverage;
        if (c.newestUnsubscribe() != null) {
            UnsubscribeFact u = c.newestUnsubscribe();
            return Answer.no(Reason.UNSUBSCRIBED, Evidence.of(FactType.UNSUBSCRIBE, u.eventId(),
                    u.source() == null ? null : u.source().name(), u.at()));
        }
        ConsentFact newest = c.newestConsent();
        if (newest != null && newest.status() == ConsentStatus.WITHDRAWN) {
            return Answer.no(Reason.WITHDRAWN, consentEvidence(newest, null));
        }
        if (s.grantInEffect) {
            return Answer.yes(Reason.CONSENT, consentEvidence(newest, s.confirmation));
        }
        Optional<OrderFact> soft = softOptIn(h, s.rule, brand, channel, t);
        if (soft.isPresent()) {
            OrderFact o = soft.get();
            return Answer.yes(Reason.SOFT_OPT_IN, Evidence.of(FactType.ORDER, o.eventId(), o.orderId(), o.at()));
        }
        if (newest != null && !newest.expiredAt(t)) {
            return Answer.no(Reason.AWAITING_CONFIRMATION, consentEvidence(newest, null));
        }
        if (s.rule.model() == ContactModel.OPT_OUT) {
            return Answer.yes(Reason.OPT_OUT_MODEL, null);
        }
        if (newest != null) {
            return Answer.no(Reason.EXPIRED, consentEvidence(newest, null));
        }
        return Answer.no(Reason.NO_CONSENT, null);
    }

    /**
     * Whether a SERVICE message may be sent: only erasure (line 1) and a suppressed address (line 3)
     * stop it; marketing opt-outs and age do not.
     */
    public Answer decideService(CustomerHistory h, SuppressionList suppressions, String brand, Channel channel,
                                Instant t, String requestAddressHash) {
        Situation s = situation(h, h.profileAt(t), suppressions, brand, channel, t, requestAddressHash);
        if (s.erased != null) {
            return s.erased;
        }
        if (s.suppressed != null) {
            return s.suppressed;
        }
        return Answer.yes(Reason.SERVICE, null);
    }

    /** The customer's local zone at t: their own timezone, else the jurisdiction's default. */
    public ZoneId zoneOf(Profile p) {
        if (p.timezone() != null) {
            try {
                return ZoneId.of(p.timezone());
            } catch (RuntimeException e) {
                // validated on the way in; an unusable stored value falls back to the jurisdiction's zone
            }
        }
        return config.rulesFor(p.country()).timezone();
    }

    private record Situation(Answer erased, Profile profile, boolean minor, ChannelRule rule, Coverage coverage,
                             boolean grantInEffect, ConsentFact confirmation, Answer suppressed) {
    }

    private Situation situation(CustomerHistory h, Profile p, SuppressionList suppressions, String brand,
                                Channel channel, Instant t, String requestAddressHash) {
        if (h.erasedAt != null && !h.hasFactAtOrBefore(t)) {
            Answer erased = Answer.no(Reason.ERASED,
                    Evidence.of(FactType.ERASURE, h.erasureEventId, null, h.erasedAt));
            return new Situation(erased, Profile.EMPTY, false, null, null, false, null, null);
        }
        JurisdictionRules j = config.rulesFor(p.country());
        boolean minor = p.birthDate() != null && age(p.birthDate(), t, zoneOf(p)) < j.minimumAge();
        ChannelRule rule = j.channel(channel);
        Coverage c = Coverage.of(h, brand, channel, t);
        ConsentFact newest = c.newestUnsubscribe() == null ? c.newestConsent() : null;
        boolean grant = newest != null && newest.status() == ConsentStatus.GRANTED && !newest.expiredAt(t);
        ConsentFact confirmation = null;
        if (grant && rule.model() == ContactModel.DOUBLE_OPT_IN) {
            confirmation = confirmationOf(h, newest, brand, channel, t).orElse(null);
            grant = confirmation != null;
        }
        Answer suppressed = null;
        Optional<Suppression> sup = newestSuppression(suppressions, p, channel, t, requestAddressHash);
        if (sup.isPresent() && !(grant && newest.at().isAfter(sup.get().at()))) {
            Suppression x = sup.get();
            suppressed = Answer.no(Reason.ADDRESS_SUPPRESSED, Evidence.of(FactType.SUPPRESSION, x.eventId(), x.source(), x.at()));
        }
        return new Situation(null, p, minor, rule, c, grant, confirmation, suppressed);
    }

    /** Completed years on the customer's local date at t. */
    static int age(LocalDate birthDate, Instant t, ZoneId zone) {
        LocalDate today = t.atZone(zone).toLocalDate();
        return Period.between(birthDate, today).getYears();
    }

    private static Evidence consentEvidence(ConsentFact c, ConsentFact confirmation) {
        return new Evidence(FactType.CONSENT, c.eventId(), c.source(), c.at(),
                confirmation == null ? null : confirmation.eventId());
    }

    /**
     * The CONFIRMED consent that confirms {@code grant}, if any by t: same brand value and channel, the
     * grant is the newest GRANTED before the confirmation, and no opt-out covering this brand and
     * channel lies between them. "Before" is by event time, strictly: a confirmation with the same event
     * time as the grant does not confirm it (fail closed; a real confirmation follows its grant).
     */
    private static Optional<ConsentFact> confirmationOf(CustomerHistory h, ConsentFact grant, String brand,
                                                        Channel channel, Instant t) {
        return h.consents.stream()
                .filter(c -> c.status() == ConsentStatus.CONFIRMED && c.channel() == channel
                        && c.brand().equals(grant.brand()) && !c.at().isAfter(t) && c.at().isAfter(grant.at()))
                .filter(c -> grant.equals(newestGrantBefore(h, grant.brand(), channel, c.at()).orElse(null)))
                .filter(c -> !optOutBetween(h, brand, channel, grant.at(), c.at()))
                .min(Fact.BY_TIME_THEN_ARRIVAL);
    }

    private static Optional<ConsentFact> newestGrantBefore(CustomerHistory h, String brandValue, Channel channel,
                                                           Instant t) {
        return h.consents.stream()
                .filter(c -> c.status() == ConsentStatus.GRANTED && c.channel() == channel
                        && c.brand().equals(brandValue) && c.at().isBefore(t))
                .max(Fact.BY_TIME_THEN_ARRIVAL);
    }

    private static boolean optOutBetween(CustomerHistory h, String brand, Channel channel, Instant from, Instant to) {
        return Coverage.optOuts(h, brand, channel)
                .anyMatch(f -> !f.at().isBefore(from) && !f.at().isAfter(to));
    }

    /**
     * Soft opt-in: allowed for this jurisdiction and channel, a PLACED order for the brand less than
     * the configured period before t, and no opt-out of this brand and channel ever (since the last
     * erasure, which deleted older facts), up to t.
     */
    private Optional<OrderFact> softOptIn(CustomerHistory h, ChannelRule rule, String brand, Channel channel, Instant t) {
        if (!rule.softOptIn()) {
            return Optional.empty();
        }
        boolean optedOut = Coverage.optOuts(h, brand, channel).anyMatch(f -> !f.at().isAfter(t));
        if (optedOut) {
            return Optional.empty();
        }
        return h.orders.stream()
                .filter(o -> o.status() == OrderStatus.PLACED && o.brand().equals(brand) && !o.at().isAfter(t))
                .filter(o -> o.at().atOffset(ZoneOffset.UTC).plus(config.softOptInPeriod()).toInstant().isAfter(t))
                .max(Fact.BY_TIME_THEN_ARRIVAL);
    }

    /** The newest suppression, at or before t, of an address of this channel for this channel. */
    private static Optional<Suppression> newestSuppression(SuppressionList list, Profile p, Channel channel, Instant t,
                                                           String requestAddressHash) {
        List<String> hashes = new ArrayList<>(2);
        if (channel == Channel.EMAIL && p.emailHash() != null) {
            hashes.add(p.emailHash());
        }
        if ((channel == Channel.SMS || channel == Channel.PHONE) && p.phoneHash() != null) {
            hashes.add(p.phoneHash());
        }
        if (requestAddressHash != null) {
            hashes.add(requestAddressHash);
        }
        return hashes.stream()
                .flatMap(hash -> list.forAddress(hash).stream())
                .filter(s -> s.channels().contains(channel) && !s.at().isAfter(t))
                .max(Comparator.comparing(Suppression::at).thenComparing(Suppression::eventId));
    }
}
