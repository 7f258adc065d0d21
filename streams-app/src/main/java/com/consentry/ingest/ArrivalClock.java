package com.consentry.ingest;

import java.time.Instant;

/**
 * The record timestamps a publisher gives its events, so that the service reads them in the order they
 * were published, across topics as within one. Kafka Streams merges the partitions of a task by record
 * timestamp, oldest first, whenever it holds records of several (a backlog, a replay, a restart): a
 * record stamped with its event time would be read before the events published ahead of it whenever it
 * arrives late. So each record is stamped with its event time, or one millisecond after the record
 * published before it when that is later: timestamps rise strictly in publishing order and are never
 * earlier than the event time (what {@link EventTimeRules} requires of a record). The service takes each
 * event's time from its value, never from this stamp. One clock per publisher, not thread-safe.
 */
public final class ArrivalClock {
    private long last = Long.MIN_VALUE;

    /** The timestamp of the next record published, whose event time is {@code at}. */
    public long stamp(Instant at) {
        long t = at.toEpochMilli();
        last = last == Long.MIN_VALUE || t > last ? t : last + 1;
        return last;
    }
}
