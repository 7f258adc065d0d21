package com.consentry.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/**
 * The state the previous release (JSON state) wrote, in {@code src/test/resources/state-v0}: for each
 * input file, every entry of every state store and every record of the changelog and internal topics,
 * bytes exactly as that release wrote them (see the README there).
 */
final class LegacyStateFixture {
    /** The application id the fixture was written with ({@code simulate}'s): changelogs are {@code <id>-<store>-changelog}. */
    static final String APP_ID = "consentry-simulate";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One store entry ({@code store} set) or topic record ({@code topic} set); {@code value} null for a
     * tombstone.
     */
    record Entry(String file, String store, String topic, long timestamp, byte[] key, byte[] value) {
        /** The store this entry belongs to: its own, or the one a changelog topic logs. */
        String storeOrChangelogStore() {
            if (store != null) {
                return store;
            }
            if (topic.startsWith(APP_ID + "-") && topic.endsWith("-changelog")) {
                return topic.substring(APP_ID.length() + 1, topic.length() - "-changelog".length());
            }
            return null;
        }

        String where() {
            return file + " " + (store != null ? "store " + store : "topic " + topic) + " key "
                    + new String(key, StandardCharsets.UTF_8).replace('\u0000', '|');
        }
    }

    private LegacyStateFixture() {
    }

    static Path dir() {
        try {
            return Path.of(LegacyStateFixture.class.getResource("/state-v0").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every entry of every {@code *.state.jsonl} file. */
    static List<Entry> all() {
        try (Stream<Path> files = Files.list(dir())) {
            List<Entry> out = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".state.jsonl")).sorted().toList()) {
                out.addAll(read(f));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entries of one {@code <name>.state.jsonl} file. */
    static List<Entry> of(String name) {
        return read(dir().resolve(name + ".state.jsonl"));
    }

    private static List<Entry> read(Path file) {
        List<Entry> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                JsonNode n = JSON.readTree(line);
                out.add(new Entry(file.getFileName().toString(), text(n, "store"), text(n, "topic"),
                        n.path("timestamp").asLong(-1), bytes(n, "key"), bytes(n, "value")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    /** UTF-8 text under {@code field}, or base64 under {@code field + "Base64"}; null for a JSON null. */
    private static byte[] bytes(JsonNode n, String field) {
        if (n.hasNonNull(field + "Base64")) {
            return Base64.getDecoder().decode(n.get(field + "Base64").asText());
        }
        return n.hasNonNull(field) ? n.get(field).asText().getBytes(StandardCharsets.UTF_8) : null;
    }
}
