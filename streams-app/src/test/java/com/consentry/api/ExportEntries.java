package com.consentry.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on the entries of a subject access export ({@link CustomerExport}). */
public final class ExportEntries {
    private ExportEntries() {
    }

    /** The entry carries this eventId, source and event time (null: the field is there, as JSON null). */
    public static void assertEntry(JsonNode n, String eventId, String source, Instant eventTime) {
        List<String> want = new ArrayList<>();
        for (Object v : new Object[] {eventId, source, eventTime}) {
            want.add(v == null ? "null" : v.toString());
        }
        assertThat(List.of(text(n, "eventId"), text(n, "source"), text(n, "eventTime"))).as(n.toString())
                .isEqualTo(want);
    }

    /** The one element of {@code array}; fails when it has another number of elements. */
    public static JsonNode only(JsonNode array) {
        assertThat(array).hasSize(1);
        return array.get(0);
    }

    private static String text(JsonNode n, String field) {
        assertThat(n.has(field)).as(field + " in " + n).isTrue();
        return n.get(field).isNull() ? "null" : n.get(field).asText();
    }
}
