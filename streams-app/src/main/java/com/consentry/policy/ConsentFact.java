package com.consentry.policy;

import java.time.Instant;

/** A consent event as kept in a customer's history. {@code brand} may be {@code *}. */
public record ConsentFact(String eventId, Instant at, long seq, String brand, Channel channel,
                          ConsentStatus status, String source, Instant expiresAt) implements Fact {

    /** True for a grant that has expired at {@code t} ({@code expiresAt} at or before t). */
    boolean expiredAt(Instant t) {
        return expiresAt != null && !expiresAt.isAfter(t);
    }
}
