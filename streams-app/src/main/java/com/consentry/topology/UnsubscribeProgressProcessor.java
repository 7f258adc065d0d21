package com.consentry.topology;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Sees every record of the task's partition of the unsubscribe topic (decoded or dead-lettered, after
 * its siblings have handled it) and, on the wall clock, marks how far the partition is processed on
 * the suppressions topic ({@link SuppressionProgress}), when that moved.
 */
final class UnsubscribeProgressProcessor implements Processor<byte[], byte[], Object, Object> {
    private static final Duration REMARK = Duration.ofSeconds(1);
    private final SuppressionWait wait;
    private ProcessorContext<Object, Object> context;
    private int partition = -1;
    private long next = -1;
    private long streamTimeMs = Long.MIN_VALUE;
    private long marked = -1;
    private long markedAtMs;

    UnsubscribeProgressProcessor(SuppressionWait wait) {
        this.wait = wait;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.partition = context.taskId().partition();
        if (wait.waits()) {
            // a topology driven one record at a time has no one to tell
            context.schedule(wait.markInterval(), PunctuationType.WALL_CLOCK_TIME, this::mark);
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        context.recordMetadata().map(RecordMetadata::offset).ifPresent(o -> next = Math.max(next, o + 1));
        if (record.timestamp() >= 0) {
            streamTimeMs = Math.max(streamTimeMs, record.timestamp());
        }
    }

    private void mark(long nowMs) {
        if (next < 0) {
            // nothing processed since the task started: what it committed before is in the list already
            OptionalLong committed = wait.barrier().committedPosition(partition);
            if (committed.isEmpty()) {
                return;
            }
            next = committed.getAsLong();
        }
        // also now and then when it did not move: a store restored without this topology's processor (or a
        // new instance) meets the markers again
        if (next != marked || nowMs - markedAtMs >= REMARK.toMillis()) {
            String key = SuppressionProgress.key(partition);
            // before any record: nothing is known of its event times (the epoch stands for "none")
            Instant streamTime = Instant.ofEpochMilli(Math.max(0, streamTimeMs));
            context.forward(new Record<>(key, SuppressionProgress.marker(next, streamTime), nowMs),
                    CustomerProcessor.SUPPRESSIONS_SINK);
            marked = next;
            markedAtMs = nowMs;
        }
    }
}
