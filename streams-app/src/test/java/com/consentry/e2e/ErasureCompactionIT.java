package com.consentry.e2e;

import com.consentry.config.AppConfig;
import com.consentry.service.ConsentryService;
import com.consentry.service.EventPublisher;
import com.consentry.simulate.LineParser;
import com.consentry.simulate.ParsedLine;
import com.consentry.topology.CustomerState;
import com.consentry.topology.StateSerdes;
import com.consentry.topology.Topics;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, "erasure end to end": a customer with a profile, consents, an order, a cart, a send and an
 * unsubscribe is erased, and a broker that compacts at once (dirty ratio 0.01, segments rolled after a second,
 * tombstones kept for a second, the cleaner every 100 ms) compacts the topics. Then every compacted topic the
 * service writes (the view, the suppression list) and every changelog of its stores is scanned: for that
 * customer at most the tombstone is left (a key with no value), and no record holds their customerId or a fact
 * of theirs (event ids, order, cart, sku, request and campaign ids, the email's local part). The one record
 * allowed under their key is the customers store's erasure marker (when, and by which event, they were erased;
 * no fact), which keeps a late fact from before the erasure answering ERASED. Before the erasure
 * the same scan finds those facts, so the scan can see them; another customer's view survives compaction.
 */
class ErasureCompactionIT {
    private static final String GONE = "zq-erased-7";
    private static final String KEPT = "zq-kept-3";
    /** Strings only the erased customer's records carry. */
    private static final List<String> FACTS = List.of(GONE, "gone-evt-", "gone-order-1", "gone-cart-1", "gone-sku-1",
            "gone-req-1", "gone-campaign-1", "gone.person");

    static LocalCluster cluster;

    @TempDir
    static Path temp;

