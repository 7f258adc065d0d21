package com.consentry.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class GlobalStateGuardTest {
    @TempDir
    Path stateDir;

    private Path globalStoreFile() throws Exception {
        Path f = stateDir.resolve("app").resolve("global").resolve("rocksdb").resolve("suppressions").resolve("CURRENT");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "x");
        return f;
    }

    @Test
    void aStartAfterACleanCloseKeepsTheGlobalStore() throws Exception {
        GlobalStateGuard first = new GlobalStateGuard(stateDir, "app");
        assertThat(first.beforeStart()).isFalse();
        Path store = globalStoreFile();
        first.closedCleanly();

        assertThat(new GlobalStateGuard(stateDir, "app").beforeStart()).isFalse();
        assertThat(store).exists();
    }

    @Test
    void aStartAfterAProcessThatNeverClosedRebuildsTheGlobalStoreOnly() throws Exception {
        assertThat(new GlobalStateGuard(stateDir, "app").beforeStart()).isFalse();
        Path store = globalStoreFile();
        Path task = stateDir.resolve("app").resolve("0_1").resolve("rocksdb").resolve("customers");
        Files.createDirectories(task);
        // SIGKILL: no closedCleanly()

        assertThat(new GlobalStateGuard(stateDir, "app").beforeStart()).isTrue();
        assertThat(store).doesNotExist();
        assertThat(stateDir.resolve("app").resolve("global")).doesNotExist();
        assertThat(task).as("the tasks' stores are Kafka Streams' to judge").exists();
        assertThat(stateDir.resolve("app").resolve(GlobalStateGuard.MARKER)).exists();
    }

    @Test
    void theMarkerBelongsToOneApplicationId() throws Exception {
        new GlobalStateGuard(stateDir, "other").beforeStart();
        assertThat(new GlobalStateGuard(stateDir, "app").beforeStart()).isFalse();
    }
}
