package com.consentry.topology;

import com.consentry.ingest.Inbound;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Value of the {@link StoreNames#CARTS} store. The cart's events are kept, so that its contents follow
 * event time (not arrival order) and an erasure can forget exactly what happened at or before it;
 * {@code items}, {@code lastActivityAt} and {@code closed} are derived from them by {@link #recompute}.
 * Public fields, for the JSON state serde.
 */
public final class CartState {
    public String customerId;
    public String cartId;
    public String brand;
    /** Every cart event of this cart, in arrival order. */
    public List<Line> events = new ArrayList<>();
    public long nextSeq;
    /** Bought: a PLACED order names the cart, or is for its brand at or after its last activity. */
    public boolean closedByOrder;
    /** sku -> quantity, folded from the events in event-time order; a sku at 0 is removed. */
    public TreeMap<String, Integer> items = new TreeMap<>();
    public Instant lastActivityAt;
    /** Checked out, cleared or bought: closed for good. */
    public boolean closed;
    /** A reminder came due (approved or suppressed): never another. */
    public boolean reminded;
    /** When the pending reminder falls due, or null when none is pending. */
    public Instant dueAt;

    /** One cart event. */
    public record Line(Instant at, long seq, Inbound.CartAction action, String sku, int quantity, String eventId) {
    }

    public boolean open() {
        return !closed && !items.isEmpty();
    }

    void add(Inbound.Cart c) {
        events.add(new Line(c.at(), nextSeq++, c.action(), c.sku(), c.quantity(), c.eventId()));
    }

    /** Folds the events in event-time order (ties: arrival order) into contents, last activity and closure. */
    void recompute() {
        items = new TreeMap<>();
        lastActivityAt = null;
        boolean closedByCart = false;
        List<Line> ordered = new ArrayList<>(events);
        ordered.sort(Comparator.comparing(Line::at).thenComparingLong(Line::seq));
        for (Line l : ordered) {
            switch (l.action()) {
                case ITEM_ADDED -> items.merge(l.sku(), l.quantity(), Integer::sum);
                case ITEM_REMOVED -> {
                    int left = items.getOrDefault(l.sku(), 0) - l.quantity();
                    if (left > 0) {
                        items.put(l.sku(), left);
                    } else {
                        items.remove(l.sku());
                    }
                }
                case CLEARED -> {
                    items.clear();
                    closedByCart = true;
                }
                case CHECKED_OUT -> closedByCart = true;
            }
            lastActivityAt = l.at();
        }
        closed = closedByCart || closedByOrder;
    }

    public static String key(String customerId, String cartId) {
        return customerId + '\u0000' + cartId;
    }
}
