package com.consentry.topology;

import com.consentry.policy.SuppressionList;
import com.consentry.policy.TimeDrivenChanges;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The sweep-due index ({@link StoreNames#SWEEP_DUE}): for each customer, the next instant at which an
 * answer may change by time alone (expiry, turning of age, soft opt-in lapsing). A sweep at T re-evaluates
 * exactly the customers due at or before T, read with one bounded range scan from the previous sweep:
 * it costs O(customers due), not O(customers). A customer's entry moves each time they are evaluated.
 */
final class ViewSweeps {
    private static final String LAST_SWEEP = "last-sweep";
    private static final String INDEX_BUILT = "sweep-index-built";

    private final TimeDrivenChanges changes;
    private final KeyValueStore<String, String> due;
    private final KeyValueStore<String, Long> schedule;
    /** The task's last sweep instant in millis, or null before the first. */
    private Long lastSweep;

    ViewSweeps(TimeDrivenChanges changes, KeyValueStore<String, String> due, KeyValueStore<String, Long> schedule) {
        this.changes = changes;
        this.due = due;
        this.schedule = schedule;
        this.lastSweep = schedule.get(LAST_SWEEP);
    }

    /**
     * Builds the index once for a store written by a release without it: the one full scan of the
     * customers store, at the first start of this version, never on the hot path.
     */
    void buildIfAbsent(KeyValueStore<String, CustomerState> customers, SuppressionList suppressions) {
        if (schedule.get(INDEX_BUILT) != null) {
            return;
        }
        List<KeyValue<String, CustomerState>> all = new ArrayList<>();
        try (KeyValueIterator<String, CustomerState> it = customers.all()) {
            it.forEachRemaining(all::add);
        }
        for (KeyValue<String, CustomerState> kv : all) {
            if (kv.value.viewAt != null) {
                kv.value.sweepDueAt = null;
                index(kv.key, kv.value, suppressions, kv.value.viewAt, false);
                customers.put(kv.key, kv.value);
            }
        }
        schedule.put(INDEX_BUILT, 1L);
    }

    /** The last sweep instant, or null before the first. */
    Long lastSweep() {
        return lastSweep;
    }

    /** Records that the sweep at {@code at} runs: the customers due by then are taken, in store order. */
    List<String> startSweep(long at) {
        long from = lastSweep == null ? 0 : lastSweep + 1;
        lastSweep = at;
        schedule.put(LAST_SWEEP, at);
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, String> it = due.range(DueKeys.millis(from), DueKeys.millis(at + 1))) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        // the customers store iterates by UTF-8 bytes, which is code point order
        TreeSet<String> customers = new TreeSet<>(ViewSweeps::byCodePoint);
        for (String key : keys) {
            due.delete(key);
            customers.add(key.substring(key.indexOf('\u0000') + 1));
        }
        return new ArrayList<>(customers);
    }

    /**
     * Records when the customer's answers next change by time after {@code evaluatedAt} (the instant
     * their view was just evaluated at) and moves their index entry there. An instant the last sweep
     * already passed is due at the next sweep, which is when a full sweep would have evaluated it.
     *
     * @param keepsViewAt true when the view keeps an earlier evaluation instant (a sweep that changed
     *                    nothing): the customer's own next change stays as it was, only the entry moves
     */
    void index(String customerId, CustomerState s, SuppressionList suppressions, Instant evaluatedAt,
               boolean keepsViewAt) {
        Instant next = changes.nextAfter(s.history, suppressions, evaluatedAt);
        if (!keepsViewAt) {
            s.nextChangeAt = next;
        }
        if (next != null && lastSweep != null && next.toEpochMilli() <= lastSweep) {
            next = Instant.ofEpochMilli(lastSweep + 1);
        }
        if (next == null ? s.sweepDueAt == null : next.equals(s.sweepDueAt)) {
            return;
        }
        if (s.sweepDueAt != null) {
            due.delete(key(s.sweepDueAt, customerId));
        }
        if (next != null) {
            due.put(key(next, customerId), "");
        }
        s.sweepDueAt = next;
    }

    private static String key(Instant at, String customerId) {
        return DueKeys.millis(at.toEpochMilli()) + '\u0000' + customerId;
    }

    private static int byCodePoint(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
