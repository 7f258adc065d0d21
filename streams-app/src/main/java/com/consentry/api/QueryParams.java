package com.consentry.api;

import com.consentry.ingest.EventTimeRules;
import com.consentry.policy.Brands;
import com.consentry.policy.Channel;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Validation of the query API's path and query parameters; every failure is a 400 naming the field. */
final class QueryParams {
    private static final String CHANNELS = Arrays.stream(Channel.values()).map(Enum::name)
            .collect(Collectors.joining(", "));

    private QueryParams() {
    }

    static String customerId(String raw) {
        if (raw == null || raw.isBlank()) {
            throw ApiException.badRequest("customerId: missing");
        }
        return raw;
    }

    static String brand(String raw) {
        if (raw == null || raw.isBlank()) {
            throw ApiException.badRequest("brand: missing");
        }
        if (Brands.ALL.equals(raw.trim())) {
            throw ApiException.badRequest("brand: '*' is not allowed here, a concrete brand is needed");
        }
        return raw;
    }

    static Channel channel(String raw) {
        try {
            return Channel.valueOf(raw);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiException.badRequest("channel: unknown value '" + raw + "' (one of " + CHANNELS + ")");
        }
    }

    /** {@code ?at=}: see {@link #instant}; absent means {@code now}. */
    static Instant at(String raw, Instant now) {
        return instant("at", raw, now);
    }

    /**
     * An ISO-8601 instant with an offset, in the years 1 to 9999 (further out, a customer's local date does
     * not exist); a '+' that arrived as a space (unencoded query) is put back. Absent: {@code dflt}.
     */
    static Instant instant(String name, String raw, Instant dflt) {
        if (raw == null) {
            return dflt;
        }
        String s = raw.trim().replace(' ', '+');
        Instant at;
        try {
            at = OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + ": '" + raw + "' is not an ISO-8601 instant (e.g. 2026-03-01T10:00:00Z)");
        }
        if (!EventTimeRules.inYears1To9999(at)) {
            throw ApiException.badRequest(EventTimeRules.outOfRange(name, at));
        }
        return at;
    }

    /** {@code ?from=&to=} of {@code /history}: from defaults to the epoch, to to {@code now}; from after to is a 400. */
    record Window(Instant from, Instant to) {
    }

    static Window window(String rawFrom, String rawTo, Instant now) {
        Instant to = instant("to", rawTo, now);
        Instant from = instant("from", rawFrom, Instant.EPOCH);
        if (from.isAfter(to)) {
            throw ApiException.badRequest("from: " + from + " is after to " + to
                    + (rawTo == null ? " (to defaults to now)" : ""));
        }
        return new Window(from, to);
    }

    /**
     * {@code X-Consentry-Requester} of an export: who asks, for the log. A short name or ticket reference
     * (letters first, then letters, digits, {@code . _ : -}); anything else, such as an email address,
     * is refused so that the log never carries one. Absent: {@code unnamed}.
     */
    static String requester(String raw) {
        if (raw == null || raw.isBlank()) {
            return "unnamed";
        }
        String s = raw.trim();
        if (!s.matches("[A-Za-z][A-Za-z0-9._:-]{0,63}")) {
            throw ApiException.badRequest("X-Consentry-Requester: a name or ticket reference of at most 64 letters, "
                    + "digits and . _ : - starting with a letter (no email address or phone number)");
        }
        return s;
    }
}
