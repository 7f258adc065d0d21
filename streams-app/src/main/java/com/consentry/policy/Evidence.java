package com.consentry.policy;

import java.time.Instant;

/**
 * The fact an answer rests on, so that the retailer can demonstrate consent (GDPR Art. 7(1)).
 * {@code confirmationEventId} names the CONFIRMED consent of a double opt-in.
 */
public record Evidence(FactType type, String eventId, String source, Instant at, String confirmationEventId) {

    static Evidence of(FactType type, String eventId, String source, Instant at) {
        return new Evidence(type, eventId, source, at, null);
    }
}
