package com.consentry.topology;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * How far the wall clock may fire due reminders and sweeps of one task. It fires only once the task has
 * seen no record for {@code idleGrace}, never while its inputs hold records it has not fetched yet
 * ({@link InputBacklog}), and never further than {@code maxLead} ahead of the newest event time the task
 * has seen: a stall of the data (a producer or broker outage, or a history being replayed)
 * must not let it decide a reminder before the records that would have closed the cart (issue 12: a cart
 * reminder approved after its {@code CHECKED_OUT}, which was only delayed). A due time beyond the bound is
 * held back until records move the task's event time on; each such hold is logged once, as
 * {@code wall-clock-held}.
 */
final class WallClockFiring {
    static final String MAX_LEAD_KEY = "consentry.punctuate.max-lead";
    private static final Logger LOG = LoggerFactory.getLogger(WallClockFiring.class);
    private final Duration idleGrace;
    private final Duration maxLead;
    /** The held due time last logged, so that a hold is logged once, not at every punctuation. */
    private Instant loggedHeld;
    /** True once a firing held back because the task was behind was logged, until the wall clock fires again. */
    private boolean loggedBehind;

    /**
     * @param maxLead how far ahead of the newest event time the wall clock may fire; null for no bound (in
     *                {@code simulate}, whose wall clock is its input's clock)
     */
    WallClockFiring(Duration idleGrace, Duration maxLead) {
        this.idleGrace = idleGrace;
        this.maxLead = maxLead;
    }

    /**
     * The instant up to which the wall clock fires at {@code nowMs}, or null when it does not fire: records
     * flowed within the idle grace, or the task's inputs hold records it has not fetched yet.
     *
     * @param newestEventMs the newest event time the task has seen
     * @param behind        asked only once the idle grace has passed: true when the task's inputs hold records
     *                      not yet fetched (a consumer that cannot keep up, or a broker that serves slowly)
     */
    Instant until(long nowMs, long lastRecordWallMs, long newestEventMs, BooleanSupplier behind) {
        if (nowMs - lastRecordWallMs < idleGrace.toMillis()) {
            return null;
        }
        if (behind.getAsBoolean()) {
            if (!loggedBehind) {
                loggedBehind = true;
                LOG.info("wall-clock-held reason=\"the task's input partitions hold records it has not read yet: the wall "
                        + "clock fires nothing until it has read them\" newest-event-time={}", Instant.ofEpochMilli(newestEventMs));
            }
            return null;
        }
        loggedBehind = false;
        if (maxLead == null) {
            return Instant.ofEpochMilli(nowMs);
        }
        long bound;
        try {
            bound = Math.addExact(newestEventMs, maxLead.toMillis());
        } catch (ArithmeticException e) {
            bound = Long.MAX_VALUE;
        }
        // a task that has seen no event time yet (-1) fires nothing before 1970
        return bound < 0 ? null : Instant.ofEpochMilli(Math.min(nowMs, bound));
    }

    /**
     * After a firing up to {@code until}: logs the next pending due time when the wall clock has passed it
     * but the bound held it back (once per held due time).
     */
    void reportHeld(String task, long nowMs, Instant until, Instant nextDue, long newestEventMs) {
        if (nextDue == null || nextDue.toEpochMilli() > nowMs || !nextDue.isAfter(until) || nextDue.equals(loggedHeld)) {
            return;
        }
        loggedHeld = nextDue;
        LOG.info("wall-clock-held task={} next-due={} newest-event-time={} max-lead={} reason=\"the task's newest event "
                        + "time is more than {} behind the due time: held until records move it on\"", task, nextDue,
                Instant.ofEpochMilli(newestEventMs), maxLead, MAX_LEAD_KEY);
    }
}
