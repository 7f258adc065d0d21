package com.consentry.simulate;

import com.consentry.api.EligibilityQuery;
import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.DeadLetter;
import com.consentry.avro.DecisionKind;
import com.consentry.avro.EligibilityRow;
import com.consentry.avro.SendDecision;
import com.consentry.config.AppConfig;
import com.consentry.ingest.ArrivalClock;
import com.consentry.policy.Answer;
import com.consentry.policy.Suppression;
import com.consentry.serde.InMemorySchemaRegistry;
import com.consentry.topology.AvroSerdes;
import com.consentry.topology.CartReminders;
import com.consentry.topology.ConsentryTopology;
import com.consentry.topology.CustomerState;
import com.consentry.topology.GlobalSuppressionList;
import com.consentry.topology.StoreNames;
import com.consentry.topology.Topics;
import com.consentry.topology.TopologySettings;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Runs the real topology in a {@link TopologyTestDriver} over {@code simulate} input lines and prints
 * every decision as a JSON line, in the order the decisions were made. The wall clock follows the
 * lines' {@code at}; due reminders and sweeps fire exactly at their due instants, before the line that
 * moved the clock past them.
 */
public final class Simulator implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AppConfig config;
    private final PrintStream out;
    private final Topics topics;
    private final LineParser parser;
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final AvroSerdes avro = AvroSerdes.using(registry);
    private final Map<String, Map<String, String>> lastView = new HashMap<>();
    /** topic -> line number of each record piped into it, by offset. */
    private final Map<String, List<Integer>> linesByOffset = new HashMap<>();
    private final Map<String, TestInputTopic<String, byte[]>> inputs = new HashMap<>();
    private TopologyTestDriver driver;
    private TopologySettings settings;
    private EligibilityQuery query;
    private Path stateDir;
    private Instant clock;
    /** Stamps the records as {@code produce} does, so that the service meets the same timestamps. */
    private final ArrivalClock stamps = new ArrivalClock();

    public Simulator(AppConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
        this.topics = config.topics();
        this.parser = new LineParser(topics, config.eventTimeRules());
    }

    /** Feeds one input line (1-based {@code lineNo}). */
    public void accept(String text, int lineNo) {
        if (text.isBlank()) {
            return;
        }
        ParsedLine line;
        try {
            line = parser.parse(text, lineNo);
        } catch (LineParser.BadLineException e) {
            out.println(deadLetter(lineNo, e.getMessage()));
            return;
        }
        if (driver == null) {
            start(line.at());
        }
        advanceTo(line.at());
        if (line instanceof ParsedLine.Query q) {
            KeyValueStore<String, CustomerState> customers = driver.getKeyValueStore(StoreNames.CUSTOMERS);
            KeyValueStore<String, Suppression> sup = driver.getKeyValueStore(StoreNames.SUPPRESSIONS);
            Answer a;
            try {
                a = query.answer(customers.get(q.customerId()), new GlobalSuppressionList(sup), q.brand(),
                        q.channel(), q.at());
            } catch (com.consentry.api.ApiException e) {
                // before the customer's retention horizon: no answer, as the HTTP API's 422
                out.println(deadLetter(lineNo, e.getMessage()));
                return;
            }
            out.println(EligibilityQuery.answerJson(q.at(), q.customerId(), q.brand(), q.channel(), a));
        } else if (line instanceof ParsedLine.Event e) {
            pipe(e);
            drain();
            // a late event can leave a reminder already due by the wall clock: it fires now
            advanceTo(clock);
        }
    }

    private void start(Instant first) {
        // the wall clock is the input's clock (clock lines included): no idle grace, and no bound on its lead
        settings = config.topologySettings(first).withPunctuateInterval(Duration.ofMillis(1)).withIdleGrace(Duration.ZERO)
                .withMaxLead(null);
        query = new EligibilityQuery(settings.policy());
        Properties props = config.kafkaProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "consentry-simulate");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "simulate.invalid:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        try {
            stateDir = Files.createTempDirectory("consentry-simulate-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temporary state directory", e);
        }
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(ConsentryTopology.build(topics, settings, avro), props, first);
        clock = first;
    }

    /**
     * Moves the wall clock to {@code target} (it never goes back), stopping at every due reminder and
     * sweep on the way; reminders already overdue fire first.
     */
    private void advanceTo(Instant target) {
        Instant until = target.isAfter(clock) ? target : clock;
        while (true) {
            Instant next = nextDue();
            if (next == null || next.isAfter(until)) {
                break;
            }
            driver.advanceWallClockTime(next.isAfter(clock) ? Duration.between(clock, next) : Duration.ofMillis(1));
            clock = next.isAfter(clock) ? next : clock.plusMillis(1);
            drain();
        }
        if (target.isAfter(clock)) {
            driver.advanceWallClockTime(Duration.between(clock, target));
            clock = target;
            drain();
        }
    }

    private Instant nextDue() {
        long anchor = settings.sweepAnchor().toEpochMilli();
        long interval = settings.sweepInterval().toMillis();
        long k = Math.floorDiv(clock.toEpochMilli() - anchor, interval) + 1;
        Instant sweep = Instant.ofEpochMilli(anchor + k * interval);
        Long lowWater = driver.<String, Long>getKeyValueStore(StoreNames.SCHEDULE).get(CartReminders.LOW_WATER);
        Instant reminder = CartReminders.earliestDue(driver.<String, String>getKeyValueStore(StoreNames.REMINDER_DUE),
                lowWater == null ? 0 : lowWater);
        return reminder != null && reminder.isBefore(sweep) ? reminder : sweep;
    }

    private void pipe(ParsedLine.Event e) {
        byte[] value = avro.inputSerializer(topics, e.topic()).serialize(e.topic(), e.avro());
        inputs.computeIfAbsent(e.topic(), t -> driver.createInputTopic(t, new StringSerializer(), new ByteArraySerializer()))
                .pipeInput(e.inbound().key(), value, Instant.ofEpochMilli(stamps.stamp(e.at())));
        linesByOffset.computeIfAbsent(e.topic(), t -> new ArrayList<>()).add(e.line());
    }

    /** Prints what the topology wrote since the last drain, ordered by record time (stable across topics). */
    private void drain() {
        List<TimedLine> lines = new ArrayList<>();
        for (TestRecord<byte[], DeadLetter> r : driver.createOutputTopic(topics.deadLetter(),
                new ByteArrayDeserializer(), avro.deadLetter().deserializer()).readRecordsToList()) {
            lines.add(new TimedLine(r.timestamp(), deadLetter(r.value())));
        }
        for (TestRecord<String, SendDecision> r : driver.createOutputTopic(topics.sendDecisions(),
                new StringDeserializer(), avro.decision().deserializer()).readRecordsToList()) {
            lines.add(new TimedLine(r.timestamp(), decision(r.value())));
        }
        for (TestRecord<String, CustomerEligibility> r : driver.createOutputTopic(topics.customerEligibility(),
                new StringDeserializer(), avro.eligibility().deserializer()).readRecordsToList()) {
            for (ObjectNode n : eligibility(r.key(), r.value(), r.timestamp())) {
                lines.add(new TimedLine(r.timestamp(), n));
            }
        }
        driver.createOutputTopic(topics.cartReminders(), new StringDeserializer(), avro.reminder().deserializer())
                .readRecordsToList();
        lines.stream().sorted(Comparator.comparingLong(TimedLine::time)).forEach(l -> out.println(l.json()));
    }

    private record TimedLine(long time, ObjectNode json) {
    }

    private ObjectNode deadLetter(DeadLetter d) {
        List<Integer> lines = linesByOffset.getOrDefault(d.getSourceTopic(), List.of());
        return deadLetter(d.getOffset() >= 0 && d.getOffset() < lines.size() ? lines.get((int) d.getOffset()) : -1,
                d.getErrorMessage());
    }

    /** A {@code dead-letter} line: the input line number (-1: not known) and the reason. */
    private static ObjectNode deadLetter(int line, String error) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "dead-letter");
        n.put("line", line);
        n.put("error", error);
        return n;
    }

    private static ObjectNode decision(SendDecision d) {
        ObjectNode n = JSON.createObjectNode();
        boolean reminder = d.getKind() == DecisionKind.CART_REMINDER;
        n.put("type", reminder ? "reminder" : "decision");
        n.put("at", d.getDecidedAt().toString());
        if (reminder) {
            n.put("cartId", d.getCartId());
            n.put("reminderId", d.getReminderId());
        } else {
            n.put("requestId", d.getRequestId());
        }
        n.put("customerId", d.getCustomerId());
        n.put("brand", d.getBrand());
        n.put("channel", d.getChannel().name());
        n.put("decision", d.getDecision().name());
        n.put("reason", d.getReason().name());
        return n;
    }

    /** The rows of a published view that changed since the previous one for that customer. */
    private List<ObjectNode> eligibility(String customerId, CustomerEligibility e, long timestamp) {
        List<ObjectNode> changed = new ArrayList<>();
        if (e == null) {
            lastView.remove(customerId);
            ObjectNode n = JSON.createObjectNode();
            n.put("type", "eligibility");
            n.put("at", Instant.ofEpochMilli(timestamp).toString());
            n.put("customerId", customerId);
            n.put("tombstone", true);
            changed.add(n);
            return changed;
        }
        Map<String, String> before = lastView.getOrDefault(customerId, Map.of());
        Map<String, String> now = new TreeMap<>();
        for (EligibilityRow row : e.getRows()) {
            String key = row.getBrand() + '\u0000' + row.getChannel();
            String answer = row.getEligible() + "/" + row.getReason();
            now.put(key, answer);
            if (answer.equals(before.get(key))) {
                continue;
            }
            ObjectNode n = JSON.createObjectNode();
            n.put("type", "eligibility");
            n.put("at", e.getPublishedAt().toString());
            n.put("customerId", customerId);
            n.put("brand", row.getBrand());
            n.put("channel", row.getChannel().name());
            n.put("eligible", row.getEligible());
            n.put("reason", row.getReason().name());
            if (row.getEvidence() != null) {
                n.set("evidence", EligibilityQuery.evidenceJson(row.getEvidence()));
            }
            changed.add(n);
        }
        lastView.put(customerId, now);
        return changed;
    }

    @Override
    public void close() {
        if (driver != null) {
            driver.close();
        }
        if (stateDir != null) {
            deleteRecursively(stateDir);
        }
        out.flush();
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; nothing else depends on it being gone
        }
    }
}
