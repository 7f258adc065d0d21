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

    /**
     * An ISO-8601 instant with an offset, in the years 1 to 9999 (further out, a customer's local date does
     * not exist); a '+' that arrived as a space (unencoded query) is put back.
     */
    static Instant at(String raw, Instant now) {
        if (raw == null) {
            return now;
        }
        String s = raw.trim().replace(' ', '+');
        Instant at;
        try {
            at = OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("at: '" + raw + "' is not an ISO-8601 instant (e.g. 2026-03-01T10:00:00Z)");
        }
        if (!EventTimeRules.inYears1To9999(at)) {
            throw ApiException.badRequest(EventTimeRules.outOfRange("at", at));
        }
        return at;
    }
}
