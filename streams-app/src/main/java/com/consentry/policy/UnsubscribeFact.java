package com.consentry.policy;

import java.time.Instant;

/**
 * A customer's unsubscribe as kept in their history. {@code brand} may be {@code *}; a null
 * {@code channel} covers every channel. The address, when the event named one, is kept as its keyed
 * hash only.
 */
public record UnsubscribeFact(String eventId, Instant at, long seq, String brand, Channel channel,
                              UnsubscribeSource source, String addressHash) implements Fact {

    boolean covers(String concreteBrand, Channel ch) {
        return Brands.covers(brand, concreteBrand) && (channel == null || channel == ch);
    }
}
