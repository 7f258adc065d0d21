package com.consentry.service;

import com.consentry.runtime.Directories;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Prepares the state directory after an unclean stop (a SIGKILL, an out-of-memory kill, a lost node). Each start
 * writes a marker in the application's state directory and a clean close removes it, so a start that finds the
 * marker knows the process before it did not close. Then, before the streams are created:
 * <ul>
 *   <li>the global store (the suppression list) is deleted, so that it is rebuilt from its topic
 *   (consentry-suppressions). Under exactly-once, Kafka Streams 4.3 treats a RocksDB store a SIGKILL left open as
 *   corrupted, and for the global store it lets the global thread die and the whole client go to ERROR
 *   (KAFKA-21034, not fixed in 4.3): the crash drill met it at 200,000 customers, a killed instance exited at its
 *   restart.</li>
 *   <li>under exactly-once, the tasks' directories are deleted too. Kafka Streams 4.3 keeps no committed offsets
 *   in a task's stores while it processes under exactly-once, so after an unclean stop it finds every such store
 *   "not empty, without checkpoint offsets", treats the task as corrupted and restores it from the changelogs
 *   from scratch anyway; but first it opens every store of every task directory at start-up, before the global
 *   thread starts (about 2 s for six tasks in the crash drill), only to find them corrupted. Deleting them spares
 *   that wait: a restarted instance is ready sooner. Transactional stores (KIP-892, Kafka 4.4) would keep the
 *   state across such a stop; this must go when the project moves to them. Under at-least-once the tasks'
 *   stores keep their offsets and are left to Kafka Streams.</li>
 * </ul>
 */
final class UncleanStopGuard {
    private static final Logger LOG = LoggerFactory.getLogger(UncleanStopGuard.class);
    static final String MARKER = "consentry-running";
    /** Where Kafka Streams keeps the global stores, below the application's state directory. */
    static final String GLOBAL_DIR = "global";
    /** A task's directory: subtopology, underscore, partition (e.g. {@code 0_2}). */
    private static final Pattern TASK_DIR = Pattern.compile("\\d+_\\d+");

    private final Path appDir;
    private final boolean exactlyOnce;

    UncleanStopGuard(Path stateDir, String applicationId, boolean exactlyOnce) {
        this.appDir = stateDir.resolve(applicationId);
        this.exactlyOnce = exactlyOnce;
    }

    /**
     * Before the streams are created: when the last process did not close cleanly, deletes the global store and,
     * under exactly-once, the tasks' directories; then marks this one as running. True when the last process
     * did not close cleanly.
     */
    boolean beforeStart() {
        try {
            Files.createDirectories(appDir);
            Path marker = appDir.resolve(MARKER);
            boolean unclean = Files.exists(marker);
            if (unclean) {
                List<Path> deleted = new ArrayList<>();
                for (Path dir : stale()) {
                    Directories.deleteTree(dir);
                    deleted.add(appDir.relativize(dir));
                }
                LOG.warn("the last run on state.dir {} did not stop cleanly: deleted {} (Kafka Streams cannot reopen the "
                        + "global store and restores the tasks from their changelogs under exactly-once)", appDir, deleted);
            }
            Files.writeString(marker, ProcessHandle.current().pid() + "\n");
            return unclean;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the state directory " + appDir, e);
        }
    }

    /** The directories an unclean stop leaves that Kafka Streams would not reuse. */
    private List<Path> stale() throws IOException {
        List<Path> out = new ArrayList<>();
        Path global = appDir.resolve(GLOBAL_DIR);
        if (Files.exists(global)) {
            out.add(global);
        }
        if (exactlyOnce) {
            try (Stream<Path> children = Files.list(appDir)) {
                children.filter(p -> Files.isDirectory(p) && TASK_DIR.matcher(p.getFileName().toString()).matches())
                        .sorted()
                        .forEach(out::add);
            }
        }
        return out;
    }

    /** After a clean close: the next start may keep the stores. */
    void closedCleanly() {
        try {
            Files.deleteIfExists(appDir.resolve(MARKER));
        } catch (IOException e) {
            LOG.warn("cannot remove {}: the next start rebuilds the local state error={}", appDir.resolve(MARKER),
                    e.toString());
        }
    }
}
