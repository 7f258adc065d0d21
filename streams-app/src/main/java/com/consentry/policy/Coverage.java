package com.consentry.policy;

import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The newest fact, by event time, that covers one brand and channel at t: consents for the brand or
 * {@code *}, and unsubscribes for the brand or {@code *} with the channel or no channel. On equal event
 * times an unsubscribe beats a WITHDRAWN, which beats a GRANTED; among equals the last to arrive wins.
 * Exactly one of the two fields is set, or neither when no fact covers the pair.
 */
record Coverage(ConsentFact newestConsent, UnsubscribeFact newestUnsubscribe) {

    private static final Comparator<Fact> PRECEDENCE = Comparator.comparing(Fact::at)
            .thenComparingInt(Coverage::rank)
            .thenComparingLong(Fact::seq);

    static Coverage of(CustomerHistory h, String brand, Channel channel, Instant t) {
        Fact newest = Stream.concat(
                        h.consents.stream().filter(c -> c.status() != ConsentStatus.CONFIRMED
                                && c.channel() == channel && Brands.covers(c.brand(), brand)),
                        h.unsubscribes.stream().filter(u -> u.covers(brand, channel)))
                .filter(f -> !f.at().isAfter(t))
                .max(PRECEDENCE)
                .orElse(null);
        if (newest instanceof UnsubscribeFact u) {
            return new Coverage(null, u);
        }
        return new Coverage((ConsentFact) newest, null);
    }

    /** Unsubscribes and WITHDRAWN consents that cover the brand and channel, at any time. */
    static Stream<Fact> optOuts(CustomerHistory h, String brand, Channel channel) {
        return Stream.concat(
                h.unsubscribes.stream().filter(u -> u.covers(brand, channel)),
                h.consents.stream().filter(c -> c.status() == ConsentStatus.WITHDRAWN
                        && c.channel() == channel && Brands.covers(c.brand(), brand)));
    }

    private static int rank(Fact f) {
        if (f instanceof UnsubscribeFact) {
            return 2;
        }
        return ((ConsentFact) f).status() == ConsentStatus.WITHDRAWN ? 1 : 0;
    }
}
