package com.consentry.policy;

import java.time.Instant;
import java.util.Set;

/**
 * One entry of the suppression list: the keyed hash of a normalised address, the channels it is
 * suppressed for, since when, and the event that suppressed it.
 */
public record Suppression(String addressHash, Set<Channel> channels, Instant at, String eventId, String source) {
}
