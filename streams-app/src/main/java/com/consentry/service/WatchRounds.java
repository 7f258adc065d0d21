package com.consentry.service;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The {@link SuppressionWatch}'s recent rounds: for each, when it started and the offset of the last
 * record of each partition of the unsubscribe topic it read to. Consecutive rounds that found the same
 * offsets are kept as one (the span of their starts), so that the history counts changes of the topic,
 * not rounds: at a round every few milliseconds, {@link #KEEP} single rounds held only seconds, and a
 * decision held longer than that (a long commit interval) was judged against a later round. Thread-safe.
 */
final class WatchRounds {
    /** Changes kept: minutes of them at a few unsubscribes a second. */
    static final int KEEP = 1024;

    /**
     * Rounds that found the same offsets: the first started at {@code firstStartedMs}, the last at
     * {@code lastStartedMs}; {@code lastOffsets} by partition (-1: no record).
     */
    record Round(long firstStartedMs, long lastStartedMs, long[] lastOffsets, int suppressionsPartitions) {
    }

    private final int keep;
    private final ArrayDeque<Round> rounds = new ArrayDeque<>();

    WatchRounds(int keep) {
        this.keep = keep;
    }

    /** A round that started at {@code startedMs} and read to {@code lastOffsets} (copied). */
    synchronized void add(long startedMs, long[] lastOffsets, int suppressionsPartitions) {
        Round previous = rounds.peekLast();
        if (previous != null && Arrays.equals(previous.lastOffsets(), lastOffsets)
                && previous.suppressionsPartitions() == suppressionsPartitions) {
            rounds.removeLast();
            rounds.addLast(new Round(previous.firstStartedMs(), startedMs, previous.lastOffsets(), suppressionsPartitions));
        } else {
            rounds.addLast(new Round(startedMs, startedMs, lastOffsets.clone(), suppressionsPartitions));
        }
        while (rounds.size() > keep) {
            rounds.removeFirst();
        }
    }

    /**
     * What the first round started at or after {@code wallMs} found (of those kept: the oldest kept when
     * that one is gone, which counts more records as acknowledged before, never fewer); null when none has
     * started since.
     */
    synchronized Round firstSince(long wallMs) {
        Round found = null;
        for (Iterator<Round> it = rounds.descendingIterator(); it.hasNext(); ) {
            Round r = it.next();
            if (r.lastStartedMs() < wallMs) {
                break;
            }
            found = r;
        }
        return found;
    }
}
