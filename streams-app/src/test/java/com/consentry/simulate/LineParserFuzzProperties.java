package com.consentry.simulate;

import com.consentry.topology.Topics;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12: fuzzes the {@code simulate} and {@code produce} line parser with random text, with the scenario
 * lines mutated character by character (deletions, insertions, replacements, truncations, repeats) and with
 * their JSON values swapped for values of other types. Each line either parses or is refused with
 * {@link LineParser.BadLineException} (a {@code dead-letter} line with its reason); anything else fails.
 */
class LineParserFuzzProperties {
    private static final LineParser PARSER = new LineParser(Topics.defaults());
    private static final List<String> SEEDS = FuzzInputs.scenarioLines();
    /** JSON values of every type, and strings and numbers at the edges of what the fields take. */
    private static final List<String> VALUES = List.of("null", "true", "0", "-1", "1.5", "1e400", "-0",
            "12345678901234567890123", "[]", "{}", "[1,{\"a\":null}]", "\"\"", "\" \"", "\"*\"", "\"\\u0000\"",
            "\"\\ud800\"", "\"UNKNOWN\"", "\"+999999999-12-31T23:59:59Z\"", "\"-999999999-01-01T00:00:00Z\"",
            "\"1969-12-31T23:59:59Z\"", "\"2100-01-01T00:00:00.001Z\"", "\"2026-02-30T10:00:00Z\"",
            "\"2026-03-01T10:00:00+25:00\"", "\"9999-12-31\"", "\"+10000-01-01\"", "\"0000-00-00\"",
            "\"Mars/Olympus_Mons\"", "\"+44\"", "\"@\"", "\"clock\"", "\"query\"", "2147483648", "\"x\"");

    @Property(tries = 3000)
    void aMutatedScenarioLineParsesOrIsADeadLetter(@ForAll("mutatedLines") String line) {
        Statistics.collect(parseOrDeadLetter(line));
        Statistics.coverage(c -> {
            c.check("parsed").count(n -> n > 0);
            c.check("dead-letter").count(n -> n > 0);
        });
    }

    @Property(tries = 2000)
    void aScenarioLineWithAValueOfAnotherTypeParsesOrIsADeadLetter(@ForAll("swappedValues") String line) {
        parseOrDeadLetter(line);
    }

    @Property(tries = 1000)
    void randomTextIsADeadLetter(@ForAll("randomText") String line) {
        parseOrDeadLetter(line);
    }

    private static String parseOrDeadLetter(String line) {
        try {
            ParsedLine parsed = PARSER.parse(line, 7);
            assertThat(parsed.at()).as("a parsed line has its time").isNotNull();
            return "parsed";
        } catch (LineParser.BadLineException e) {
            assertThat(e.getMessage()).as("a dead-letter line's reason").isNotBlank();
            return "dead-letter";
        }
    }

    @Provide
    Arbitrary<String> mutatedLines() {
        Arbitrary<String> material = Arbitraries.oneOf(Arbitraries.strings().withChars("{}[]\":,\\ 0123456789eE+-.nultrfa")
                .ofMinLength(1).ofMaxLength(6), Arbitraries.strings().ofMinLength(1).ofMaxLength(4));
        Arbitrary<CharOp> op = Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(1, 12), material).as(CharOp::new);
        return Combinators.combine(Arbitraries.of(SEEDS), op.list().ofMinSize(1).ofMaxSize(3)).as((seed, ops) -> {
            String out = seed;
            for (CharOp o : ops) {
                out = o.apply(out);
            }
            return out;
        });
    }

    @Provide
    Arbitrary<String> swappedValues() {
        // the n-th value of the line ("key": value) replaced
        return Combinators.combine(Arbitraries.of(SEEDS), Arbitraries.integers().between(0, 12), Arbitraries.of(VALUES))
                .as((seed, n, value) -> {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile(":\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[^,}]+)")
                            .matcher(seed);
                    for (int i = 0; m.find(); i++) {
                        if (i == n) {
                            return seed.substring(0, m.start(1)) + value + seed.substring(m.end(1));
                        }
                    }
                    return seed.replaceFirst("}\\s*$", ",\"extra\":" + value + "}");
                });
    }

    @Provide
    Arbitrary<String> randomText() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(80),
                Arbitraries.strings().withChars("{}[]\":,\\ 0123456789eE+-.nultrfa").ofMaxLength(80),
                Arbitraries.strings().withChars("[{").ofMinLength(500).ofMaxLength(3000));
    }

    /** One change to a line: where (as a share of its length), what, and how much. */
    record CharOp(int kind, double where, int length, String text) {
        String apply(String in) {
            int at = (int) Math.min(in.length(), Math.floor(where * (in.length() + 1)));
            int end = Math.min(in.length(), at + length);
            return switch (kind) {
                case 0 -> in.substring(0, at) + in.substring(end); // delete
                case 1 -> in.substring(0, at) + text + in.substring(at); // insert
                case 2 -> in.substring(0, at) + text + in.substring(Math.min(in.length(), at + text.length())); // replace
                case 3 -> in.substring(0, at); // truncate
                default -> in.substring(0, end) + in.substring(at, end) + in.substring(end); // repeat
            };
        }
    }
}
