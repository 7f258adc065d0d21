package com.consentry.topology;

import com.consentry.ingest.Inbound;
import com.consentry.policy.Retention;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The retention purge ({@link Retention}) of one task, through the {@link StoreNames#RETENTION_DUE} index:
 * for each customer, the next instant a retention limit may remove one of their facts or carts, and for
 * each remembered send decision the instant it is forgotten. The purge runs with the sweep and reads the
 * index with one bounded range scan from the previous purge, so it costs O(entries due), not O(customers);
 * an event costs at most one index entry moved (the customer's entry only ever moves earlier on the way in).
 */
final class RetentionPurge {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionPurge.class);
    private static final StringSerializer KEYS = new StringSerializer();
    private static final String LAST_PURGE = "last-retention-purge";
    private static final String INDEX_BUILT = "retention-index-built:";
    private static final char CUSTOMER = 'C';
    private static final char SEEN = 'S';

    private final Retention retention;
    private final KeyValueStore<String, String> due;
    private final KeyValueStore<String, Long> schedule;
    private final KeyValueStore<String, CustomerState> customers;
    private final KeyValueStore<String, CartState> carts;
    private final KeyValueStore<String, String> reminderDue;
    private final KeyValueStore<String, SendGate.Seen> seen;
    /** The task's last purge instant in millis, or null before the first. */
    private Long lastPurge;

    /** What one purge removed. */
    record Purged(int customers, int facts, int carts, int sendDecisions) {
        int total() {
            return facts + carts + sendDecisions;
        }
    }

    RetentionPurge(Retention retention, KeyValueStore<String, String> due, KeyValueStore<String, Long> schedule,
                   KeyValueStore<String, CustomerState> customers, KeyValueStore<String, CartState> carts,
                   KeyValueStore<String, String> reminderDue, KeyValueStore<String, SendGate.Seen> seen) {
        this.retention = retention;
        this.due = due;
        this.schedule = schedule;
        this.customers = customers;
        this.carts = carts;
        this.reminderDue = reminderDue;
        this.seen = seen;
        this.lastPurge = schedule.get(LAST_PURGE);
    }

    /**
     * Indexes, once for these limits, the state written before them (a release without the index, or
     * other limits): one scan of the customers and send-requests stores, at the first start, never on
     * the hot path.
     */
    void buildIfAbsent() {
        String marker = INDEX_BUILT + retention.limits();
        if (schedule.get(marker) != null) {
            return;
        }
        List<KeyValue<String, CustomerState>> all = new ArrayList<>();
        try (KeyValueIterator<String, CustomerState> it = customers.all()) {
            it.forEachRemaining(all::add);
        }
        Instant after = lastPurge == null ? Instant.MIN : Instant.ofEpochMilli(lastPurge);
        for (KeyValue<String, CustomerState> kv : all) {
            CustomerState s = kv.value;
            Instant was = s.retentionDueAt;
            if (was != null) {
                // an entry of other limits (or one the index lost): indexed anew
                due.delete(key(was, CUSTOMER, kv.key));
                s.retentionDueAt = null;
            }
            moveEntry(kv.key, s, nextDue(kv.key, s, after));
            if (was == null ? s.retentionDueAt != null : !was.equals(s.retentionDueAt)) {
                customers.put(kv.key, s);
            }
        }
        if (retention.limits().sendRequests().on()) {
            List<KeyValue<String, SendGate.Seen>> decided = new ArrayList<>();
            try (KeyValueIterator<String, SendGate.Seen> it = seen.all()) {
                it.forEachRemaining(decided::add);
            }
            decided.forEach(kv -> putSeen(kv.key, kv.value.at()));
        }
        schedule.put(marker, 1L);
    }

    /** A fact of the customer was recorded: their entry moves earlier if this fact may be purged sooner. */
    void onRecorded(String customerId, CustomerState s, Inbound in) {
        Instant at = in.at();
        Instant d = null;
        if (in instanceof Inbound.Customer c && !c.erasure() || in instanceof Inbound.Consent
                || in instanceof Inbound.Unsubscribe) {
            d = retention.dueOfProfileOrConsent(at);
        } else if (in instanceof Inbound.Order) {
            d = retention.dueOfOrder(at);
        } else if (in instanceof Inbound.Cart) {
            d = retention.dueOfCart(at);
        }
        if (d != null && (s.retentionDueAt == null || clamp(d).isBefore(s.retentionDueAt))) {
            moveEntry(customerId, s, clamp(d));
        }
    }

    /** A send request was decided for the first time: its remembered decision is forgotten one limit later. */
    void onSeen(String customerId, String requestId, Instant at) {
        if (retention.limits().sendRequests().on()) {
            putSeen(SendGate.seenKey(customerId, requestId), at);
        }
    }

    /**
     * An erasure at {@code erasedAt} removed the customer's facts, carts and remembered decisions up to it:
     * their index entries go too (the index must not keep the customer's id or request ids), and the
     * customer's entry moves to what is still held (facts after the erasure), or goes.
     *
     * @param forgotten the remembered decisions the erasure removed: seen key and event time
     */
    void onErased(String customerId, CustomerState s, Instant erasedAt, Map<String, Instant> forgotten) {
        if (retention.limits().sendRequests().on()) {
            // the entry put when the request was decided (one put at an instant a purge had passed is due at the
            // next purge, which then finds the decision gone and deletes the entry)
            forgotten.forEach((seenKey, at) -> due.delete(key(retention.limits().sendRequests().after(at), SEEN, seenKey)));
        }
        moveEntry(customerId, s, nextDue(customerId, s, erasedAt));
    }

    /**
     * Removes what the limits no longer hold at {@code now} (the sweep instant) for the entries due by then,
     * read from the previous purge on.
     */
    Purged purge(Instant now) {
        long from = lastPurge == null ? 0 : lastPurge + 1;
        long to = now.toEpochMilli();
        if (to < from) {
            return new Purged(0, 0, 0, 0);
        }
        lastPurge = to;
        schedule.put(LAST_PURGE, to);
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, String> it = due.range(DueKeys.millis(from), DueKeys.millis(to + 1))) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        int purgedCustomers = 0;
        int facts = 0;
        int cartsRemoved = 0;
        int decisions = 0;
        for (String key : keys) {
            due.delete(key);
            int sep = key.indexOf('\u0000');
            char kind = key.charAt(sep + 1);
            String id = key.substring(sep + 3);
            if (kind == SEEN) {
                SendGate.Seen s = seen.get(id);
                if (s != null && !retention.limits().sendRequests().after(s.at()).isAfter(now)) {
                    seen.delete(id);
                    decisions++;
                }
                continue;
            }
            CustomerState s = customers.get(id);
            if (s == null || s.retentionDueAt == null || s.retentionDueAt.toEpochMilli() != DueKeys.dueMillis(key)) {
                continue;
            }
            s.retentionDueAt = null;
            int c = purgeCarts(id, now);
            List<CartState> held = cartsOf(id).stream().map(kv -> kv.value).toList();
            Retention.Result r = retention.purge(s.history, now,
                    o -> held.stream().anyMatch(cart -> CartReminders.closes(o, cart)));
            if (r.horizon() != null && (s.retentionHorizon == null || r.horizon().isAfter(s.retentionHorizon))) {
                s.retentionHorizon = r.horizon();
            }
            if (s.retentionHorizon != null && s.viewAt != null && s.viewAt.isBefore(s.retentionHorizon)) {
                // a late event is evaluated from the horizon on, never before it: the view rests on what is held
                s.viewAt = s.retentionHorizon;
            }
            moveEntry(id, s, nextDue(id, s, now));
            customers.put(id, s);
            if (r.removed() + c > 0) {
                purgedCustomers++;
            }
            facts += r.removed();
            cartsRemoved += c;
        }
        Purged p = new Purged(purgedCustomers, facts, cartsRemoved, decisions);
        if (p.total() > 0) {
            LOG.info("retention purge at {}: removed {} facts and {} carts of {} customers, {} remembered send decisions",
                    now, facts, cartsRemoved, purgedCustomers, decisions);
        }
        return p;
    }

    /**
     * Deletes the customer's carts idle for the cart limit that no reminder still waits for (closed, emptied
     * or reminded), with their timers.
     */
    private int purgeCarts(String customerId, Instant now) {
        if (!retention.limits().carts().on()) {
            return 0;
        }
        int removed = 0;
        for (KeyValue<String, CartState> kv : cartsOf(customerId)) {
            CartState cart = kv.value;
            if (!waitsForReminder(cart) && cart.lastActivityAt != null
                    && !retention.dueOfCart(cart.lastActivityAt).isAfter(now)) {
                carts.delete(kv.key);
                removed++;
            }
        }
        return removed;
    }

    /** The customer's next purge instant after {@code now}: their facts' and their carts'. */
    private Instant nextDue(String customerId, CustomerState s, Instant now) {
        List<Instant> candidates = new ArrayList<>();
        candidates.add(retention.nextDue(s.history, now));
        if (retention.limits().carts().on()) {
            for (KeyValue<String, CartState> kv : cartsOf(customerId)) {
                CartState cart = kv.value;
                if (cart.lastActivityAt != null) {
                    Instant d = retention.dueOfCart(cart.lastActivityAt);
                    // a cart whose reminder is pending is looked at again once the reminder has fired
                    candidates.add(waitsForReminder(cart) && cart.dueAt.isAfter(d) ? cart.dueAt : d);
                }
            }
        }
        Instant next = Retention.earliestAfter(candidates, now);
        return next == null ? null : clamp(next);
    }

    /** An open cart not reminded yet: its timer is pending (a fired timer leaves {@code dueAt} as it was). */
    private static boolean waitsForReminder(CartState cart) {
        return cart.open() && !cart.reminded && cart.dueAt != null;
    }

    /** Moves the customer's index entry to {@code at} (null: none); true when it moved. */
    private boolean moveEntry(String customerId, CustomerState s, Instant at) {
        if (at == null ? s.retentionDueAt == null : at.equals(s.retentionDueAt)) {
            return false;
        }
        if (s.retentionDueAt != null) {
            due.delete(key(s.retentionDueAt, CUSTOMER, customerId));
        }
        if (at != null) {
            due.put(key(at, CUSTOMER, customerId), "");
        }
        s.retentionDueAt = at;
        return true;
    }

    private void putSeen(String seenKey, Instant at) {
        due.put(key(clamp(retention.limits().sendRequests().after(at)), SEEN, seenKey), "");
    }

    /** An instant the last purge already passed is due at the next one. */
    private Instant clamp(Instant at) {
        if (lastPurge != null && at.toEpochMilli() <= lastPurge) {
            return Instant.ofEpochMilli(lastPurge + 1);
        }
        return at;
    }

    private List<KeyValue<String, CartState>> cartsOf(String customerId) {
        List<KeyValue<String, CartState>> out = new ArrayList<>();
        try (KeyValueIterator<String, CartState> it = carts.prefixScan(customerId + '\u0000', KEYS)) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    private static String key(Instant at, char kind, String id) {
        return DueKeys.millis(at.toEpochMilli()) + '\u0000' + kind + '\u0000' + id;
    }
}
