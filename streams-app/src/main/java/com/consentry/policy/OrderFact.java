package com.consentry.policy;

import java.time.Instant;

/** An order event as kept in a customer's history: the basis of soft opt-in. */
public record OrderFact(String eventId, Instant at, long seq, String orderId, String brand,
                        OrderStatus status, String cartId) implements Fact {
}