    @BeforeAll
    static void startCluster() {
        cluster = new LocalCluster(Map.of(
                "log.cleaner.min.cleanable.ratio", "0.01",
                "log.roll.ms", "1000",
                "log.cleaner.delete.retention.ms", "1000",
                "log.cleaner.backoff.ms", "100",
                "log.segment.delete.delay.ms", "100"));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void afterErasureAndCompactionNoCompactedTopicOrChangelogHoldsTheCustomer() throws Exception {
        String prefix = LocalCluster.uniquePrefix();
        AppConfig config = cluster.config(prefix, Files.createDirectories(temp.resolve(prefix)),
                // with retention on, its index (retention-due) holds the customer's id and request ids too
                Map.of("consentry.topics.partitions", "1", "consentry.retention.superseded", "P2Y",
                        "consentry.retention.send-requests", "P90D", "consentry.retention.carts", "P30D"));
        Topics topics = config.topics();
        String appId = config.get("consentry.application.id");
        LineParser parser = new LineParser(topics);
        int[] line = {0};
        Set<String> scanned = new TreeSet<>();
        try (ConsentryService service = new ConsentryService(config);
             EventPublisher publisher = new EventPublisher(config, cluster.registryClient)) {
            service.start();
            for (String id : List.of(GONE, KEPT)) {
                String tag = id.equals(GONE) ? "gone" : "kept";
                for (String json : List.of(
                        "{\"type\":\"customer\",\"at\":\"2026-03-01T09:00:00Z\",\"eventId\":\"" + tag + "-evt-1\","
                                + "\"customerId\":\"" + id + "\",\"eventType\":\"UPSERT\",\"country\":\"DE\","
                                + "\"email\":\"" + tag + ".person@example.com\",\"phone\":\"+4915112345678\"}",
                        "{\"type\":\"consent\",\"at\":\"2026-03-01T09:10:00Z\",\"eventId\":\"" + tag + "-evt-2\","
                                + "\"customerId\":\"" + id + "\",\"brand\":\"MR PORTER\",\"channel\":\"EMAIL\","
                                + "\"status\":\"GRANTED\",\"source\":\"CHECKOUT\"}",
                        "{\"type\":\"consent\",\"at\":\"2026-03-01T09:20:00Z\",\"eventId\":\"" + tag + "-evt-3\","
                                + "\"customerId\":\"" + id + "\",\"brand\":\"MR PORTER\",\"channel\":\"EMAIL\","
                                + "\"status\":\"CONFIRMED\",\"source\":\"DOI_LINK\"}",
                        "{\"type\":\"order\",\"at\":\"2026-03-01T09:30:00Z\",\"eventId\":\"" + tag + "-evt-4\","
                                + "\"orderId\":\"" + tag + "-order-1\",\"customerId\":\"" + id + "\","
                                + "\"brand\":\"THE OUTNET\",\"status\":\"PLACED\"}",
                        "{\"type\":\"cart\",\"at\":\"2026-03-01T09:40:00Z\",\"eventId\":\"" + tag + "-evt-5\","
                                + "\"cartId\":\"" + tag + "-cart-1\",\"customerId\":\"" + id + "\",\"brand\":\"MR PORTER\","
                                + "\"action\":\"ITEM_ADDED\",\"sku\":\"" + tag + "-sku-1\",\"quantity\":1}",
                        "{\"type\":\"send\",\"at\":\"2026-03-01T09:50:00Z\",\"eventId\":\"" + tag + "-evt-6\","
                                + "\"requestId\":\"" + tag + "-req-1\",\"campaignId\":\"" + tag + "-campaign-1\","
                                + "\"customerId\":\"" + id + "\",\"brand\":\"MR PORTER\",\"channel\":\"EMAIL\","
                                + "\"purpose\":\"MARKETING\"}",
                        "{\"type\":\"unsubscribe\",\"at\":\"2026-03-01T09:55:00Z\",\"eventId\":\"" + tag + "-evt-7\","
                                + "\"customerId\":\"" + id + "\",\"brand\":\"THE OUTNET\",\"source\":\"LINK\"}")) {
                    publish(publisher, parser, json, line);
                }
            }
            cluster.awaitCaughtUp(appId, topics, Duration.ofSeconds(60));
            assertThat(leftovers(prefix, topics, scanned)).as("before the erasure, the scan finds the customer's facts")
                    .anyMatch(l -> l.startsWith(prefix + "customer-eligibility"))
                    .anyMatch(l -> l.startsWith(prefix + "app-customers-changelog"))
                    .anyMatch(l -> l.contains("gone-cart-1"));

            publish(publisher, parser, "{\"type\":\"customer\",\"at\":\"2026-03-01T10:00:00Z\",\"eventId\":\"erasure-1\","
                    + "\"customerId\":\"" + GONE + "\",\"eventType\":\"ERASURE_REQUESTED\"}", line);
            cluster.awaitCaughtUp(appId, topics, Duration.ofSeconds(60));

            // the cleaner never touches a partition's active segment: the other customer's traffic rolls them
            List<String> left = new ArrayList<>();
            Instant deadline = Instant.now().plusSeconds(90);
            int nudge = 0;
            do {
                nudge(publisher, parser, ++nudge, line);
                cluster.awaitCaughtUp(appId, topics, Duration.ofSeconds(60));
                Thread.sleep(1500);
                left = leftovers(prefix, topics, scanned);
            } while (!left.isEmpty() && Instant.now().isBefore(deadline));
            assertThat(left).as("records of the erased customer left after compaction").isEmpty();
        }
        assertThat(scanned).as("the compacted outputs and the changelogs were scanned")
                .contains("customer-eligibility", "consentry-suppressions", "app-customers-changelog",
                        "app-carts-changelog");

        Map<String, Boolean> latest = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : cluster.readRaw(topics.customerEligibility(), Duration.ZERO)) {
            latest.put(r.key(), r.value() != null);
        }
        assertThat(latest.get(GONE)).as("the erased customer's view: a tombstone or nothing").isNotEqualTo(Boolean.TRUE);
        assertThat(latest.get(KEPT)).as("the other customer's view survives compaction").isTrue();
    }

    private static void publish(EventPublisher publisher, LineParser parser, String json, int[] line) throws Exception {
        publisher.publish((ParsedLine.Event) parser.parse(json, ++line[0])).get(30, TimeUnit.SECONDS);
    }

