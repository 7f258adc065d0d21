package com.consentry.simulate;

import com.consentry.config.AppConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every scenario under {@code src/test/resources/scenarios} (the public examples of the spec and our
 * own) through {@link Simulator}, checked the way {@code shared/scenarios/check.py} checks them: each
 * expected line names an output line by its identity and lists the fields that must match.
 */
class ScenarioTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, List<String>> IDENTITY = Map.of(
            "answer", List.of("at", "customerId", "brand", "channel"),
            "decision", List.of("requestId"),
            "reminder", List.of("cartId"),
            "eligibility", List.of("customerId", "brand", "channel", "eligible", "reason"),
            "dead-letter", List.of("line"));

    @TestFactory
    Stream<DynamicTest> scenarios() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/scenarios").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".jsonl") && !p.toString().endsWith(".expect.jsonl"))
                    .sorted().toList();
        }
        assertThat(files).isNotEmpty();
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    static List<JsonNode> simulate(Path input) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             Simulator sim = new Simulator(AppConfig.of(Map.of()), out)) {
            List<String> lines = Files.readAllLines(input);
            for (int i = 0; i < lines.size(); i++) {
                sim.accept(lines.get(i), i + 1);
            }
        }
        List<JsonNode> out = new ArrayList<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    private static void check(Path scenario) throws IOException {
        List<JsonNode> out = simulate(scenario);
        Path expect = Path.of(scenario.toString().replace(".jsonl", ".expect.jsonl"));
        List<String> problems = new ArrayList<>();
        for (String raw : Files.readAllLines(expect)) {
            if (raw.isBlank()) {
                continue;
            }
            JsonNode exp = JSON.readTree(raw);
            String kind = exp.get("type").asText();
            List<String> ident = IDENTITY.get(kind);
            List<JsonNode> candidates = out.stream()
                    .filter(o -> kind.equals(o.path("type").asText()) && same(exp, o, ident)).toList();
            List<String> wanted = new ArrayList<>();
            for (Iterator<String> it = exp.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!List.of("type", "absent", "why", "count").contains(k)) {
                    wanted.add(k);
                }
            }
            String why = exp.path("why").asText();
            if (exp.path("absent").asBoolean(false)) {
                if (!candidates.isEmpty()) {
                    problems.add("unexpected " + candidates.get(0) + " (" + why + ")");
                }
            } else if (candidates.isEmpty()) {
                problems.add("missing " + raw);
            } else if (exp.has("count") && candidates.size() != exp.get("count").asInt()) {
                problems.add("want " + exp.get("count") + " lines like " + raw + ", got " + candidates.size());
            } else if (candidates.stream().noneMatch(c -> same(exp, c, wanted))) {
                problems.add("wrong: want " + raw + " got " + candidates.get(candidates.size() - 1));
            }
        }
        assertThat(problems).as("output:%n%s", String.join("\n", out.stream().map(JsonNode::toString).toList()))
                .isEmpty();
    }

    private static boolean same(JsonNode expected, JsonNode actual, List<String> keys) {
        for (String k : keys) {
            if (!expected.has(k)) {
                continue;
            }
            if (!actual.has(k) || !equal(k, expected.get(k), actual.get(k))) {
                return false;
            }
        }
        return true;
    }

    private static boolean equal(String key, JsonNode a, JsonNode b) {
        if (key.equals("at") && a.isTextual() && b.isTextual()) {
            try {
                return OffsetDateTime.parse(a.asText()).toInstant().equals(OffsetDateTime.parse(b.asText()).toInstant());
            } catch (RuntimeException e) {
                return a.equals(b);
            }
        }
        return a.equals(b);
    }
}
