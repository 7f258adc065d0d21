package com.consentry.e2e;

import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.SendDecision;
import com.consentry.config.AppConfig;
import com.consentry.service.ConsentryService;
import com.consentry.service.EventPublisher;
import com.consentry.simulate.LineParser;
import com.consentry.simulate.ParsedLine;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 over a real broker: two instances share 3-partition topics. Each pair is an address-only
 * unsubscribe (keyed by the address, so read by the task of the address's partition), acknowledged,
 * then after a gap of 0, 10 or 50 ms a MARKETING EMAIL send, one second later in event time, for the
 * customer with that address, whose partition is another one. {@code simulate} suppresses every such
 * send (ADDRESS_SUPPRESSED); the service used to approve most of them, deciding before the suppression
 * reached the global store. Now every decision waits until the suppression list has caught up with the
 * unsubscribes acknowledged before it, and equals {@code simulate}'s. So does the view: a consent for
 * another brand right after the send publishes a view in which the unsubscribed address is not
 * eligible. A few pairs whose address and customer share a partition are mixed in.
 */
class AddressOptOutAcrossPartitionsIT extends WithLocalCluster {
    private static final int PARTITIONS = 3;
    private static final int[] GAPS_MS = {0, 10, 50};
    private static final int PAIRS_PER_GAP = 12;
    private static final int SAME_PARTITION_PAIRS = 4;
    private static final Instant T0 = Instant.parse("2026-05-01T09:00:00Z");

    @Test
    void noSendIsApprovedAfterAnAcknowledgedAddressOnlyUnsubscribeWhateverThePartitions() throws Exception {
        String prefix = LocalCluster.uniquePrefix();
        Map<String, String> extra = Map.of("consentry.topics.partitions", Integer.toString(PARTITIONS),
                "num.standby.replicas", "0");
        AppConfig first = cluster.config(prefix, Files.createDirectories(temp.resolve(prefix + "a")),
                with(extra, "consentry.http.port", "18081"));
        AppConfig second = cluster.config(prefix, Files.createDirectories(temp.resolve(prefix + "b")),
                with(extra, "consentry.http.port", "18082"));

        List<Pair> pairs = pairs();
        List<String> setup = new ArrayList<>();
        for (Pair p : pairs) {
            setup.add("{\"type\":\"customer\",\"at\":\"" + T0 + "\",\"eventId\":\"c-" + p.customer + "\",\"customerId\":\""
                    + p.customer + "\",\"eventType\":\"UPSERT\",\"country\":\"GB\",\"birthDate\":\"1980-01-01\","
                    + "\"timezone\":\"UTC\",\"email\":\"" + p.email + "\"}");
            setup.add("{\"type\":\"consent\",\"at\":\"" + T0.plusSeconds(60) + "\",\"eventId\":\"g-" + p.customer
                    + "\",\"customerId\":\"" + p.customer + "\",\"brand\":\"NET-A-PORTER\",\"channel\":\"EMAIL\","
                    + "\"status\":\"GRANTED\",\"source\":\"CHECKOUT\"}");
        }
        List<String> lines = new ArrayList<>(setup);
        LineParser parser = new LineParser(first.topics());
        try (ConsentryService a = new ConsentryService(first); ConsentryService b = new ConsentryService(second);
             EventPublisher publisher = new EventPublisher(first, cluster.registryClient)) {
            a.start();
            b.start();
            for (int i = 0; i < setup.size(); i++) {
                publisher.publish((ParsedLine.Event) parser.parse(setup.get(i), i + 1)).get();
            }
            cluster.awaitCaughtUp(first.get("consentry.application.id"), first.topics(), Duration.ofSeconds(120));
            Instant at = T0.plus(Duration.ofHours(1));
            for (Pair p : pairs) {
                at = at.plusSeconds(10);
                String unsubscribe = "{\"type\":\"unsubscribe\",\"at\":\"" + at + "\",\"eventId\":\"u-" + p.customer
                        + "\",\"address\":\"" + p.email + "\",\"channel\":\"EMAIL\",\"source\":\"LINK\"}";
                String send = "{\"type\":\"send\",\"at\":\"" + at.plusSeconds(1) + "\",\"eventId\":\"s-" + p.customer
                        + "\",\"requestId\":\"r-" + p.customer + "\",\"campaignId\":\"spring\",\"customerId\":\""
                        + p.customer + "\",\"brand\":\"NET-A-PORTER\",\"channel\":\"EMAIL\",\"purpose\":\"MARKETING\"}";
                // a consent for another brand, right behind: the view it publishes must not show the old one eligible
                String grant = "{\"type\":\"consent\",\"at\":\"" + at.plusSeconds(2) + "\",\"eventId\":\"g2-" + p.customer
                        + "\",\"customerId\":\"" + p.customer + "\",\"brand\":\"MR PORTER\",\"channel\":\"EMAIL\","
                        + "\"status\":\"GRANTED\",\"source\":\"CHECKOUT\"}";
                lines.add(unsubscribe);
                lines.add(send);
                lines.add(grant);
                publisher.publish((ParsedLine.Event) parser.parse(unsubscribe, lines.size() - 2)).get();
                if (p.gapMs > 0) {
                    Thread.sleep(p.gapMs);
                }
                publisher.publish((ParsedLine.Event) parser.parse(send, lines.size() - 1)).get();
                publisher.publish((ParsedLine.Event) parser.parse(grant, lines.size())).get();
            }
            cluster.awaitCaughtUp(first.get("consentry.application.id"), first.topics(), Duration.ofSeconds(120));
            LocalCluster.await(Duration.ofSeconds(60), "a decision for every send", () -> decisions(first).size() >= pairs.size());
        }

        Map<String, String> actual = decisions(first);
        Map<String, String> expected = new TreeMap<>();
        ScenarioReplayIT.Outcome simulated = ScenarioReplayIT.simulate(lines, first);
        simulated.decisions().forEach((id, d) -> expected.put(id, String.join(",", d)));
        assertThat(expected).as("simulate").hasSize(pairs.size()).allSatisfy((id, d) ->
                assertThat(d).isEqualTo("SUPPRESSED/ADDRESS_SUPPRESSED"));
        Map<String, Integer> wronglyApproved = new TreeMap<>();
        for (Pair p : pairs) {
            if (actual.getOrDefault("r-" + p.customer, "").contains("APPROVED")) {
                wronglyApproved.merge(p.label(), 1, Integer::sum);
            }
        }
        assertThat(wronglyApproved).as("wrongly approved sends by gap and partitioning").isEmpty();
        assertThat(actual).as("every decision, exactly once, as simulate decides").isEqualTo(expected);

        // the view: after its unsubscribe was acknowledged, no customer's view showed the unsubscribed address eligible
        Map<String, Map<String, String>> last = new TreeMap<>();
        Map<String, Integer> eligibleAfter = new TreeMap<>();
        for (ConsumerRecord<String, CustomerEligibility> r : cluster.readAll(first.topics().customerEligibility(),
                cluster.avro.eligibility().deserializer(), Duration.ofMillis(500))) {
            Map<String, String> rows = new TreeMap<>();
            r.value().getRows().forEach(row -> rows.put(row.getBrand() + "/" + row.getChannel(),
                    row.getEligible() + "/" + row.getReason()));
            last.put(r.key(), rows);
            boolean afterUnsubscribe = r.value().getRows().stream().anyMatch(row -> row.getBrand().equals("MR PORTER"));
            if (afterUnsubscribe && rows.get("NET-A-PORTER/EMAIL").startsWith("true")) {
                eligibleAfter.merge(r.key(), 1, Integer::sum);
            }
        }
        assertThat(eligibleAfter).as("views published eligible after an acknowledged address-only unsubscribe").isEmpty();
        assertThat(last).as("the final view, as simulate's").isEqualTo(simulated.view());
    }

    /** Decision (and reason) per requestId, comma-separated when a request was decided more than once. */
    private static Map<String, String> decisions(AppConfig config) {
        Map<String, List<String>> all = new TreeMap<>();
        for (ConsumerRecord<String, SendDecision> r : cluster.readAll(config.topics().sendDecisions(),
                cluster.avro.decision().deserializer(), Duration.ofMillis(500))) {
            all.computeIfAbsent(r.value().getRequestId(), k -> new ArrayList<>())
                    .add(r.value().getDecision() + "/" + r.value().getReason());
        }
        Map<String, String> out = new TreeMap<>();
        all.forEach((id, d) -> out.put(id, String.join(",", d)));
        return out;
    }

    private record Pair(String customer, String email, int gapMs, boolean samePartition) {
        String label() {
            return gapMs + " ms, " + (samePartition ? "same" : "other") + " partition";
        }
    }

    /** Customers whose address lands on another partition than they do (and a few on the same one). */
    private static List<Pair> pairs() {
        List<Pair> out = new ArrayList<>();
        Map<Boolean, Integer> wanted = new HashMap<>(Map.of(false, PAIRS_PER_GAP * GAPS_MS.length,
                true, SAME_PARTITION_PAIRS));
        for (int i = 0; wanted.values().stream().anyMatch(n -> n > 0); i++) {
            String customer = "x" + i;
            String email = "opt" + i + "@example.com";
            boolean same = partition(customer) == partition(email);
            if (wanted.get(same) == 0) {
                continue;
            }
            int n = wanted.merge(same, -1, Integer::sum);
            out.add(new Pair(customer, email, GAPS_MS[n % GAPS_MS.length], same));
        }
        return out;
    }

    /** The partition the producer's default partitioner picks for a key. */
    private static int partition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    private static Map<String, String> with(Map<String, String> m, String k, String v) {
        Map<String, String> out = new HashMap<>(m);
        out.put(k, v);
        return out;
    }
}
