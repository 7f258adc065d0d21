package com.consentry.service;

import com.consentry.runtime.Directories;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps an unclean stop from killing the next start. Under exactly-once, Kafka Streams 4.3 treats a
 * RocksDB store that a SIGKILL left open as corrupted; for the tasks' stores it wipes and restores them,
 * but for the global store (the suppression list) it lets the global thread die and the whole client go
 * to ERROR (KAFKA-21034, not fixed in 4.3). The crash drill met it at 200,000 customers: a killed instance
 * exited at its restart. So each start writes a marker in the application's state directory and a clean
 * close removes it; a start that finds the marker knows the process before it did not close, and deletes
 * the global store's directory first, so that it is rebuilt from its topic (consentry-suppressions)
 * instead. The tasks' stores are left to Kafka Streams.
 */
final class GlobalStateGuard {
    private static final Logger LOG = LoggerFactory.getLogger(GlobalStateGuard.class);
    static final String MARKER = "consentry-running";
    /** Where Kafka Streams keeps the global stores, below the application's state directory. */
    static final String GLOBAL_DIR = "global";

    private final Path appDir;

    GlobalStateGuard(Path stateDir, String applicationId) {
        this.appDir = stateDir.resolve(applicationId);
    }

    /**
     * Before the streams are created: when the last process did not close cleanly, deletes the global
     * stores; then marks this one as running. True when it deleted them.
     */
    boolean beforeStart() {
        try {
            Files.createDirectories(appDir);
            Path marker = appDir.resolve(MARKER);
            boolean unclean = Files.exists(marker);
            Path global = appDir.resolve(GLOBAL_DIR);
            boolean wiped = false;
            if (unclean && Files.exists(global)) {
                Directories.deleteTree(global);
                wiped = true;
                LOG.warn("the last run on state.dir {} did not stop cleanly: the global suppression store is rebuilt "
                        + "from its topic (Kafka Streams cannot reopen it under exactly-once)", appDir);
            }
            Files.writeString(marker, ProcessHandle.current().pid() + "\n");
            return wiped;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the state directory " + appDir, e);
        }
    }

    /** After a clean close: the next start may keep the global stores. */
    void closedCleanly() {
        try {
            Files.deleteIfExists(appDir.resolve(MARKER));
        } catch (IOException e) {
            LOG.warn("cannot remove {}: the next start rebuilds the global store error={}", appDir.resolve(MARKER),
                    e.toString());
        }
    }
}
