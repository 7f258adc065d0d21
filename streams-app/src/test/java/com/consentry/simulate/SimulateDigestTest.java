package com.consentry.simulate;

import com.consentry.bench.EventMix;
import com.consentry.bench.MixStats;
import com.consentry.config.AppConfig;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No behaviour change (issue 9): {@code simulate} over a generated mix of about 100,000 events prints,
 * byte for byte, what the release before the throughput work printed. The generator settings, the
 * input's digest and the recorded output (line counts by type and SHA-256) are in
 * {@code src/test/resources/digest/simulate-digest.properties}, which says how they were produced.
 * A mismatch in the input digest means the generator changed (regenerate the record with the old jar);
 * a mismatch in the output means the decisions changed.
 */
class SimulateDigestTest {
    @Test
    void aGeneratedMixGivesTheOutputOfTheReleaseBeforeTheThroughputWork() throws Exception {
        Properties record = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/digest/simulate-digest.properties")) {
            record.load(in);
        }
        EventMix.Settings settings = new EventMix.Settings(Integer.parseInt(record.getProperty("customers")),
                Duration.ofHours(Long.parseLong(record.getProperty("hours"))), Long.parseLong(record.getProperty("seed")),
                Instant.parse(record.getProperty("start")));
        MessageDigest input = sha256();
        LineDigest output = new LineDigest();
        long started = System.nanoTime();
        long lines;
        try (PrintStream out = new PrintStream(output, false, StandardCharsets.UTF_8);
             Simulator sim = new Simulator(AppConfig.of(Map.of()), out)) {
            int[] n = {0};
            lines = EventMix.generate(settings, line -> {
                input.update((line + "\n").getBytes(StandardCharsets.UTF_8));
                sim.accept(line, ++n[0]);
            });
        }
        System.out.printf("SimulateDigestTest: %,d input lines, %,d output lines in %.1f s%n", lines,
                output.stats.lines(), (System.nanoTime() - started) / 1e9);

        assertThat(lines).as("input lines").isEqualTo(Long.parseLong(record.getProperty("input.lines")));
        assertThat(hex(input)).as("input digest: the generator no longer writes the recorded file")
                .isEqualTo(record.getProperty("input.sha256"));
        Map<String, Long> expectedByType = new TreeMap<>();
        record.stringPropertyNames().stream().filter(k -> k.startsWith("output.lines."))
                .forEach(k -> expectedByType.put(k.substring("output.lines.".length()), Long.parseLong(record.getProperty(k))));
        assertThat(new TreeMap<>(output.stats.byType())).as("output lines by type").isEqualTo(expectedByType);
        assertThat(output.stats.lines()).as("output lines").isEqualTo(Long.parseLong(record.getProperty("output.lines")));
        assertThat(hex(output.digest)).as("output digest").isEqualTo(record.getProperty("output.sha256"));
    }

    /** Hashes what is printed, as {@code sha256sum} of the command's standard output would, and counts its lines by type. */
    private static final class LineDigest extends OutputStream {
        final MessageDigest digest = sha256();
        final MixStats stats = new MixStats();
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            digest.update((byte) b);
            if (b == '\n') {
                stats.accept(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(MessageDigest d) {
        return HexFormat.of().formatHex(d.digest());
    }
}
