package com.consentry.topology;

import java.time.Duration;

/**
 * How decisions wait for the suppression list ({@code consentry.suppressions.*}).
 *
 * @param barrier       says when the list has caught up; {@link SuppressionBarrier#NONE} never waits
 * @param checkInterval how often a task looks whether its held decisions may be published
 * @param markInterval  how often a task marks its progress through the unsubscribe topic
 */
public record SuppressionWait(SuppressionBarrier barrier, Duration checkInterval, Duration markInterval) {
    /** For a topology driven one record at a time: nothing waits and no progress is marked. */
    public static final SuppressionWait NONE =
            new SuppressionWait(SuppressionBarrier.NONE, Duration.ofMillis(10), Duration.ofMillis(20));

    public boolean waits() {
        return barrier != SuppressionBarrier.NONE;
    }

    public SuppressionWait withBarrier(SuppressionBarrier b) {
        return new SuppressionWait(b, checkInterval, markInterval);
    }
}
