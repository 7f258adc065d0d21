package com.consentry.policy;

import java.time.Instant;

/** A request to send one message, decided at its event time {@code at}. */
public record SendRequest(String requestId, String brand, Channel channel, Purpose purpose, Instant at,
                          String addressHash) {
}
