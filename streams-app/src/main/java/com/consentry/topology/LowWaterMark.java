package com.consentry.topology;

import org.apache.kafka.streams.state.KeyValueStore;

import java.util.function.LongSupplier;

/**
 * The lowest due time a time-ordered index may still hold an entry for: every entry below it has been
 * taken. Readers scan {@code range(mark, now)} instead of the whole store, so the tombstones of taken
 * entries are never walked again. The mark is kept in the task's (cached, changelogged) schedule store,
 * so a restart re-reads it; a store written by a release without the mark derives it once.
 */
final class LowWaterMark {
    private final KeyValueStore<String, Long> schedule;
    private final String key;
    private long value;

    LowWaterMark(KeyValueStore<String, Long> schedule, String key, LongSupplier deriveWhenAbsent) {
        this.schedule = schedule;
        this.key = key;
        Long held = schedule.get(key);
        if (held == null) {
            held = deriveWhenAbsent.getAsLong();
            schedule.put(key, held);
        }
        this.value = held;
    }

    long get() {
        return value;
    }

    /** Moves the mark to {@code millis}: every entry below it has been taken. */
    void set(long millis) {
        if (millis != value) {
            value = millis;
            schedule.put(key, millis);
        }
    }

    /** An entry was added at {@code millis}: the mark must not be above it. */
    void lowerTo(long millis) {
        if (millis < value) {
            set(millis);
        }
    }
}
