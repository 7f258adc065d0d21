package com.consentry.ingest;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * The instants an input record may carry. An event time becomes the timestamp of what the service writes
 * (the published view, decisions, suppressions, reminders), and Kafka cannot carry every instant: Kafka
 * Streams refuses a negative timestamp, and a broker refuses one further ahead of its clock than
 * {@code log.message.timestamp.after.max.ms} (1 hour by default). Such a write fails, the stream thread is
 * replaced and the same record is retried forever, so one record would stop its partition for good. It is
 * refused here instead, and dead-lettered with the reason.
 *
 * <p>An event time must be
 * <ul>
 *   <li>at or after 1970-01-01T00:00:00Z;</li>
 *   <li>at or before {@code latest} ({@value #MAX_EVENT_TIME_KEY}), and so must the record's timestamp;</li>
 *   <li>at most {@code maxFuture} ({@value #MAX_FUTURE_KEY}) after the record's timestamp: the broker accepted
 *       that timestamp, so an output stamped at most this much later is accepted too, as long as
 *       {@code maxFuture} stays below the broker's {@code log.message.timestamp.after.max.ms}.</li>
 * </ul>
 * The rules compare with the record's own timestamp and fixed bounds, never with the wall clock, so every
 * replay of the same topics dead-letters the same records. Instants that are not event times (a consent's
 * {@code expiresAt}) and dates ({@code birthDate}) only need to lie in the years 1 to 9999, far inside what
 * the Avro types and the policy's date arithmetic can carry.
 *
 * @param maxFuture how far an event time may be ahead of its record's timestamp
 * @param latest    the latest event time, and record timestamp, accepted
 */
public record EventTimeRules(Duration maxFuture, Instant latest) {
    public static final String MAX_FUTURE_KEY = "consentry.ingest.max-future";
    public static final String MAX_EVENT_TIME_KEY = "consentry.ingest.max-event-time";
    public static final Instant EARLIEST = Instant.EPOCH;
    public static final Instant LAST_INSTANT = Instant.parse("9999-12-31T23:59:59.999Z");
    public static final EventTimeRules DEFAULTS = new EventTimeRules(Duration.ofMinutes(15),
            Instant.parse("2100-01-01T00:00:00Z"));
    static final Instant FIRST_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
    static final LocalDate FIRST_DATE = LocalDate.of(1, 1, 1);
    static final LocalDate LAST_DATE = LocalDate.of(9999, 12, 31);

    public EventTimeRules {
        Objects.requireNonNull(maxFuture, "maxFuture");
        Objects.requireNonNull(latest, "latest");
        if (maxFuture.isNegative()) {
            throw new IllegalArgumentException("setting " + MAX_FUTURE_KEY + "=" + maxFuture + " must not be negative");
        }
        if (!latest.isAfter(EARLIEST) || latest.isAfter(LAST_INSTANT)) {
            throw new IllegalArgumentException("setting " + MAX_EVENT_TIME_KEY + "=" + latest + " must be after "
                    + EARLIEST + " and at or before " + LAST_INSTANT);
        }
    }

    /** An event time the service can carry, whatever its record: from 1970 to {@code latest}. */
    public void checkAt(Instant at) {
        if (at.isBefore(EARLIEST)) {
            throw new InvalidEventException("at: " + at + " is before " + EARLIEST
                    + " (Kafka cannot carry it as a timestamp)");
        }
        if (at.isAfter(latest)) {
            throw new InvalidEventException("at: " + at + " is after " + latest + " (" + MAX_EVENT_TIME_KEY + ")");
        }
    }

    /** An event time checked against the timestamp of the record that carries it. */
    void check(Instant at, Instant recordTime) {
        checkAt(at);
        if (recordTime.isAfter(latest)) {
            throw new InvalidEventException("timestamp: the record's timestamp " + recordTime + " is after " + latest
                    + " (" + MAX_EVENT_TIME_KEY + ")");
        }
        if (Duration.between(recordTime, at).compareTo(maxFuture) > 0) {
            throw new InvalidEventException("at: " + at + " is more than " + maxFuture + " after the record's timestamp "
                    + recordTime + " (" + MAX_FUTURE_KEY + ")");
        }
    }

    /** True when a record timestamp can be written again as it is (e.g. on the record's dead letter). */
    public boolean carries(long timestampMillis) {
        return timestampMillis >= 0 && timestampMillis <= latest.toEpochMilli();
    }

    /** An instant that is not an event time (a consent's expiry): null, or in the years 1 to 9999. */
    static Instant inRange(String field, Instant value) {
        if (value != null && !inYears1To9999(value)) {
            throw new InvalidEventException(outOfRange(field, value));
        }
        return value;
    }

    /** Whether {@code t} lies in the years 1 to 9999 (UTC), where every date computation of the policy holds. */
    public static boolean inYears1To9999(Instant t) {
        return !t.isBefore(FIRST_INSTANT) && !t.isAfter(LAST_INSTANT);
    }

    /** The message for an instant outside the years 1 to 9999. */
    public static String outOfRange(String field, Instant value) {
        return field + ": " + value + " is outside " + FIRST_INSTANT + " to " + LAST_INSTANT;
    }

    /** A date (a birth date): null, or in the years 1 to 9999. */
    static LocalDate inRange(String field, LocalDate value) {
        if (value != null && (value.isBefore(FIRST_DATE) || value.isAfter(LAST_DATE))) {
            throw new InvalidEventException(field + ": " + value + " is outside " + FIRST_DATE + " to " + LAST_DATE);
        }
        return value;
    }
}
