package com.consentry.drill;

import com.consentry.bench.EventMix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.utils.Utils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The drill's input: the event mix of {@code bench generate}, then one closing profile event per
 * partition, two hours after the mix's last event. Each partition's stream time then passes every
 * reminder and sweep due within the mix, on the service's tasks as in {@code simulate}'s single clock,
 * so that both decide the same reminders and reach the same final view.
 */
record DrillInput(List<String> lines, Instant first, long events) {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration CLOSING_GAP = Duration.ofHours(2);

    static DrillInput generate(EventMix.Settings mix, int partitions) {
        List<String> lines = new ArrayList<>();
        EventMix.generate(mix, lines::add);
        Instant first = at(lines.get(0));
        Instant last = first;
        for (String l : lines) {
            Instant t = at(l);
            last = t.isAfter(last) ? t : last;
        }
        Instant closing = last.plus(CLOSING_GAP);
        if (closing.isAfter(Instant.now())) {
            throw new IllegalArgumentException("the history must end " + CLOSING_GAP.toHours() + " hours before now "
                    + "(its closing events come that long after its last one), but it ends at " + last
                    + ": choose an earlier --start");
        }
        Set<Integer> covered = new HashSet<>();
        for (int n = 0; covered.size() < partitions; n++) {
            String id = "drill-close-" + n;
            // the producer's default partitioner, as for every customerId key
            if (covered.add(Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions)) {
                ObjectNode e = JSON.createObjectNode().put("type", "customer").put("at", closing.toString())
                        .put("customerId", id).put("eventType", "UPSERT").put("country", "GB");
                lines.add(e.toString());
            }
        }
        return new DrillInput(List.copyOf(lines), first, lines.size());
    }

    private static Instant at(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            return Instant.parse(n.get("at").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Up to {@code n} point queries (customer, brand, channel) on rows simulate published, drawn with {@code random}. */
    List<QueryLoop.Point> points(Outcome expected, Random random, int n) {
        List<QueryLoop.Point> all = new ArrayList<>();
        expected.view().forEach((customer, rows) -> rows.keySet().forEach(key -> {
            int slash = key.lastIndexOf('/');
            all.add(new QueryLoop.Point(customer, key.substring(0, slash), key.substring(slash + 1)));
        }));
        java.util.Collections.shuffle(all, random);
        return List.copyOf(all.subList(0, Math.min(n, all.size())));
    }
}
