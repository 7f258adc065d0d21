package com.consentry.bench;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what an app restores from its changelogs (global store included): records, and the time from
 * the first restoration's start to the last one's end. Called from the restoring threads.
 */
final class RestoreCounter implements StateRestoreListener {
    private final AtomicLong records = new AtomicLong();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong firstStartMillis = new AtomicLong();
    private final AtomicLong lastEndMillis = new AtomicLong();

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
        active.incrementAndGet();
        firstStartMillis.compareAndSet(0, System.currentTimeMillis());
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        records.addAndGet(numRestored);
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        active.decrementAndGet();
        lastEndMillis.set(System.currentTimeMillis());
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
        active.decrementAndGet();
    }

    /** The reply to {@code restore}: {@code restore active=A records=R first-start=MS last-end=MS}. */
    String line() {
        return "restore active=" + active.get() + " records=" + records.get() + " first-start=" + firstStartMillis.get()
                + " last-end=" + lastEndMillis.get();
    }
}
