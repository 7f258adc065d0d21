package com.consentry.e2e;

import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.DecisionKind;
import com.consentry.avro.EligibilityRow;
import com.consentry.avro.SendDecision;
import com.consentry.config.AppConfig;
import com.consentry.service.ConsentryService;
import com.consentry.service.EventPublisher;
import com.consentry.simulate.LineParser;
import com.consentry.simulate.ParsedLine;
import com.consentry.simulate.Simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every scenario of the repository, produced to the real topics of a real broker and decided by the
 * real service, agrees with what {@code simulate} prints for the same events: the same decision for
 * every send request, the same reminders, and the same final eligibility view for every customer.
 *
 * <p>{@code query} and {@code clock} lines cannot be produced (they are not events), so both sides run
 * on the events alone; the service's wall clock is kept out of it (idle grace of an hour), so that
 * reminders and sweeps follow the events' times on both sides.
 */
class ScenarioReplayIT extends WithLocalCluster {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyScenarioAgreesWithSimulate() throws Exception {
        List<Path> files = scenarios();
        assertThat(files).hasSizeGreaterThanOrEqualTo(8);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> replay(f)));
    }

    /** The repository's scenarios, in name order. */
    static List<Path> scenarios() throws Exception {
        Path dir = Path.of(ScenarioReplayIT.class.getResource("/scenarios").toURI());
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".jsonl") && !p.toString().endsWith(".expect.jsonl"))
                    .sorted().toList();
        }
    }

    private void replay(Path scenario) throws Exception {
        // events only, line numbers kept (default eventIds are line:N)
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(scenario)) {
            boolean notEvent = l.contains("\"type\":\"query\"") || l.contains("\"type\": \"query\"")
                    || l.contains("\"type\":\"clock\"") || l.contains("\"type\": \"clock\"");
            lines.add(notEvent ? "" : l);
        }
        Instant first = firstInstant(lines);
        Map<String, String> settings = Map.of("consentry.sweep.anchor", first.toString(),
                "consentry.punctuate.idle-grace", "PT1H");

        Outcome expected = simulate(lines, AppConfig.of(settings));

        String prefix = LocalCluster.uniquePrefix();
        // one partition: the whole scenario in one task, as in simulate
        Map<String, String> one = new java.util.HashMap<>(settings);
        one.put("consentry.topics.partitions", "1");
        AppConfig config = cluster.config(prefix, Files.createDirectories(temp.resolve(prefix)), one);
        try (org.apache.kafka.clients.admin.Admin admin = cluster.admin()) {
            new com.consentry.service.TopicAdmin(admin, config.topics()).createMissing(1, (short) 1);
        }
        // the whole history is on the topics before the service starts, as in a replay
        LineParser parser = new LineParser(config.topics());
        try (EventPublisher publisher = new EventPublisher(config, cluster.registryClient)) {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                try {
                    if (parser.parse(lines.get(i), i + 1) instanceof ParsedLine.Event e) {
                        publisher.publish(e).get();
                    }
                } catch (LineParser.BadLineException bad) {
                    // simulate dead-letters the same line; nothing to produce
                }
            }
        }
        try (ConsentryService service = new ConsentryService(config)) {
            service.start();
            cluster.awaitCaughtUp(config.get("consentry.application.id"), config.topics(), Duration.ofSeconds(120));
            // decisions and eligible views wait for the suppression list after their input is committed: the
            // last ones are published a commit or two later (a stop before that publishes them on restart)
            try {
                LocalCluster.await(Duration.ofSeconds(30), "every output published", () -> read(config).equals(expected));
            } catch (AssertionError notYet) {
                // the assertions below say what differs
            }
        }
        Outcome actual = read(config);
        assertThat(actual.decisions).as("decisions by requestId").isEqualTo(expected.decisions);
        assertThat(actual.reminders).as("reminders by cartId").isEqualTo(expected.reminders);
        assertThat(actual.view).as("final eligibility view").isEqualTo(expected.view);
    }

    /** What a run decided: decision and reason per request and per cart, and the final view. */
    record Outcome(Map<String, List<String>> decisions, Map<String, List<String>> reminders,
                   Map<String, Map<String, String>> view) {
        Outcome() {
            this(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
        }
    }

    static Outcome simulate(List<String> lines, AppConfig config) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             Simulator sim = new Simulator(config, out)) {
            for (int i = 0; i < lines.size(); i++) {
                sim.accept(lines.get(i), i + 1);
            }
        }
        Outcome o = new Outcome();
        for (String raw : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            if (raw.isBlank()) {
                continue;
            }
            JsonNode n = JSON.readTree(raw);
            switch (n.get("type").asText()) {
                case "decision" -> o.decisions.computeIfAbsent(n.get("requestId").asText(), k -> new ArrayList<>())
                        .add(n.get("decision").asText() + "/" + n.get("reason").asText());
                case "reminder" -> o.reminders.computeIfAbsent(n.get("cartId").asText(), k -> new ArrayList<>())
                        .add(n.get("decision").asText() + "/" + n.get("reason").asText());
                case "eligibility" -> {
                    String customer = n.get("customerId").asText();
                    if (n.has("tombstone")) {
                        o.view.put(customer, new TreeMap<>());
                    } else {
                        o.view.computeIfAbsent(customer, k -> new TreeMap<>()).put(
                                n.get("brand").asText() + "/" + n.get("channel").asText(),
                                n.get("eligible").asBoolean() + "/" + n.get("reason").asText());
                    }
                }
                default -> {
                }
            }
        }
        return o;
    }

    private static Outcome read(AppConfig config) {
        Outcome o = new Outcome();
        Duration quiet = Duration.ofSeconds(2);
        addDecisions(o, cluster.readAll(config.topics().sendDecisions(), cluster.avro.decision().deserializer(), quiet));
        for (ConsumerRecord<String, CustomerEligibility> r : cluster.readAll(config.topics().customerEligibility(),
                cluster.avro.eligibility().deserializer(), quiet)) {
            Map<String, String> rows = new TreeMap<>();
            if (r.value() != null) {
                for (EligibilityRow row : r.value().getRows()) {
                    rows.put(row.getBrand() + "/" + row.getChannel(), row.getEligible() + "/" + row.getReason());
                }
            }
            o.view.put(r.key(), rows);
        }
        return o;
    }

    /** Adds each decision to the outcome: under its cart for a reminder, else under its request. */
    static void addDecisions(Outcome o, List<ConsumerRecord<String, SendDecision>> records) {
        for (ConsumerRecord<String, SendDecision> r : records) {
            SendDecision d = r.value();
            String answer = d.getDecision() + "/" + d.getReason();
            if (d.getKind() == DecisionKind.CART_REMINDER) {
                o.reminders.computeIfAbsent(d.getCartId(), k -> new ArrayList<>()).add(answer);
            } else {
                o.decisions.computeIfAbsent(d.getRequestId(), k -> new ArrayList<>()).add(answer);
            }
        }
    }

    private static Instant firstInstant(List<String> lines) throws Exception {
        for (String l : lines) {
            if (l.isBlank()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(l);
                if (n.isObject() && n.has("at")) {
                    return java.time.OffsetDateTime.parse(n.get("at").asText()).toInstant();
                }
            } catch (Exception ignored) {
                // a bad line: the next one may be usable
            }
        }
        return Instant.EPOCH;
    }
}
