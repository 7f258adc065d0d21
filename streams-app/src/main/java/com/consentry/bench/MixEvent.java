package com.consentry.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Comparator;

/**
 * One generated event, kept small (a few million of them are sorted in memory) and rendered as a
 * {@code simulate} input line only when written. Times are epoch seconds: {@code at} is the event time,
 * {@code emitAt} when the event reaches the stream (later than {@code at} for a late event).
 */
final class MixEvent {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The order of the file: by arrival, then customer, then the customer's own sequence. */
    static final Comparator<MixEvent> EMIT_ORDER = Comparator.comparingLong((MixEvent e) -> e.emitAt)
            .thenComparingInt(e -> e.profile.index()).thenComparingInt(e -> e.seq);

    enum Kind { UPSERT, PROFILE_UPDATE, ERASURE, CONSENT, UNSUBSCRIBE, ADDRESS_UNSUBSCRIBE, ORDER, CART, SEND }

    final Kind kind;
    final Profile profile;
    final int seq;
    final long at;
    long emitAt;
    String brand;
    String channel;
    /** status, action, source or purpose, by kind. */
    String code;
    /** source of a consent, address of an address-only unsubscribe, campaign of a send, changed field's value. */
    String text;
    /** cart or order number. */
    int ref = -1;
    /** order: its cart number; cart: its sku; send: its campaign number (-1: a service message of order {@code ref}). */
    int ref2 = -1;
    int quantity;
    /** consent: expiresAt in epoch seconds, 0 for none. */
    long expiresAt;

    MixEvent(Kind kind, Profile profile, int seq, long at) {
        this.kind = kind;
        this.profile = profile;
        this.seq = seq;
        this.at = at;
        this.emitAt = at;
    }

    String type() {
        return switch (kind) {
            case UPSERT, PROFILE_UPDATE, ERASURE -> "customer";
            case CONSENT -> "consent";
            case UNSUBSCRIBE, ADDRESS_UNSUBSCRIBE -> "unsubscribe";
            case ORDER -> "order";
            case CART -> "cart";
            case SEND -> "send";
        };
    }

    /** The {@code simulate} input line. */
    String json() {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type());
        n.put("at", Instant.ofEpochSecond(at).toString());
        n.put("eventId", "ev-" + profile.index() + "-" + seq);
        String customerId = profile.customerId();
        switch (kind) {
            case UPSERT -> {
                n.put("customerId", customerId);
                n.put("eventType", "UPSERT");
                putIfSet(n, "country", profile.country());
                putIfSet(n, "timezone", profile.timezone());
                n.put("email", profile.email());
                putIfSet(n, "phone", profile.phone());
                putIfSet(n, "birthDate", profile.birthDate() == null ? null : profile.birthDate().toString());
            }
            case PROFILE_UPDATE -> {
                n.put("customerId", customerId);
                n.put("eventType", "UPSERT");
                if (text == null) {
                    n.putNull(code); // an explicit null clears the field
                } else {
                    n.put(code, text);
                }
            }
            case ERASURE -> {
                n.put("customerId", customerId);
                n.put("eventType", "ERASURE_REQUESTED");
            }
            case CONSENT -> {
                n.put("customerId", customerId);
                n.put("brand", brand);
                n.put("channel", channel);
                n.put("status", code);
                n.put("source", text);
                if (expiresAt != 0) {
                    n.put("expiresAt", Instant.ofEpochSecond(expiresAt).toString());
                }
            }
            case UNSUBSCRIBE, ADDRESS_UNSUBSCRIBE -> {
                if (kind == Kind.UNSUBSCRIBE) {
                    n.put("customerId", customerId);
                } else {
                    n.put("address", text);
                }
                n.put("brand", brand);
                putIfSet(n, "channel", channel);
                n.put("source", code);
            }
            case ORDER -> {
                n.put("orderId", orderId());
                n.put("customerId", customerId);
                n.put("brand", brand);
                n.put("status", code);
                if (ref2 >= 0) {
                    n.put("cartId", cartId(ref2));
                }
            }
            case CART -> {
                n.put("cartId", cartId(ref));
                n.put("customerId", customerId);
                n.put("brand", brand);
                n.put("action", code);
                if (ref2 >= 0) {
                    n.put("sku", String.format("sku-%05d", ref2));
                    n.put("quantity", quantity);
                }
            }
            case SEND -> {
                n.put("requestId", ref2 >= 0 ? "cmp-" + ref2 + "-" + profile.index() : text + "-" + orderId());
                n.put("campaignId", text);
                n.put("customerId", customerId);
                n.put("brand", brand);
                n.put("channel", channel);
                n.put("purpose", code);
            }
            default -> throw new IllegalStateException("unknown kind " + kind);
        }
        return n.toString();
    }

    private String orderId() {
        return "order-" + profile.index() + "-" + ref;
    }

    private String cartId(int cart) {
        return "cart-" + profile.index() + "-" + cart;
    }

    private static void putIfSet(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }
}
