package com.consentry.policy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * When a customer's answers can next change by the passing of time alone. The answers of
 * {@link EligibilityPolicy#decide} depend on t only through: a consent's {@code expiresAt}, a PLACED
 * order leaving the soft opt-in period, the customer's age on their local date, a suppression's event
 * time, and facts whose event time is after t. Between two such instants every answer is constant, so
 * a sweep needs to re-evaluate only the customers with an instant at or before it.
 */
public final class TimeDrivenChanges {
    private final EligibilityPolicy policy;

    public TimeDrivenChanges(EligibilityPolicy policy) {
        this.policy = policy;
    }

    /** The first instant after {@code t} at which an answer of this customer may change, or null when none. */
    public Instant nextAfter(CustomerHistory h, SuppressionList suppressions, Instant t) {
        Next next = new Next(t);
        for (ProfileUpdate p : h.profile) {
            next.offer(p.at());
        }
        for (ConsentFact c : h.consents) {
            next.offer(c.at());
            next.offer(c.expiresAt());
        }
        for (UnsubscribeFact u : h.unsubscribes) {
            next.offer(u.at());
        }
        for (OrderFact o : h.orders) {
            next.offer(o.at());
            if (o.status() == OrderStatus.PLACED) {
                next.offer(o.at().atOffset(ZoneOffset.UTC).plus(policy.config().softOptInPeriod()).toInstant());
            }
        }
        for (CartFact c : h.carts) {
            next.offer(c.at());
        }
        Profile p = h.profileAt(t);
        if (p.birthDate() != null) {
            ZoneId zone = policy.zoneOf(p);
            // the local date of the birthday that ends minority; a 29 February birthday ends it on 1 March
            LocalDate ofAge = p.birthDate().plusYears(policy.config().rulesFor(p.country()).minimumAge());
            next.offer(ofAge.atStartOfDay(zone).toInstant());
            if (ofAge.getDayOfMonth() != p.birthDate().getDayOfMonth()) {
                next.offer(ofAge.plusDays(1).atStartOfDay(zone).toInstant());
            }
        }
        offerSuppressions(next, suppressions, p.emailHash());
        offerSuppressions(next, suppressions, p.phoneHash());
        return next.earliest;
    }

    private static void offerSuppressions(Next next, SuppressionList suppressions, String hash) {
        if (hash != null) {
            for (Suppression s : suppressions.forAddress(hash)) {
                next.offer(s.at());
            }
        }
    }

    /** The earliest instant offered that is after {@code after}. */
    private static final class Next {
        private final Instant after;
        private Instant earliest;

        Next(Instant after) {
            this.after = after;
        }

        void offer(Instant candidate) {
            if (candidate != null && candidate.isAfter(after) && (earliest == null || candidate.isBefore(earliest))) {
                earliest = candidate;
            }
        }
    }
}
