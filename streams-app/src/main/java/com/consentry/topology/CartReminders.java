package com.consentry.topology;

import com.consentry.ingest.Inbound;
import com.consentry.policy.CartFact;
import com.consentry.policy.CustomerHistory;
import com.consentry.policy.OrderFact;
import com.consentry.policy.OrderStatus;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Cart contents and reminder timers. A cart is open while it holds items and has seen neither
 * CHECKED_OUT nor CLEARED nor a PLACED order naming it or, for the same brand, at or after its last
 * activity. An open cart's reminder falls due one delay after its last activity; the timers live in
 * the {@link StoreNames#REMINDER_DUE} store, ordered by due time, so they survive restarts.
 */
public final class CartReminders {
    /** The key of the timers' low-water mark in the {@link StoreNames#SCHEDULE} store. */
    public static final String LOW_WATER = "reminder-low-water";
    private static final StringSerializer KEYS = new StringSerializer();
    private final Duration delay;
    private final KeyValueStore<String, CartState> carts;
    private final KeyValueStore<String, String> due;
    private final LowWaterMark lowWater;

    CartReminders(Duration delay, KeyValueStore<String, CartState> carts, KeyValueStore<String, String> due,
                  LowWaterMark lowWater) {
        this.delay = delay;
        this.carts = carts;
        this.due = due;
        this.lowWater = lowWater;
    }

    void onCart(Inbound.Cart c, List<OrderFact> orders) {
        String key = CartState.key(c.customerId(), c.cartId());
        CartState cart = carts.get(key);
        if (cart == null) {
            cart = new CartState();
            cart.customerId = c.customerId();
            cart.cartId = c.cartId();
            cart.brand = c.brand();
        }
        cart.add(c);
        update(key, cart, orders);
    }

    /** A PLACED order may close the customer's carts; the customer's orders include it. */
    void onOrder(Inbound.Order o, List<OrderFact> orders) {
        if (o.status() != OrderStatus.PLACED) {
            return;
        }
        for (KeyValue<String, CartState> kv : cartsOf(o.customerId())) {
            if (!kv.value.closed) {
                update(kv.key, kv.value, orders);
            }
        }
    }

    private void update(String key, CartState cart, List<OrderFact> orders) {
        cart.closedByOrder = false;
        cart.recompute();
        CartState c = cart;
        cart.closedByOrder = orders.stream().anyMatch(o -> closes(o, c));
        cart.recompute();
        reschedule(key, cart);
    }

    static boolean closes(OrderFact o, CartState cart) {
        if (o.status() != OrderStatus.PLACED) {
            return false;
        }
        if (cart.cartId.equals(o.cartId())) {
            return true;
        }
        return o.brand().equals(cart.brand) && cart.lastActivityAt != null && !o.at().isBefore(cart.lastActivityAt);
    }

    private void reschedule(String key, CartState cart) {
        if (cart.dueAt != null) {
            due.delete(dueKey(cart.dueAt, cart.customerId, cart.cartId));
            cart.dueAt = null;
        }
        if (cart.open() && !cart.reminded) {
            cart.dueAt = cart.lastActivityAt.plus(delay);
            due.put(dueKey(cart.dueAt, cart.customerId, cart.cartId), key);
            lowWater.lowerTo(cart.dueAt.toEpochMilli());
        }
        carts.put(key, cart);
    }

    /**
     * The open carts whose reminder is due at or before {@code now}, earliest first; their timers are
     * removed. Reads only from the low-water mark to the first timer after {@code now}: every timer below the
     * mark has fired, so the tombstones fired timers leave behind are never walked again. The mark then moves
     * to that next timer, so that until it falls due an event costs no seek at all.
     */
    List<CartState> takeDue(Instant now) {
        long nowMs = now.toEpochMilli();
        if (nowMs < lowWater.get()) {
            return List.of();
        }
        List<KeyValue<String, String>> fired = new ArrayList<>();
        long next = nowMs + 1;
        try (KeyValueIterator<String, String> it = due.range(DueKeys.millis(lowWater.get()), DueKeys.millis(Long.MAX_VALUE))) {
            while (it.hasNext()) {
                KeyValue<String, String> kv = it.next();
                long dueMs = DueKeys.dueMillis(kv.key);
                if (dueMs > nowMs) {
                    next = dueMs;
                    break;
                }
                fired.add(kv);
            }
        }
        // up to the first timer still pending: the records before it skip the seek (a timer added below it lowers it)
        lowWater.set(next);
        List<CartState> out = new ArrayList<>();
        for (KeyValue<String, String> kv : fired) {
            due.delete(kv.key);
            CartState cart = carts.get(kv.value);
            if (cart != null && cart.open() && !cart.reminded && cart.dueAt != null) {
                cart.reminded = true;
                out.add(cart);
                carts.put(kv.value, cart);
            }
        }
        return out;
    }

    /**
     * Forgets what an erasure covers: every cart event at or before it. A cart left with no event is
     * deleted; one with later events keeps only those (and its timer follows them), and they are the
     * cart facts the customer's history keeps.
     */
    void erase(String customerId, Instant erasedAt, CustomerHistory history) {
        for (KeyValue<String, CartState> kv : cartsOf(customerId)) {
            CartState cart = kv.value;
            cart.events.removeIf(l -> !l.at().isAfter(erasedAt));
            if (cart.events.isEmpty()) {
                if (cart.dueAt != null) {
                    due.delete(dueKey(cart.dueAt, cart.customerId, cart.cartId));
                }
                carts.delete(kv.key);
            } else {
                for (CartState.Line l : cart.events) {
                    history.addCart(new CartFact(l.eventId(), l.at(), l.seq(), cart.brand));
                }
                update(kv.key, cart, history.orders);
            }
        }
    }

    /**
     * The earliest pending due time at or after {@code fromMs}, if any: lets {@code simulate} move its
     * clock exactly there. Every pending timer is at or after the task's low-water mark.
     */
    public static Instant earliestDue(org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, String> due,
                                      long fromMs) {
        try (KeyValueIterator<String, String> it = due.range(DueKeys.millis(fromMs), DueKeys.millis(Long.MAX_VALUE))) {
            return it.hasNext() ? Instant.ofEpochMilli(DueKeys.dueMillis(it.next().key)) : null;
        }
    }

    /** The earliest pending due time, if any (one seek from the low-water mark). */
    Instant nextDue() {
        return earliestDue(due, lowWater.get());
    }

    /** The due time of the first timer in the store (one seek from its start: for a restart only). */
    static long firstDueMillis(org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, String> due) {
        try (KeyValueIterator<String, String> it = due.all()) {
            return it.hasNext() ? DueKeys.dueMillis(it.next().key) : Long.MAX_VALUE;
        }
    }

    private List<KeyValue<String, CartState>> cartsOf(String customerId) {
        List<KeyValue<String, CartState>> out = new ArrayList<>();
        try (KeyValueIterator<String, CartState> it = carts.prefixScan(customerId + '\u0000', KEYS)) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    /** A deterministic id for the one reminder a cart can ever have, so that senders can de-duplicate. */
    public static String reminderId(String customerId, String cartId) {
        return "reminder-" + java.util.UUID.nameUUIDFromBytes(
                ("cart-reminder\u0000" + customerId + '\u0000' + cartId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String dueKey(Instant dueAt, String customerId, String cartId) {
        return DueKeys.millis(dueAt.toEpochMilli()) + '\u0000' + customerId + '\u0000' + cartId;
    }
}
