package com.consentry.policy;

import java.time.Instant;
import java.util.Comparator;

/** A fact about a customer: it has an event id, an event time and an arrival sequence number. */
public interface Fact {
    String eventId();

    Instant at();

    /** Arrival order within the customer's history; breaks ties between equal event times. */
    long seq();

    Comparator<Fact> BY_TIME_THEN_ARRIVAL = Comparator.comparing(Fact::at).thenComparingLong(Fact::seq);
}
