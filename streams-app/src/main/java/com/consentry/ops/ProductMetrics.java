package com.consentry.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * The product's own Prometheus series, counted from what the service publishes (see
 * {@link OutputTopicsMonitor}): decisions, cart reminders, dead letters and time-to-honour.
 */
public final class ProductMetrics {
    public static final String DECISIONS = "consentry.decisions";
    public static final String REMINDERS = "consentry.reminders";
    public static final String DEAD_LETTERS = "consentry.dead.letters";
    public static final String TIME_TO_HONOUR = "consentry.time.to.honour";

    static final String TIME_TO_HONOUR_HELP = "Delay from an opt-out's event time (unsubscribe, consent WITHDRAWN or"
            + " address suppression) to the moment the eligibility it changed from eligible to not eligible is"
            + " published: measured by a read_committed consumer of customer-eligibility as its receive wall clock"
            + " minus the evidence eventTime of the newly ineligible rows, one observation per opt-out event";

    private static final Duration[] HONOUR_BUCKETS = {
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
            Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(6),
            Duration.ofDays(1), Duration.ofDays(10)};

    private final MeterRegistry registry;
    private final Timer timeToHonour;

    public ProductMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.timeToHonour = Timer.builder(TIME_TO_HONOUR)
                .description(TIME_TO_HONOUR_HELP)
                .serviceLevelObjectives(HONOUR_BUCKETS)
                .register(registry);
    }

    /** One decision of the send gate ({@code kind} CAMPAIGN or CART_REMINDER). */
    public void decision(String kind, String channel, String reason, String decision) {
        Counter.builder(DECISIONS)
                .description("Send decisions published on send-decisions, by channel, reason, decision and kind")
                .tags("channel", channel, "reason", reason, "decision", decision, "kind", kind)
                .register(registry).increment();
    }

    /** One cart reminder that came due; {@code outcome} is APPROVED or SUPPRESSED. */
    public void reminder(String outcome) {
        Counter.builder(REMINDERS)
                .description("Cart reminders that came due, by outcome (APPROVED or SUPPRESSED)")
                .tags("outcome", outcome)
                .register(registry).increment();
    }

    /** One record sent to the dead-letter topic; {@code error} is the exception's simple class name. */
    public void deadLetter(String sourceTopic, String error) {
        Counter.builder(DEAD_LETTERS)
                .description("Records sent to consentry-dead-letter, by source topic and error class")
                .tags("topic", sourceTopic, "error", error)
                .register(registry).increment();
    }

    public void timeToHonour(Duration delay) {
        timeToHonour.record(delay.isNegative() ? Duration.ZERO : delay);
    }

    public long timeToHonourCount() {
        return timeToHonour.count();
    }
}
