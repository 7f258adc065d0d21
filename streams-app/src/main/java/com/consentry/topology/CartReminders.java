package com.consentry.topology;

import com.consentry.ingest.Inbound;
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
    private static final StringSerializer KEYS = new StringSerializer();
    private final Duration delay;
    private final KeyValueStore<String, CartState> carts;
    private final KeyValueStore<String, String> due;

    CartReminders(Duration delay, KeyValueStore<String, CartState> carts, KeyValueStore<String, String> due) {
        this.delay = delay;
        this.carts = carts;
        this.due = due;
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

    private static boolean closes(OrderFact o, CartState cart) {
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
        }
        carts.put(key, cart);
    }

    /** The open carts whose reminder is due at or before {@code now}, earliest first; their timers are removed. */
    List<CartState> takeDue(Instant now) {
        List<KeyValue<String, String>> fired = new ArrayList<>();
        try (KeyValueIterator<String, String> it = due.all()) {
            while (it.hasNext()) {
                KeyValue<String, String> kv = it.next();
                if (dueMillis(kv.key) > now.toEpochMilli()) {
                    break;
                }
                fired.add(kv);
            }
        }
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
     * deleted; one with later events keeps only those (and its timer follows them).
     */
    void erase(String customerId, Instant erasedAt, List<OrderFact> orders) {
        for (KeyValue<String, CartState> kv : cartsOf(customerId)) {
            CartState cart = kv.value;
            cart.events.removeIf(l -> !l.at().isAfter(erasedAt));
            if (cart.events.isEmpty()) {
                if (cart.dueAt != null) {
                    due.delete(dueKey(cart.dueAt, cart.customerId, cart.cartId));
                }
                carts.delete(kv.key);
            } else {
                update(kv.key, cart, orders);
            }
        }
    }

    /** The earliest pending due time, if any: lets {@code simulate} move its clock exactly there. */
    public static Instant earliestDue(org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, String> due) {
        try (KeyValueIterator<String, String> it = due.all()) {
            return it.hasNext() ? Instant.ofEpochMilli(dueMillis(it.next().key)) : null;
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
    static String reminderId(String customerId, String cartId) {
        return "reminder-" + java.util.UUID.nameUUIDFromBytes(
                ("cart-reminder\u0000" + customerId + '\u0000' + cartId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String dueKey(Instant dueAt, String customerId, String cartId) {
        return String.format("%020d", dueAt.toEpochMilli()) + '\u0000' + customerId + '\u0000' + cartId;
    }

    private static long dueMillis(String dueKey) {
        return Long.parseLong(dueKey.substring(0, 20));
    }
}
