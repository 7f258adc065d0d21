package com.consentry.policy;

import java.time.Instant;
import java.util.Set;

/**
 * One entry of the suppression list: the keyed hash of a normalised address, the channels it is
 * suppressed for, since when, and the event that suppressed it; {@code origin}, when known, where the
 * unsubscribe record that made it sits in its topic (the policy never reads it: it tells the service
 * whether the entry was acknowledged before a decision was taken).
 */
public record Suppression(String addressHash, Set<Channel> channels, Instant at, String eventId, String source,
                          Origin origin) {

    /** An entry whose origin is not known, or not an unsubscribe record. */
    public Suppression(String addressHash, Set<Channel> channels, Instant at, String eventId, String source) {
        this(addressHash, channels, at, eventId, source, null);
    }

    /** The same entry, made by the record at {@code offset} of {@code partition} of the unsubscribe topic. */
    public Suppression withOrigin(Origin origin) {
        return new Suppression(addressHash, channels, at, eventId, source, origin);
    }

    /** Partition and offset of the unsubscribe record that made an entry. */
    public record Origin(int partition, long offset) {
    }
}
