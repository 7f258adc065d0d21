package com.consentry.simulate;

import com.consentry.ingest.Inbound;
import com.consentry.policy.Channel;

import org.apache.avro.specific.SpecificRecord;

import java.time.Instant;

/** One usable input line: an event to publish, a query, or a clock tick. */
public sealed interface ParsedLine {
    int line();

    Instant at();

    /** An event for an input topic: its Avro value, and the validated form (for its key). */
    record Event(int line, Instant at, String topic, SpecificRecord avro, Inbound inbound) implements ParsedLine {
    }

    record Query(int line, Instant at, String customerId, String brand, Channel channel) implements ParsedLine {
    }

    record Clock(int line, Instant at) implements ParsedLine {
    }
}
