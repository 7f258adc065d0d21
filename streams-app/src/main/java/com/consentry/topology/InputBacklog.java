package com.consentry.topology;

/**
 * Whether a task's input partitions hold records its consumer has not fetched yet. The wall clock never
 * fires reminders or sweeps of a task that is behind: the records it has not read may close the cart or
 * move its event time (issue 12, "never while the task is behind its input end offsets").
 */
@FunctionalInterface
public interface InputBacklog {
    /** Never behind: {@code simulate} and topology tests, whose input is all there. */
    InputBacklog NONE = partition -> false;

    /** True when an input partition numbered {@code partition} is known to hold records not yet fetched. */
    boolean behind(int partition);
}
