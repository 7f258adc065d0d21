package com.consentry.drill;

import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.DecisionKind;
import com.consentry.avro.EligibilityRow;
import com.consentry.avro.SendDecision;
import com.consentry.config.AppConfig;
import com.consentry.replay.TopicReader;
import com.consentry.simulate.Simulator;
import com.consentry.topology.AvroSerdes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run decided, in the terms the drill compares: {@code decision/reason} per send requestId and
 * per reminded cart (a list: a repeated requestId is decided once per request), and the final view,
 * {@code eligible/reason} per {@code brand/channel} of each customer (empty after an erasure).
 */
record Outcome(Map<String, List<String>> decisions, Map<String, List<String>> reminders,
               Map<String, Map<String, String>> view) {
    private static final ObjectMapper JSON = new ObjectMapper();

    Outcome() {
        this(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
    }

    /** What {@code simulate} prints for {@code lines} (line numbers from 1, as in the file). */
    static Outcome simulate(List<String> lines, AppConfig config) throws IOException {
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
                case "decision" -> o.add(o.decisions, n.get("requestId").asText(), n);
                case "reminder" -> o.add(o.reminders, n.get("cartId").asText(), n);
                case "eligibility" -> {
                    Map<String, String> rows = o.view.computeIfAbsent(n.get("customerId").asText(), k -> new TreeMap<>());
                    if (n.has("tombstone")) {
                        rows.clear();
                    } else {
                        rows.put(n.get("brand").asText() + "/" + n.get("channel").asText(),
                                n.get("eligible").asBoolean() + "/" + n.get("reason").asText());
                    }
                }
                default -> {
                }
            }
        }
        return o;
    }

    private void add(Map<String, List<String>> to, String key, JsonNode n) {
        to.computeIfAbsent(key, k -> new ArrayList<>()).add(n.get("decision").asText() + "/" + n.get("reason").asText());
    }

    /** What the service published: the committed records of the decisions and eligibility topics (read_committed). */
    static Outcome published(AppConfig config, AvroSerdes avro) {
        TopicReader reader = new TopicReader(config);
        Outcome o = new Outcome();
        for (ConsumerRecord<String, SendDecision> r : reader.readAll(config.topics().sendDecisions(),
                avro.decision().deserializer())) {
            SendDecision d = r.value();
            String answer = d.getDecision() + "/" + d.getReason();
            Map<String, List<String>> to = d.getKind() == DecisionKind.CART_REMINDER ? o.reminders : o.decisions;
            to.computeIfAbsent(d.getKind() == DecisionKind.CART_REMINDER ? d.getCartId() : d.getRequestId(),
                    k -> new ArrayList<>()).add(answer);
        }
        for (ConsumerRecord<String, CustomerEligibility> r : reader.readAll(config.topics().customerEligibility(),
                avro.eligibility().deserializer())) {
            o.view.put(r.key(), rows(r.value()));
        }
        return o;
    }

    static Map<String, String> rows(CustomerEligibility e) {
        Map<String, String> rows = new TreeMap<>();
        if (e != null) {
            for (EligibilityRow row : e.getRows()) {
                rows.put(row.getBrand() + "/" + row.getChannel(), row.getEligible() + "/" + row.getReason());
            }
        }
        return rows;
    }

    /** Records on the output topics: decisions, reminders and customers with a view. */
    long records() {
        return decisions.values().stream().mapToLong(List::size).sum()
                + reminders.values().stream().mapToLong(List::size).sum();
    }
}
