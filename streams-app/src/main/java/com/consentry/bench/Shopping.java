package com.consentry.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The carts and orders of one {@link CustomerTimeline}: cart sessions that are bought (checked out and
 * ordered), ordered straight from the app, cleared, or abandoned (some resumed after their reminder);
 * orders with their service messages, some cancelled or returned; and order history from long ago,
 * imported with the profile.
 */
final class Shopping {
    private static final long MINUTE = 60;
    private static final long HOUR = 3600;
    private static final long DAY = 86_400;
    private final CustomerTimeline timeline;
    private final Random random;
    private int carts;
    private int orders;

    Shopping(CustomerTimeline timeline) {
        this.timeline = timeline;
        this.random = timeline.random;
    }

    /**
     * An order placed before the span (history imported with the profile, so it arrives late): four in
     * ten are 24 months old at some moment of the customer's span, so that their soft opt-in lapses
     * while the stream runs; the others are two to twenty-one months old.
     */
    void historicOrder(long arrival, long end) {
        long placed = random.nextInt(10) < 4
                ? CustomerTimeline.monthsBefore(arrival + (long) (random.nextDouble() * (end - arrival)), 24).getEpochSecond()
                : arrival - 60 * DAY - (long) (random.nextDouble() * 580 * DAY);
        MixEvent o = order(placed, timeline.profile.brand(), "PLACED", orders++, -1);
        o.emitAt = arrival + 1 + random.nextInt(60);
        timeline.emit(o, false);
    }

    void cartSession(long v) {
        int cart = carts++;
        String brand = timeline.randomBrand();
        long t = v;
        List<Integer> skus = new ArrayList<>();
        int items = 1;
        while (items < 5 && random.nextInt(100) < 45) {
            items++;
        }
        for (int i = 0; i < items; i++) {
            int sku = random.nextInt(20_000);
            skus.add(sku);
            timeline.emit(cart(t, brand, cart, "ITEM_ADDED", sku, random.nextInt(5) == 0 ? 2 : 1), false);
            t += 20 + random.nextInt(300);
        }
        if (items > 1 && random.nextInt(100) < 15) {
            timeline.emit(cart(t, brand, cart, "ITEM_REMOVED", skus.get(0), 1), false);
            t += 20 + random.nextInt(120);
        }
        int outcome = random.nextInt(100);
        if (outcome < 40) {
            t += MINUTE + random.nextInt(600);
            timeline.emit(cart(t, brand, cart, "CHECKED_OUT", -1, 0), false);
            placeOrder(t + 5 + random.nextInt(55), brand, cart);
        } else if (outcome < 48) {
            placeOrder(t + MINUTE + random.nextInt(600), brand, cart);
        } else if (outcome < 51) {
            // ordered by phone: the order names no cart, but closes it (same brand, after its last activity)
            placeOrder(t + 10 * MINUTE + random.nextInt(3600), brand, -1);
        } else if (outcome < 58) {
            timeline.emit(cart(t + 10 * MINUTE + random.nextInt(7200), brand, cart, "CLEARED", -1, 0), false);
        } else if (outcome < 64) {
            // abandoned, then resumed after the reminder fired (a cart is reminded once), and abandoned again
            long back = t + 2 * HOUR + (long) (random.nextDouble() * 3 * DAY);
            timeline.emit(cart(back, brand, cart, "ITEM_ADDED", random.nextInt(20_000), 1), false);
        }
    }

    /** A placed order, its confirmation (and for some a shipping SMS), and for a few a cancellation or a return. */
    void placeOrder(long at, String brand, int cart) {
        int order = orders++;
        timeline.emit(order(at, brand, "PLACED", order, cart), true);
        timeline.emit(timeline.send(at + 30 + random.nextInt(90), brand, "EMAIL", "SERVICE", "order-confirmation",
                order, -1), false);
        if (timeline.profile.phone() != null && random.nextInt(100) < 30) {
            timeline.emit(timeline.send(at + DAY + random.nextInt((int) (2 * DAY)), brand, "SMS", "SERVICE",
                    "shipping-update", order, -1), false);
        }
        int d = random.nextInt(100);
        if (d < 5) {
            timeline.emit(order(at + HOUR + random.nextInt((int) (2 * DAY)), brand, "CANCELLED", order, cart), true);
        } else if (d < 9) {
            timeline.emit(order(at + 3 * DAY + random.nextInt((int) (17 * DAY)), brand, "RETURNED", order, cart), true);
        }
    }

    private MixEvent order(long at, String brand, String status, int order, int cart) {
        MixEvent o = timeline.event(MixEvent.Kind.ORDER, at);
        o.brand = brand;
        o.code = status;
        o.ref = order;
        o.ref2 = cart;
        return o;
    }

    private MixEvent cart(long at, String brand, int cart, String action, int sku, int quantity) {
        MixEvent c = timeline.event(MixEvent.Kind.CART, at);
        c.brand = brand;
        c.code = action;
        c.ref = cart;
        c.ref2 = sku;
        c.quantity = quantity;
        return c;
    }
}
