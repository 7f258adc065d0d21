package com.consentry.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code drill}'s usage errors: refused before anything starts (no broker, no file written). */
class DrillCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void aSettingWithoutAValueIsAUsageError() {
        assertThat(run("drill", "--set", "max.task.idle.ms=100,commit.interval.ms")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--set expects KEY=VALUE pairs separated by commas, got 'commit.interval.ms'")
                .contains("usage: drill");
        assertThat(out.size()).isZero();
    }

    @Test
    void aNegativeRateIsAUsageError() {
        assertThat(run("drill", "--rate", "-1", "--keep")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--kills and --rate must not be negative");
        assertThat(out.size()).isZero();
    }

    private int run(String... argv) {
        return Main.execute(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
