package com.consentry.e2e;

import com.consentry.cli.ServiceRunner;
import com.consentry.config.AppConfig;
import com.consentry.service.EventPublisher;
import com.consentry.simulate.LineParser;
import com.consentry.simulate.ParsedLine;
import com.consentry.topology.Topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention over a real broker and registry: a customer's history of two months ago, then an event of
 * another customer two months later moves the task's time, and the sweep's purge removes the superseded
 * consent and profile update, the checked-out cart and the remembered send decision. Every answer of the
 * customer from the horizon on, and their published view, is what it was before; {@code ?at=} and
 * {@code /history} before the horizon answer 422; the export states the horizon and holds only what is left.
 */
class RetentionIT extends WithLocalCluster {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Instant T0 = Instant.parse("2025-06-02T00:00:00Z");

    private static Instant day(double days) {
        return T0.plus(Duration.ofMinutes(Math.round(days * 24 * 60)));
    }

    @Test
    void thePurgeRemovesOldFactsWithEveryCurrentAnswerUnchangedAndRefusesAnswersBeforeTheHorizon() throws Exception {
        String prefix = LocalCluster.uniquePrefix();
        AppConfig config = cluster.config(prefix, Files.createDirectories(temp.resolve(prefix)), Map.of(
                // one partition: the other customer's event moves the time of c1's task
                "consentry.topics.partitions", "1",
                "consentry.retention.superseded", "P30D",
                "consentry.retention.carts", "P7D",
                "consentry.retention.send-requests", "P7D"));
        Topics topics = config.topics();
        LineParser parser = new LineParser(topics);
        String app = config.get("consentry.application.id");
        try (ServiceRunner service = ServiceRunner.start(config);
             EventPublisher publisher = new EventPublisher(config, cluster.registryClient)) {
            int n = 0;
            for (String line : List.of(
                    "{\"type\":\"customer\",\"at\":\"" + day(0) + "\",\"eventId\":\"p1\",\"customerId\":\"c1\","
                            + "\"eventType\":\"UPSERT\",\"country\":\"GB\",\"email\":\"old@example.com\"}",
                    consent("g1", day(0.1), "GRANTED"),
                    consent("w1", day(0.2), "WITHDRAWN"),
                    "{\"type\":\"order\",\"at\":\"" + day(0.3) + "\",\"eventId\":\"o1\",\"customerId\":\"c1\","
                            + "\"orderId\":\"order-1\",\"brand\":\"MR PORTER\",\"status\":\"PLACED\"}",
                    "{\"type\":\"cart\",\"at\":\"" + day(0.4) + "\",\"eventId\":\"k1\",\"cartId\":\"cart-1\","
                            + "\"customerId\":\"c1\",\"brand\":\"MR PORTER\",\"action\":\"ITEM_ADDED\",\"sku\":\"s\",\"quantity\":1}",
                    "{\"type\":\"cart\",\"at\":\"" + day(0.5) + "\",\"eventId\":\"k2\",\"cartId\":\"cart-1\","
                            + "\"customerId\":\"c1\",\"brand\":\"MR PORTER\",\"action\":\"CHECKED_OUT\"}",
                    "{\"type\":\"send\",\"at\":\"" + day(0.6) + "\",\"eventId\":\"s1\",\"requestId\":\"r1\","
                            + "\"campaignId\":\"spring\",\"customerId\":\"c1\",\"brand\":\"MR PORTER\",\"channel\":\"EMAIL\","
                            + "\"purpose\":\"MARKETING\"}",
                    "{\"type\":\"customer\",\"at\":\"" + day(1) + "\",\"eventId\":\"p2\",\"customerId\":\"c1\","
                            + "\"eventType\":\"UPSERT\",\"country\":\"GB\",\"email\":\"new@example.com\"}",
                    consent("g2", day(2), "GRANTED"))) {
                publisher.publish((ParsedLine.Event) parser.parse(line, ++n)).get();
            }
            cluster.awaitCaughtUp(app, topics, Duration.ofSeconds(60));
            JsonNode exportBefore = get(service, "/v1/customers/c1/export", 200);
            assertThat(exportBefore.path("retentionHorizon").isNull()).isTrue();
            assertThat(exportBefore.path("consents")).hasSize(3);
            Map<String, JsonNode> before = answers(service);
            JsonNode viewBefore = get(service, "/v1/eligibility/c1", 200);

            publisher.publish((ParsedLine.Event) parser.parse("{\"type\":\"consent\",\"at\":\"" + day(60)
                    + "\",\"eventId\":\"other\",\"customerId\":\"c2\",\"brand\":\"NET-A-PORTER\",\"channel\":\"SMS\","
                    + "\"status\":\"GRANTED\",\"source\":\"CHECKOUT\"}", ++n)).get();
            cluster.awaitCaughtUp(app, topics, Duration.ofSeconds(60));
            Instant horizon = day(30);
            LocalCluster.await(Duration.ofSeconds(60), "the purge", () ->
                    horizon.toString().equals(getQuietly(service, "/v1/customers/c1/export").path("retentionHorizon").asText()));

            JsonNode x = get(service, "/v1/customers/c1/export", 200);
            assertThat(x.path("consents")).extracting(c -> c.path("eventId").asText()).containsExactly("w1", "g2");
            assertThat(x.path("profileUpdates")).extracting(c -> c.path("eventId").asText()).containsExactly("p2");
            assertThat(x.path("orders")).hasSize(1);
            assertThat(x.path("carts")).isEmpty();
            assertThat(x.path("sendDecisions")).isEmpty();
            assertThat(answers(service)).as("every answer from the horizon on, with its evidence").isEqualTo(before);
            JsonNode view = get(service, "/v1/eligibility/c1", 200);
            assertThat(view.path("rows")).as("the published view's rows").isEqualTo(viewBefore.path("rows"));
            assertThat(view.path("viewAt").asText()).as("evaluated from the horizon on").isEqualTo(horizon.toString());
            assertThat(viewsOf(topics, "c1")).as("c1's views: none published since its last event (day 2)").isNotEmpty()
                    .allSatisfy(at -> assertThat(at).isBeforeOrEqualTo(day(2)));

            JsonNode refused = get(service, "/v1/eligibility/c1/NET-A-PORTER/EMAIL?at=" + day(10), 422);
            assertThat(refused.path("error").asText()).contains("history before " + horizon + " is no longer held");
            get(service, "/v1/eligibility/c1/NET-A-PORTER/EMAIL/history?from=" + day(29) + "&to=" + day(61), 422);
            assertThat(get(service, "/v1/eligibility/c1/NET-A-PORTER/EMAIL/history?from=" + horizon + "&to=" + day(61), 200)
                    .path("changes")).isNotEmpty();
        }
    }

