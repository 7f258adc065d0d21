package com.consentry.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crash drill, short, from the runnable jar as a user runs it: its own broker and registry, two service
 * instances in JVMs of their own, three SIGKILLs in the middle of transactions and a broker restart while
 * events are produced; then everything published, read read_committed, and both HTTP APIs must agree with
 * {@code simulate} on the same lines. Asserts what the drill verifies (no duplicate, nothing missing, no
 * mismatch, every kill done and recovered from), not how fast: the availability and recovery times are
 * figures for {@code docs/reliability.md}, printed, never asserted.
 */
class DrillIT {
    private static final Pattern LAST = Pattern.compile("^drill: (PASSED|FAILED) kills=(\\d+)/(\\d+) records=(\\d+) "
            + "duplicates=(\\d+) missing=(\\d+) mismatches=(\\d+) http-mismatches=(\\d+) answered=.*"
            + "ready-s=\\[([^]]*)] caught-up-s=\\[([^]]*)] repaired-s=\\[([^]]*)] "
            + "broker-restart ready-s=(\\S+) caught-up-s=(\\S+) repaired-s=(\\S+)$",
            Pattern.MULTILINE);

    @TempDir
    Path temp;

    @Test
    void threeKillsAndABrokerRestartLoseNothingDuplicateNothingAndDecideAsSimulate() throws Exception {
        Path out = temp.resolve("drill");
        Path log = temp.resolve("drill.log");
        Process drill = DevReplayIT.java(log, "drill", "--kills", 3, "--customers", 300, "--hours", 6,
                "--max-minutes", 15, "--out", out);
        boolean finished;
        try {
            finished = drill.waitFor(20, TimeUnit.MINUTES);
        } finally {
            drill.destroyForcibly();
        }
        String text = Files.readString(log);
        assertThat(finished).as("the drill finished; its output:%n%s", text).isTrue();
        Matcher last = LAST.matcher(text);
        assertThat(last.find()).as("the drill's last line in:%n%s", text).isTrue();
        assertThat(last.group(2)).as("kills done").isEqualTo("3");
        assertThat(Integer.parseInt(last.group(4))).as("records").isGreaterThan(2000);
        assertThat(last.group(5)).as("duplicates").isEqualTo("0");
        assertThat(last.group(6)).as("missing").isEqualTo("0");
        assertThat(last.group(7)).as("mismatches with simulate on the topics").isEqualTo("0");
        assertThat(last.group(8)).as("mismatches with simulate on the HTTP APIs").isEqualTo("0");
        assertThat(last.group(9)).as("every killed instance ready again").doesNotContain("never");
        assertThat(last.group(10)).as("the group caught up after every kill").doesNotContain("never");
        assertThat(last.group(11)).as("every partition answerable on both instances again after every kill")
                .doesNotContain("never");
        assertThat(last.group(12)).as("both instances ready after the broker restart").isNotEqualTo("never");
        assertThat(last.group(14)).as("every partition answerable on both instances after the broker restart")
                .isNotEqualTo("never");
        assertThat(last.group(1)).isEqualTo("PASSED");
        assertThat(drill.exitValue()).isZero();
        assertThat(out.resolve("input.jsonl")).exists();
        assertThat(out.resolve("logs").resolve("instance-a.log")).exists();
        assertThat(out.resolve("logs").resolve("instance-b.log")).exists();
    }
}
