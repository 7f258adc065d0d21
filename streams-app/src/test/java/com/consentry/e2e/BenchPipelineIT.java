package com.consentry.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench pipeline} at a tiny size, from the runnable jar, as a user runs it: its own broker and
 * registry, the three apps each in a JVM of its own, restore and opt-out. Checks what the user sees (a
 * positive throughput for each app (the replay too), the ratios, restore and opt-out figures, the CSV, the plot and the
 * summary), never how fast anything is.
 */
class BenchPipelineIT {
    private static final Pattern ROW = Pattern.compile("^\\| (identity|reduce|consentry|replay) \\| ([0-9,]+) \\| .*"
            + "\\| ([0-9.]+) \\| ([0-9.]+) \\| [^|]+\\| [^|]+\\| [^|]+\\| [^|]+\\| [0-9.]+ s \\|$", Pattern.MULTILINE);

    @TempDir
    Path temp;

    @Test
    void reportsEachAppsThroughputTheRatiosRestoreOptOutAndDecisionLatencyAndWritesTheCsvAndThePlot() throws Exception {
        Path out = temp.resolve("out");
        Path log = temp.resolve("bench.log");
        Process bench = DevReplayIT.java(log, "bench", "pipeline", "--customers", 60, "--hours", 2, "--partitions", 2,
                "--rate", 200, "--heap", "256m", "--out", out);
        assertThat(bench.waitFor(480, TimeUnit.SECONDS)).as("bench pipeline finished").isTrue();
        String text = Files.readString(log);
        assertThat(bench.exitValue()).as(text).isZero();

        Matcher rows = ROW.matcher(text);
        List<String> apps = new java.util.ArrayList<>();
        while (rows.find()) {
            apps.add(rows.group(1));
            assertThat(Double.parseDouble(rows.group(2).replace(",", ""))).as("steady records/s of %s", rows.group(1))
                    .isPositive();
            assertThat(Double.parseDouble(rows.group(3))).as("ratio to identity of %s", rows.group(1)).isPositive();
            assertThat(Double.parseDouble(rows.group(4))).as("ratio to reduce of %s", rows.group(1)).isPositive();
        }
        assertThat(apps).as(text).containsExactly("identity", "reduce", "consentry", "replay");
        assertThat(text).contains("× identity", "× reduce")
                .containsPattern("replay: `replay start` over the same topics, [0-9,]+ records/s steady = [0-9.]+ × Consentry live")
                .containsPattern("restore: [1-9][0-9,]* records from the changelogs")
                .containsPattern("opt-out latency .* [1-9][0-9]* of [1-9][0-9]* seen.*p50 [0-9,]+ ms, p99 [0-9,]+ ms")
                .containsPattern("decision latency .* without address traffic, ([1-9][0-9]*) of \\1 seen: "
                        + "p50 [0-9,]+ ms, p99 [0-9,]+ ms")
                .containsPattern("decision latency .* with 20 address-only unsubscribes/s, ([1-9][0-9]*) of \\1 seen: "
                        + "p50 [0-9,]+ ms, p99 [0-9,]+ ms");

        List<String> csv = Files.readAllLines(out.resolve("samples.csv"));
        assertThat(csv.get(0)).isEqualTo("app,elapsed_seconds,committed_records");
        assertThat(csv.stream().skip(1).map(l -> l.substring(0, l.indexOf(','))).distinct())
                .containsExactly("identity", "reduce", "consentry", "replay");
        BufferedImage png = ImageIO.read(out.resolve("throughput.png").toFile());
        assertThat(png).as("a PNG image").isNotNull();
        assertThat(png.getWidth()).isPositive();
        assertThat(Files.readString(out.resolve("summary.md"))).contains("bench pipeline --customers 60", "| consentry |");
        assertThat(out.resolve("logs").resolve("consentry.log")).exists();
        assertThat(out.resolve("logs").resolve("replay.log")).exists();
    }
}
