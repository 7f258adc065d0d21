package com.consentry.e2e;

import com.consentry.avro.CartReminder;
import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.DecisionKind;
import com.consentry.avro.DeadLetter;
import com.consentry.avro.EligibilityRow;
import com.consentry.avro.SendDecision;
import com.consentry.config.AppConfig;
import com.consentry.service.ConsentryService;
import com.consentry.service.EventPublisher;
import com.consentry.simulate.LineParser;
import com.consentry.simulate.ParsedLine;
import com.consentry.topology.Topics;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, "registry outage": the schema registry stops in the middle of traffic and starts again later with
 * its schemas (it keeps them on disk, as a real deployment's registry does). During the outage the service
 * reads records whose writer schema it has never fetched (send requests, unsubscribes) and writes a topic
 * whose schema it has never registered (send decisions, cart reminders), so it needs the registry it cannot
 * reach (the task first fails on the writer schemas it cannot fetch, and retries). No record
 * is dead-lettered for that; once the registry is back the stream resumes, and every input's effect is on the
 * outputs: one decision per request, the unsubscribes honoured in the decisions and in the view, and the cart
 * reminder that fell due during the outage decided and sent once.
 */
class RegistryOutageIT {
    private static final int CUSTOMERS = 6;
    private static final Duration OUTAGE = Duration.ofSeconds(10);

    static LocalCluster cluster;

    @TempDir
    static Path temp;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new LocalCluster(Map.of(), Files.createDirectories(temp.resolve("registry-data")));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void noRecordIsDeadLetteredForAnOutageAndEveryInputTakesEffectAfterIt() throws Exception {
        String prefix = LocalCluster.uniquePrefix();
        AppConfig config = cluster.config(prefix, Files.createDirectories(temp.resolve(prefix)), Map.of());
        Topics topics = config.topics();
        String appId = config.get("consentry.application.id");
        LineParser parser = new LineParser(topics);
        int[] line = {0};
        try (ConsentryService service = new ConsentryService(config);
             EventPublisher publisher = new EventPublisher(config, cluster.registryClient)) {
            service.start();
            for (int i = 0; i < CUSTOMERS; i++) {
                publish(publisher, parser, line, "{\"type\":\"customer\",\"at\":\"2026-04-01T08:00:00Z\",\"customerId\":\"o"
                        + i + "\",\"eventType\":\"UPSERT\",\"country\":\"GB\"}");
                publish(publisher, parser, line, "{\"type\":\"consent\",\"at\":\"2026-04-01T08:01:00Z\",\"customerId\":\"o"
                        + i + "\",\"brand\":\"MR PORTER\",\"channel\":\"EMAIL\",\"status\":\"GRANTED\",\"source\":\"CHECKOUT\"}");
            }
            // a cart whose reminder falls due during the outage: the service knows the cart schema, but has
            // not registered the cart-reminders one yet
            publish(publisher, parser, line, "{\"type\":\"cart\",\"at\":\"2026-04-01T08:02:00Z\",\"cartId\":\"k0\","
                    + "\"customerId\":\"o0\",\"brand\":\"MR PORTER\",\"action\":\"ITEM_ADDED\",\"sku\":\"sku-1\","
                    + "\"quantity\":1}");
            cluster.awaitCaughtUp(appId, topics, Duration.ofSeconds(60));
            // the producer registers its schemas now; the service has not fetched them yet
            List<String> duringOutage = new java.util.ArrayList<>();
            for (int i = 0; i < CUSTOMERS; i++) {
                if (i % 2 == 1) {
                    duringOutage.add("{\"type\":\"unsubscribe\",\"at\":\"2026-04-01T10:00:00Z\",\"customerId\":\"o" + i
                            + "\",\"brand\":\"MR PORTER\",\"source\":\"LINK\"}");
                }
                duringOutage.add("{\"type\":\"send\",\"at\":\"2026-04-01T10:01:00Z\",\"requestId\":\"req-o" + i
                        + "\",\"campaignId\":\"spring\",\"customerId\":\"o" + i + "\",\"brand\":\"MR PORTER\","
                        + "\"channel\":\"EMAIL\",\"purpose\":\"MARKETING\"}");
            }
            // moves o0's stream time past the reminder's due time (09:02), ahead of the other records of its partition
            duringOutage.add("{\"type\":\"customer\",\"at\":\"2026-04-01T09:30:00Z\",\"customerId\":\"o0\","
                    + "\"eventType\":\"UPSERT\",\"country\":\"GB\"}");
            for (String json : duringOutage) {
                ParsedLine.Event e = (ParsedLine.Event) parser.parse(json, 0);
                cluster.avro.inputSerializer(topics, e.topic()).serialize(e.topic(), e.avro());
            }

            cluster.stopRegistry();
            for (String json : duringOutage) {
                publish(publisher, parser, line, json);
            }
            Thread.sleep(OUTAGE.toMillis());
            assertThat(cluster.readAll(topics.deadLetter(), cluster.avro.deadLetter().deserializer(), Duration.ZERO))
                    .as("dead letters during the outage").isEmpty();
            assertThat(cluster.readAll(topics.sendDecisions(), cluster.avro.decision().deserializer(), Duration.ZERO))
                    .as("no decision can be written without the registry").isEmpty();
            cluster.restartRegistry();

            cluster.awaitCaughtUp(appId, topics, Duration.ofSeconds(90));
        }

        List<ConsumerRecord<String, DeadLetter>> dead =
                cluster.readAll(topics.deadLetter(), cluster.avro.deadLetter().deserializer(), Duration.ZERO);
        assertThat(dead).as("dead letters").isEmpty();
        Map<String, List<String>> decisions = cluster.readAll(topics.sendDecisions(),
                        cluster.avro.decision().deserializer(), Duration.ZERO).stream()
                .map(ConsumerRecord::value)
                .filter(d -> d.getKind() == DecisionKind.CAMPAIGN)
                .collect(Collectors.groupingBy(SendDecision::getRequestId,
                        Collectors.mapping(d -> d.getDecision() + " " + d.getReason(), Collectors.toList())));
        Map<String, List<String>> expected = new HashMap<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            expected.put("req-o" + i, List.of(i % 2 == 1 ? "SUPPRESSED UNSUBSCRIBED" : "APPROVED CONSENT"));
        }
        assertThat(decisions).as("one decision per request, the unsubscribes honoured").isEqualTo(expected);

        List<ConsumerRecord<String, CartReminder>> reminders =
                cluster.readAll(topics.cartReminders(), cluster.avro.reminder().deserializer(), Duration.ZERO);
        assertThat(reminders).as("the reminder due during the outage, once")
                .extracting(r -> r.value().getCartId()).containsExactly("k0");
        assertThat(cluster.readAll(topics.sendDecisions(), cluster.avro.decision().deserializer(), Duration.ZERO))
                .filteredOn(r -> r.value().getKind() == DecisionKind.CART_REMINDER)
                .extracting(r -> r.value().getDecision().name()).containsExactly("APPROVED");

        Map<String, CustomerEligibility> views = new HashMap<>();
        cluster.readAll(topics.customerEligibility(), cluster.avro.eligibility().deserializer(), Duration.ZERO)
                .forEach(r -> views.put(r.key(), r.value()));
        for (int i = 0; i < CUSTOMERS; i++) {
            EligibilityRow row = views.get("o" + i).getRows().stream()
                    .filter(r -> r.getBrand().equals("MR PORTER") && r.getChannel().name().equals("EMAIL"))
                    .findFirst().orElseThrow();
            assertThat(row.getReason().name()).as("the view of o" + i).isEqualTo(i % 2 == 1 ? "UNSUBSCRIBED" : "CONSENT");
        }
    }

    private static void publish(EventPublisher publisher, LineParser parser, int[] line, String json) throws Exception {
        publisher.publish((ParsedLine.Event) parser.parse(json, ++line[0])).get(30, TimeUnit.SECONDS);
    }
}