    /** Records of the other customer that write to every store: a new address, a consent, an order, a cart item. */
    private static void nudge(EventPublisher publisher, LineParser parser, int n, int[] line) throws Exception {
        String at = Instant.parse("2026-03-01T11:00:00Z").plusSeconds(60L * n).toString();
        for (String json : List.of(
                "{\"type\":\"customer\",\"at\":\"" + at + "\",\"customerId\":\"" + KEPT + "\",\"eventType\":\"UPSERT\","
                        + "\"country\":\"DE\",\"email\":\"kept" + n + "@example.com\",\"phone\":\"+491511234" + (1000 + n) + "\"}",
                "{\"type\":\"consent\",\"at\":\"" + at + "\",\"customerId\":\"" + KEPT + "\",\"brand\":\"THE OUTNET\","
                        + "\"channel\":\"SMS\",\"status\":\"" + (n % 2 == 0 ? "GRANTED" : "WITHDRAWN") + "\",\"source\":\"APP\"}",
                "{\"type\":\"order\",\"at\":\"" + at + "\",\"orderId\":\"kept-o" + n + "\",\"customerId\":\"" + KEPT + "\","
                        + "\"brand\":\"MR PORTER\",\"status\":\"PLACED\"}",
                "{\"type\":\"cart\",\"at\":\"" + at + "\",\"cartId\":\"kept-c" + n + "\",\"customerId\":\"" + KEPT + "\","
                        + "\"brand\":\"MR PORTER\",\"action\":\"ITEM_ADDED\",\"sku\":\"s" + n + "\",\"quantity\":1}",
                "{\"type\":\"send\",\"at\":\"" + at + "\",\"requestId\":\"kept-r" + n + "\",\"customerId\":\"" + KEPT + "\","
                        + "\"brand\":\"MR PORTER\",\"channel\":\"EMAIL\",\"purpose\":\"SERVICE\"}")) {
            publish(publisher, parser, json, line);
        }
    }

    /** A customer state that remembers the erasure and nothing else: no fact, row, message or address. */
    private static boolean isErasureMarker(byte[] value) {
        CustomerState state = StateSerdes.customers().deserialize("customers", value);
        return state.history.erasedAt != null && state.history.facts().findAny().isEmpty()
                && state.history.profile.isEmpty() && state.published.isEmpty() && state.sent.isEmpty()
                && state.linkedHashes.isEmpty();
    }

    /**
     * Every record of a compacted topic of this test (the service's compacted outputs and its changelogs)
     * that still holds the erased customer: a value under their key, or their id or a fact in a key or value.
     */
    private static List<String> leftovers(String prefix, Topics topics, Set<String> scanned) throws Exception {
        List<String> found = new ArrayList<>();
        try (Admin admin = cluster.admin()) {
            List<ConfigResource> ours = admin.listTopics().names().get().stream()
                    .filter(t -> t.startsWith(prefix) && !topics.inputs().contains(t))
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(ours).all().get(30, TimeUnit.SECONDS);
            for (ConfigResource topic : ours) {
                String policy = configs.get(topic).get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
                if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                    continue;
                }
                scanned.add(topic.name().substring(prefix.length()));
                for (ConsumerRecord<String, byte[]> r : cluster.readRaw(topic.name(), Duration.ZERO)) {
                    String where = topic.name() + "@" + r.partition() + ":" + r.offset();
                    String key = r.key() == null ? "" : r.key();
                    String value = r.value() == null ? null : new String(r.value(), StandardCharsets.ISO_8859_1);
                    if (value != null && key.equals(GONE) && topic.name().endsWith("-customers-changelog")
                            && isErasureMarker(r.value())) {
                        continue; // the tombstone's effect: later facts before the erasure still answer ERASED
                    }
                    for (String fact : FACTS) {
                        if (value != null && (key.contains(fact) || value.contains(fact))) {
                            found.add(where + " holds " + fact);
                        }
                    }
                }
            }
        }
        return found;
    }
}
