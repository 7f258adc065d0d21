package com.consentry.topology;

import java.time.Instant;
import java.util.TreeMap;

/** Value of the {@link StoreNames#CARTS} store. Public fields, for the JSON state serde. */
public final class CartState {
    public String customerId;
    public String cartId;
    public String brand;
    /** sku -> quantity; a sku whose quantity reaches 0 is removed. */
    public TreeMap<String, Integer> items = new TreeMap<>();
    public Instant lastActivityAt;
    /** Checked out, cleared or bought: closed for good. */
    public boolean closed;
    /** A reminder came due (approved or suppressed): never another. */
    public boolean reminded;
    /** When the pending reminder falls due, or null when none is pending. */
    public Instant dueAt;

    public boolean open() {
        return !closed && !items.isEmpty();
    }

    public static String key(String customerId, String cartId) {
        return customerId + '\u0000' + cartId;
    }
}
