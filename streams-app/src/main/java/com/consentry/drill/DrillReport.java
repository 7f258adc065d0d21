package com.consentry.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** The drill's last line, and how it reads the HTTP API's answers. */
final class DrillReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DrillReport() {
    }

    /**
     * {@code drill: PASSED|FAILED kills=K/N records=R duplicates=D missing=M mismatches=X http-mismatches=H answered=P%
     * (a of q, s stale) ready-s=[...] caught-up-s=[...] repaired-s=[...] broker-restart ready-s=... caught-up-s=...
     * repaired-s=...}.
     */
    static String line(CrashDrill.Result r) {
        CrashDrill.QueryStats q = r.queries();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "drill: %s kills=%d/%d records=%d duplicates=%d missing=%d mismatches=%d http-mismatches=%d answered=%.2f%% "
                        + "(%d of %d, %d stale%s)",
                r.passed() ? "PASSED" : "FAILED", r.kills(), r.requestedKills(), r.records(), r.verdict().duplicates,
                r.verdict().missing, r.verdict().mismatches, r.verdict().httpMismatches, 100 * q.share(), q.answered(),
                q.sent(), q.stale(),
                q.failures().isEmpty() ? "" : ", unanswered " + q.failures()));
        List<Faults.Recovery> kills = r.faults().killRecoveries();
        b.append(" ready-s=").append(list(kills, Faults.Recovery::ready))
                .append(" caught-up-s=").append(list(kills, Faults.Recovery::caughtUp))
                .append(" repaired-s=").append(list(kills, Faults.Recovery::repaired));
        for (Faults.Recovery br : r.faults().brokerRecoveries()) {
            b.append(" broker-restart ready-s=").append(seconds(br.ready()))
                    .append(" caught-up-s=").append(seconds(br.caughtUp()))
                    .append(" repaired-s=").append(seconds(br.repaired()));
        }
        return b.toString();
    }

    private static String list(List<Faults.Recovery> rs, ToDoubleFunction<Faults.Recovery> figure) {
        return rs.stream().map(x -> seconds(figure.applyAsDouble(x))).collect(Collectors.joining(",", "[", "]"));
    }

    /** Seconds with one decimal, or {@code never} for -1. */
    static String seconds(double s) {
        return s < 0 ? "never" : String.format(Locale.ROOT, "%.1f", s);
    }

    /** {@code eligible/reason} per {@code brand/channel} of a {@code GET /v1/eligibility/{customerId}} body. */
    static Map<String, String> rows(String body) throws IOException {
        Map<String, String> rows = new TreeMap<>();
        for (JsonNode row : JSON.readTree(body).path("rows")) {
            rows.put(row.get("brand").asText() + "/" + row.get("channel").asText(),
                    row.get("eligible").asBoolean() + "/" + row.get("reason").asText());
        }
        return rows;
    }
}
