package com.consentry.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class UncleanStopGuardTest {
    @TempDir
    Path stateDir;

    private Path file(String first, String... more) throws Exception {
        Path f = stateDir.resolve("app").resolve(first);
        for (String m : more) {
            f = f.resolve(m);
        }
        Files.createDirectories(f.getParent());
        Files.writeString(f, "x");
        return f;
    }

    private Path globalStoreFile() throws Exception {
        return file("global", "rocksdb", "suppressions", "CURRENT");
    }

    private Path taskStoreFile(String task) throws Exception {
        return file(task, "rocksdb", "customers", "CURRENT");
    }

    @Test
    void aStartAfterACleanCloseKeepsEveryStore() throws Exception {
        UncleanStopGuard first = new UncleanStopGuard(stateDir, "app", true);
        assertThat(first.beforeStart()).isFalse();
        Path global = globalStoreFile();
        Path task = taskStoreFile("0_1");
        first.closedCleanly();

        assertThat(new UncleanStopGuard(stateDir, "app", true).beforeStart()).isFalse();
        assertThat(global).exists();
        assertThat(task).exists();
    }

    @Test
    void underExactlyOnceAStartAfterAProcessThatNeverClosedDeletesTheGlobalStoreAndTheTasks() throws Exception {
        assertThat(new UncleanStopGuard(stateDir, "app", true).beforeStart()).isFalse();
        globalStoreFile();
        taskStoreFile("0_1");
        taskStoreFile("12_0");
        Path processId = file("kafka-streams-process-metadata");
        Path other = file("not_a_task", "x");
        // SIGKILL: no closedCleanly()

        assertThat(new UncleanStopGuard(stateDir, "app", true).beforeStart()).isTrue();
        assertThat(stateDir.resolve("app").resolve("global")).doesNotExist();
        assertThat(stateDir.resolve("app").resolve("0_1")).doesNotExist();
        assertThat(stateDir.resolve("app").resolve("12_0")).doesNotExist();
        assertThat(processId).as("the process id keeps the instance's assignment").exists();
        assertThat(other).as("only task directories are Kafka Streams' state").exists();
        assertThat(stateDir.resolve("app").resolve(UncleanStopGuard.MARKER)).exists();
    }

    @Test
    void underAtLeastOnceTheTasksKeepTheirStores() throws Exception {
        assertThat(new UncleanStopGuard(stateDir, "app", false).beforeStart()).isFalse();
        globalStoreFile();
        Path task = taskStoreFile("0_1");

        assertThat(new UncleanStopGuard(stateDir, "app", false).beforeStart()).isTrue();
        assertThat(stateDir.resolve("app").resolve("global")).doesNotExist();
        assertThat(task).as("at-least-once stores keep their offsets: Kafka Streams restores only the rest").exists();
    }

    @Test
    void theMarkerBelongsToOneApplicationId() throws Exception {
        new UncleanStopGuard(stateDir, "other", true).beforeStart();
        Path task = taskStoreFile("0_0");
        assertThat(new UncleanStopGuard(stateDir, "app", true).beforeStart()).isFalse();
        assertThat(task).exists();
    }
}
