package com.consentry.topology;

import com.consentry.policy.SendOutcome;
import com.consentry.policy.SendRequest;
import com.consentry.policy.Suppression;
import com.consentry.policy.SuppressionList;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The task's outputs that wait for the suppression list, in the order they were computed: send and
 * reminder decisions, eligibility views and erasure tombstones. An output is computed as soon as its
 * event (or a reminder's due time) is reached, with the state as it is then, and published once the
 * {@link SuppressionBarrier} says that every address-only unsubscribe acknowledged before it is in the
 * list. If by then the list shows something new for an address it looked up, it is computed again
 * ({@link Held#stale}).
 *
 * <p>The queue lives in the {@link StoreNames#HELD_OUTPUTS} store, so an output computed in a committed
 * transaction is published even if the instance stops before the list catches up; the store holds only
 * what is in flight. Only its first and last keys are kept in memory, so a long wait (a task catching up
 * while an unsubscribe partition lags) costs disk, not heap.
 */
final class HeldOutputs {
    /**
     * An output computed and not yet published: exactly one of {@code send}, {@code view} (an encoded
     * CustomerEligibility) and {@code erasedAt} (a tombstone) is set.
     */
    record Held(long heldAtMillis, long eventTimeMillis, String customerId, List<Lookup> lookups, Send send, byte[] view,
                Instant erasedAt) {

        /**
         * True when the list now shows something else, in effect at {@code at}, for an address the output
         * looked up (an entry holds from its own time on: a later one cannot change it). Only entries made by
         * unsubscribes acknowledged before the output was computed count ({@code acknowledged}, the last
         * offset per partition of the unsubscribe topic; null: all count): one that came later, even with an
         * earlier event time, arrived after the request, as it would in {@code simulate}, whose decision it
         * does not change either. An entry made by an unsubscribe of the task's own partition ({@code ownPartition})
         * that the lookup did not return was processed after the output's input (the task's own entries are
         * in its local store at once), however early it was acknowledged: on a backlog or after a restart an
         * unsubscribe published after a send is on the broker before the send is decided.
         */
        boolean stale(SuppressionList now, Instant at, long[] acknowledged, int ownPartition) {
            for (Lookup l : lookups) {
                List<Suppression> counted = new ArrayList<>();
                for (Suppression s : now.forAddress(l.addressHash())) {
                    boolean seen = l.entries().contains(GlobalSuppressionList.key(s));
                    if (seen || !madeBy(s, ownPartition) && acknowledgedBefore(s, acknowledged)) {
                        counted.add(s);
                    }
                }
                if (!l.entries().equals(Lookup.keys(counted, at))) {
                    return true;
                }
            }
            return false;
        }

        private static boolean madeBy(Suppression s, int partition) {
            return s.origin() != null && s.origin().partition() == partition;
        }

        private static boolean acknowledgedBefore(Suppression s, long[] acknowledged) {
            Suppression.Origin o = s.origin();
            return o == null || acknowledged == null || o.partition() < 0 || o.partition() >= acknowledged.length
                    || o.offset() <= acknowledged[o.partition()];
        }
    }

    /** A decision taken. {@code reminder} is the encoded CartReminder of a cart reminder, else null. */
    record Send(SendRequest request, String campaignId, String cartId, boolean repeat, SendOutcome outcome,
                byte[] reminder) {
    }

    /** What one lookup of the suppression list returned: the entries' keys. */
    record Lookup(String addressHash, List<String> entries) {
        /** The keys of the entries in effect at {@code at}. */
        static List<String> keys(List<Suppression> found, Instant at) {
            List<String> keys = new ArrayList<>(found.size());
            for (Suppression s : found) {
                if (!s.at().isAfter(at)) {
                    keys.add(GlobalSuppressionList.key(s));
                }
            }
            return keys;
        }
    }

    /** A suppression list that remembers what it was asked and answered (and answers each address once). */
    static final class Recording implements SuppressionList {
        private final SuppressionList list;
        private final Map<String, List<Suppression>> asked = new LinkedHashMap<>(4);

        Recording(SuppressionList list) {
            this.list = list;
        }

        @Override
        public List<Suppression> forAddress(String addressHash) {
            return asked.computeIfAbsent(addressHash, list::forAddress);
        }

        /** What the lookups returned that is in effect at {@code at} (the instant the output is for). */
        List<Lookup> lookups(Instant at) {
            List<Lookup> out = new ArrayList<>(asked.size());
            asked.forEach((hash, found) -> out.add(new Lookup(hash, Lookup.keys(found, at))));
            return out;
        }
    }

    private final KeyValueStore<String, Held> store;
    private final SuppressionBarrier barrier;
    private final ReadOnlyKeyValueStore<String, Suppression> list;
    /** The task's partition: that of the unsubscribe topic whose entries it makes itself. */
    private final int ownPartition;
    /** The queue is the keys headSeq (inclusive) to nextSeq (exclusive); it is not kept in memory. */
    private long headSeq;
    private long nextSeq;

    HeldOutputs(KeyValueStore<String, Held> store, SuppressionBarrier barrier,
                ReadOnlyKeyValueStore<String, Suppression> list, int ownPartition) {
        this.ownPartition = ownPartition;
        this.store = store;
        this.barrier = barrier;
        this.list = list;
        try (KeyValueIterator<String, Held> first = store.all(); KeyValueIterator<String, Held> last = store.reverseAll()) {
            headSeq = first.hasNext() ? DueKeys.dueMillis(first.next().key) : 0;
            nextSeq = last.hasNext() ? DueKeys.dueMillis(last.next().key) + 1 : 0;
        }
    }

    /**
     * Publishes {@code h} now if nothing waits and the list is known to be up to date, else holds it.
     */
    void offer(Held h, Consumer<Held> publish) {
        if (!waiting() && passed(h, list::get)) {
            if (h.send() != null) {
                barrier.released(0);
            }
            publish.accept(h);
            return;
        }
        if (h.send() != null) {
            barrier.held();
        }
        if (!waiting()) {
            headSeq = nextSeq;
        }
        store.put(DueKeys.millis(nextSeq++), h);
    }

    /** True while some output waits: whatever comes next must wait behind it. */
    boolean waiting() {
        return headSeq < nextSeq;
    }

    /** Publishes, in order, the held outputs the list has caught up with. */
    void release(long nowMs, Consumer<Held> publish) {
        // the progress markers are read once a round (nine store reads a check with three partitions): they only move
        // forward, so what they said at its start is what the list holds at least until its end
        Map<String, Suppression> marks = new HashMap<>();
        Function<String, Suppression> progress = k -> marks.computeIfAbsent(k, list::get);
        while (waiting()) {
            String key = DueKeys.millis(headSeq);
            Held head = store.get(key);
            if (head != null && !passed(head, progress)) {
                return;
            }
            headSeq++;
            if (head == null) {
                continue;
            }
            store.delete(key);
            if (head.send() != null) {
                barrier.released(Math.max(0, nowMs - head.heldAtMillis()));
            }
            publish.accept(head);
        }
    }

    /** {@link Held#stale}, counting the entries acknowledged before {@code h} was computed. */
    boolean stale(Held h, SuppressionList now, Instant at) {
        return h.stale(now, at, barrier.acknowledgedBefore(h.heldAtMillis()), ownPartition);
    }

    private boolean passed(Held h, Function<String, Suppression> progress) {
        return barrier.passed(h.heldAtMillis(), h.eventTimeMillis(), progress);
    }
}
