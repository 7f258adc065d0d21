package com.consentry.topology;

import com.consentry.policy.Suppression;

import java.util.function.Function;

/**
 * Tells a task when the suppression list it reads has caught up with the address-only unsubscribes:
 * {@link #passed} is true once every such unsubscribe acknowledged to its producer before a given wall
 * clock instant is in the list (see {@link SuppressionProgress}). The service's implementation watches
 * the unsubscribe topic's end offsets ({@code com.consentry.service.SuppressionWatch}); {@link #NONE}
 * is for a topology driven one record at a time ({@code simulate}, topology tests), where the list is
 * always up to date. Implementations are shared by the tasks of an instance: thread-safe.
 */
public interface SuppressionBarrier {
    /**
     * @param wallMs      the wall clock instant a decision was taken at
     * @param eventTimeMs the event time the decision is for, or the timestamp of the record that caused it
     *                    when later: an unsubscribe partition processed past it (in record timestamps, which
     *                    publishers give in publishing order) has applied every unsubscribe published before
     * @param progress    the suppression list's entries by key (progress markers included)
     */
    boolean passed(long wallMs, long eventTimeMs, Function<String, Suppression> progress);

    /**
     * The last offset, per partition of the unsubscribe topic, of the records acknowledged to their
     * producers before wall clock instant {@code wallMs} (as {@link #passed} counts them), or null when not
     * known: then every entry of the list counts as acknowledged before.
     */
    default long[] acknowledgedBefore(long wallMs) {
        return null;
    }

    /** A decision was published after waiting {@code millis} for the list (0: it did not wait). */
    void released(long millis);

    /** A decision could not be published at once: it is held until the list catches up. */
    default void held() {
    }

    /** A held decision was taken again: the list showed something new for an address it looked up. */
    default void redecided() {
    }

    /**
     * Where this instance's task of {@code partition} of the unsubscribe topic last committed, if it
     * knows: a task that has processed no record since it started marks its progress from there.
     */
    default java.util.OptionalLong committedPosition(int partition) {
        return java.util.OptionalLong.empty();
    }

    /** Never waits: the topology's own output reaches the list before the next record is processed. */
    SuppressionBarrier NONE = new SuppressionBarrier() {
        @Override
        public boolean passed(long wallMs, long eventTimeMs, Function<String, Suppression> progress) {
            return true;
        }

        @Override
        public void released(long millis) {
        }
    };
}
