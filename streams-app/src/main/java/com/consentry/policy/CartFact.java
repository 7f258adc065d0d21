package com.consentry.policy;

import java.time.Instant;

/**
 * That a cart event happened: it names a brand and starts a fresh history after an erasure. Cart
 * contents live with the cart reminders, not here.
 */
public record CartFact(String eventId, Instant at, long seq, String brand) implements Fact {
}
