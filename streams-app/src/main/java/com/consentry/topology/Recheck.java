package com.consentry.topology;

import java.time.Instant;

/** Asks the owner of a customer to re-evaluate their view: one of their addresses was suppressed at {@code at}. */
public record Recheck(Instant at, String addressHash) {
}
