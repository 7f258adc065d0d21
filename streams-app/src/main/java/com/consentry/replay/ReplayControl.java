package com.consentry.replay;

import com.consentry.topology.InputBound;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a replay was started over, kept in {@code <state.dir>/replay-<id>/replay.json}: the offsets of
 * every input partition when it started (the earliest, and the end it stops at), and when it finished.
 * A {@code replay start} that finds the file resumes over the same offsets, so a replay that was
 * interrupted replays the same history.
 *
 * @param finishedAt null while the replay has not reached its end offsets
 * @param catchUp    set by {@code replay promote}: from the replay's end offsets to the input end offsets
 *                   when the promotion began (null before)
 * @param promotedAt when {@code replay promote} finished (null before)
 */
public record ReplayControl(String id, String applicationId, Instant startedAt, List<Range> ranges, Instant finishedAt,
                            List<Range> catchUp, Instant promotedAt) {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    /** One input partition: the replay processes offsets {@code start} (inclusive) to {@code end} (exclusive). */
    public record Range(String topic, int partition, long start, long end) {
        public long size() {
            return Math.max(0, end - start);
        }

        /** How many of the range's records a group that committed {@code committed} (may be null) has processed. */
        public long done(Long committed) {
            return committed == null ? 0 : Math.max(0, Math.min(committed, end) - start);
        }
    }

    public long total() {
        return ranges.stream().mapToLong(Range::size).sum();
    }

    public boolean finished() {
        return finishedAt != null;
    }

    public ReplayControl finish(Instant at) {
        return new ReplayControl(id, applicationId, startedAt, ranges, at, catchUp, promotedAt);
    }

    ReplayControl withCatchUp(List<Range> to) {
        return new ReplayControl(id, applicationId, startedAt, ranges, finishedAt, to, promotedAt);
    }

    ReplayControl promoted(Instant at) {
        return new ReplayControl(id, applicationId, startedAt, ranges, finishedAt, catchUp, at);
    }

    /** The same replay over the catch-up ranges of its promotion (for its progress and bound). */
    ReplayControl overCatchUp() {
        return new ReplayControl(id, applicationId, startedAt, catchUp, null, null, null);
    }

    /** The input topics' partition count (they are co-partitioned), which the shadow's topics get too. */
    public int partitions() {
        return ranges.stream().mapToInt(r -> r.partition() + 1).max().orElse(1);
    }

    /** The offsets the shadow may process. */
    public InputBound bound() {
        Map<TopicPartition, Long> ends = new HashMap<>();
        ranges.forEach(r -> ends.put(new TopicPartition(r.topic(), r.partition()), r.end()));
        return new InputBound(ends);
    }

    public static Optional<ReplayControl> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), ReplayControl.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the replay's control file " + file, e);
        }
    }

    /** Writes the file whole or not at all (a temporary file moved into place). */
    public void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the replay's control file " + file, e);
        }
    }
}
