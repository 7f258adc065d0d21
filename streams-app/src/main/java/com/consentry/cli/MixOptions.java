package com.consentry.cli;

import com.consentry.bench.EventMix;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/** The event-mix options shared by {@code bench generate} and {@code bench pipeline}. */
final class MixOptions {
    static final long DEFAULT_SEED = 1;

    private MixOptions() {
    }

    /**
     * {@code --customers N --hours H [--seed S] [--start ISO]}; without {@code --start}, the span starts
     * at {@code defaultStart} applied to the span.
     */
    static EventMix.Settings parse(Args args, Integer defaultCustomers, Double defaultHours,
                                   Function<Duration, Instant> defaultStart) throws Args.UsageException {
        int customers = defaultCustomers == null ? requiredInt(args, "customers") : args.intOption("customers", defaultCustomers);
        String hoursText = defaultHours == null ? args.required("hours") : args.option("hours");
        double hours = hoursText == null ? defaultHours : number("hours", hoursText);
        String seed = args.option("seed");
        String start = args.option("start");
        if (customers < 1) {
            throw new Args.UsageException("--customers must be at least 1");
        }
        if (hours * 60 < 1) {
            throw new Args.UsageException("--hours must be at least a minute (1/60), got " + hoursText);
        }
        Duration span = Duration.ofSeconds(Math.round(hours * 3600));
        long s;
        try {
            s = seed == null ? DEFAULT_SEED : Long.parseLong(seed);
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--seed expects a whole number, got '" + seed + "'");
        }
        Instant from;
        try {
            from = start == null ? defaultStart.apply(span) : OffsetDateTime.parse(start).toInstant();
        } catch (DateTimeParseException e) {
            throw new Args.UsageException("--start expects an ISO-8601 instant (e.g. 2026-03-01T00:00:00Z), got '"
                    + start + "'");
        }
        if (from.getNano() != 0) {
            throw new Args.UsageException("--start must be a whole second, got " + start);
        }
        return new EventMix.Settings(customers, span, s, from);
    }

    private static int requiredInt(Args args, String name) throws Args.UsageException {
        args.required(name);
        return args.intOption(name, 0);
    }

    private static double number(String name, String text) throws Args.UsageException {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--" + name + " expects a number, got '" + text + "'");
        }
    }
}
