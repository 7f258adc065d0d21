package com.consentry.simulate;

import com.consentry.config.AppConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code simulate} takes the service's retention settings ({@code consentry.retention.*}): with a one-day limit
 * for remembered send decisions, a requestId repeated two days later is decided afresh, where the defaults
 * (every limit off) give it its first decision again; and a query before the customer's horizon gets no answer but a
 * dead-letter line with the reason, as the HTTP API's 422.
 */
class SimulateRetentionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> LINES = List.of(
            "{\"type\":\"customer\",\"at\":\"2026-03-01T09:00:00Z\",\"customerId\":\"c1\",\"eventType\":\"UPSERT\",\"country\":\"GB\"}",
            "{\"type\":\"consent\",\"at\":\"2026-03-01T10:00:00Z\",\"customerId\":\"c1\",\"brand\":\"MR PORTER\",\"channel\":\"EMAIL\",\"status\":\"GRANTED\",\"source\":\"CHECKOUT\"}",
            "{\"type\":\"send\",\"at\":\"2026-03-01T11:00:00Z\",\"requestId\":\"r1\",\"campaignId\":\"spring\",\"customerId\":\"c1\",\"brand\":\"MR PORTER\",\"channel\":\"EMAIL\",\"purpose\":\"MARKETING\"}",
            "{\"type\":\"consent\",\"at\":\"2026-03-02T10:00:00Z\",\"customerId\":\"c1\",\"brand\":\"MR PORTER\",\"channel\":\"EMAIL\",\"status\":\"GRANTED\",\"source\":\"PREFERENCE_CENTER\"}",
            "{\"type\":\"send\",\"at\":\"2026-03-03T11:00:00Z\",\"requestId\":\"r1\",\"campaignId\":\"spring\",\"customerId\":\"c1\",\"brand\":\"MR PORTER\",\"channel\":\"EMAIL\",\"purpose\":\"MARKETING\"}",
            "{\"type\":\"query\",\"at\":\"2026-03-01T12:00:00Z\",\"customerId\":\"c1\",\"brand\":\"MR PORTER\",\"channel\":\"EMAIL\"}");

    @Test
    void withTheDefaultsARepeatedRequestGetsItsFirstDecisionAndEveryQueryIsAnswered() {
        List<JsonNode> out = simulate(Map.of());
        assertThat(decidedAt(out)).containsExactly("2026-03-01T11:00:00Z", "2026-03-01T11:00:00Z");
        assertThat(out).filteredOn(n -> n.path("type").asText().equals("answer")).hasSize(1);
    }

    @Test
    void withShortLimitsTheForgottenRequestIsDecidedAfreshAndAQueryBeforeTheHorizonIsRefused() {
        List<JsonNode> out = simulate(Map.of("consentry.retention.send-requests", "P1D",
                "consentry.retention.superseded", "PT12H"));
        assertThat(decidedAt(out)).containsExactly("2026-03-01T11:00:00Z", "2026-03-03T11:00:00Z");
        assertThat(out).filteredOn(n -> n.path("type").asText().equals("answer")).isEmpty();
        assertThat(out).filteredOn(n -> n.path("type").asText().equals("dead-letter")).singleElement()
                .satisfies(n -> assertThat(n.path("error").asText()).startsWith("history before 2026-03-02T")
                        .contains("is no longer held"));
    }

    private static List<String> decidedAt(List<JsonNode> out) {
        return out.stream().filter(n -> n.path("type").asText().equals("decision")).map(n -> n.path("at").asText())
                .toList();
    }

    private static List<JsonNode> simulate(Map<String, String> settings) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             Simulator sim = new Simulator(AppConfig.of(settings), print)) {
            int n = 0;
            for (String line : LINES) {
                sim.accept(line, ++n);
            }
        }
        List<JsonNode> out = new ArrayList<>();
        for (String l : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            try {
                out.add(JSON.readTree(l));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(l, e);
            }
        }
        return out;
    }
}