    private static String consent(String eventId, Instant at, String status) {
        return "{\"type\":\"consent\",\"at\":\"" + at + "\",\"eventId\":\"" + eventId + "\",\"customerId\":\"c1\","
                + "\"brand\":\"NET-A-PORTER\",\"channel\":\"EMAIL\",\"status\":\"" + status + "\",\"source\":\"CHECKOUT\"}";
    }

    /** c1's answers for every brand and channel at instants from the horizon on, and now. */
    private static Map<String, JsonNode> answers(ServiceRunner service) throws Exception {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String brand : List.of("NET-A-PORTER", "MR%20PORTER")) {
            for (String ch : List.of("EMAIL", "SMS", "POST", "PHONE", "TARGETED_ADS")) {
                List<String> ats = new ArrayList<>(List.of("?at=" + day(30), "?at=" + day(45), "?at=" + day(60),
                        "?at=" + day(700)));
                for (String at : ats) {
                    String path = "/v1/eligibility/c1/" + brand + "/" + ch + at;
                    out.put(path, get(service, path, 200));
                }
            }
        }
        return out;
    }

    /** When each of the customer's views on the eligibility topic was published. */
    private List<Instant> viewsOf(Topics topics, String customerId) {
        List<ConsumerRecord<String, com.consentry.avro.CustomerEligibility>> all = cluster.readAll(
                topics.customerEligibility(), cluster.avro.eligibility().deserializer(), Duration.ofSeconds(1));
        return all.stream().filter(r -> customerId.equals(r.key()) && r.value() != null)
                .map(r -> r.value().getPublishedAt()).toList();
    }

    private static JsonNode get(ServiceRunner service, String path, int status) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(service.httpUrl() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    private static JsonNode getQuietly(ServiceRunner service, String path) {
        try {
            return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(service.httpUrl() + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }
}
