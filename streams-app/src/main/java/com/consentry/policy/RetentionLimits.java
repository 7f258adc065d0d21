package com.consentry.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAmount;
import java.util.Locale;

/**
 * The retention limits ({@code consentry.retention.*}).
 *
 * @param superseded   profile updates, consents and unsubscribes that no longer decide an answer: the audit horizon
 * @param orders       orders, after they can no longer create a soft opt-in
 * @param carts        cart facts and carts (contents and reminder state), after the cart's last activity
 * @param sendRequests remembered send decisions (a repeated requestId gets its first decision again)
 */
public record RetentionLimits(Limit superseded, Limit orders, Limit carts, Limit sendRequests) {
    public static final RetentionLimits OFF = new RetentionLimits(Limit.OFF, Limit.OFF, Limit.OFF, Limit.OFF);

    public boolean any() {
        return superseded.on() || orders.on() || carts.on() || sendRequests.on();
    }

    /** How long one kind of fact is held past the instant its rule counts from; {@link #OFF} holds it forever. */
    public record Limit(TemporalAmount amount) {
        public static final Limit OFF = new Limit(null);

        public boolean on() {
            return amount != null;
        }

        /** {@code t} plus the limit (a calendar amount counts in UTC). */
        public Instant after(Instant t) {
            return t.atOffset(ZoneOffset.UTC).plus(amount).toInstant();
        }

        /** {@code t} minus the limit (a calendar amount counts in UTC). */
        public Instant before(Instant t) {
            return t.atOffset(ZoneOffset.UTC).minus(amount).toInstant();
        }

        /**
         * {@code off}, an ISO-8601 period ({@code P2Y}, {@code P24M}, {@code P30D}) or duration ({@code PT12H});
         * zero or negative is refused.
         */
        public static Limit parse(String key, String value) {
            String v = value.trim();
            if (v.equalsIgnoreCase("off")) {
                return OFF;
            }
            try {
                TemporalAmount a;
                boolean positive;
                if (v.toUpperCase(Locale.ROOT).contains("T")) {
                    Duration d = Duration.parse(v);
                    positive = !d.isZero() && !d.isNegative();
                    a = d;
                } else {
                    Period p = Period.parse(v);
                    positive = !p.isNegative() && !p.isZero() && p.getYears() >= 0 && p.getMonths() >= 0 && p.getDays() >= 0;
                    a = p;
                }
                if (!positive) {
                    throw new IllegalArgumentException("setting " + key + "=" + value + " must be positive (or off)");
                }
                return new Limit(a);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("setting " + key + "=" + value
                        + " is not off or an ISO-8601 period or duration (e.g. P2Y, P30D, PT12H)");
            }
        }

        @Override
        public String toString() {
            return on() ? amount.toString() : "off";
        }
    }
}
