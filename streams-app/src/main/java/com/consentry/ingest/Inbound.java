package com.consentry.ingest;

import com.consentry.policy.Channel;
import com.consentry.policy.ConsentStatus;
import com.consentry.policy.OrderStatus;
import com.consentry.policy.Purpose;
import com.consentry.policy.UnsubscribeSource;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;

/**
 * A validated input event, in the policy's vocabulary. Produced by {@link InboundMapper} from the Avro
 * records of the input topics; consumed by the topologies. Raw addresses only travel here, on their
 * way to being hashed: they are never stored.
 */
public sealed interface Inbound {
    String eventId();

    Instant at();

    /** The key the event belongs to: the customerId, or for an address-only unsubscribe its address. */
    String key();

    record Customer(String eventId, Instant at, String customerId, boolean erasure, Set<String> fields,
                    String country, LocalDate birthDate, String timezone, String email, String phone) implements Inbound {
        public String key() {
            return customerId;
        }
    }

    record Consent(String eventId, Instant at, String customerId, String brand, Channel channel,
                   ConsentStatus status, String source, Instant expiresAt) implements Inbound {
        public String key() {
            return customerId;
        }
    }

    /** {@code customerId} null for an address-only unsubscribe; {@code channel} null = every channel. */
    record Unsubscribe(String eventId, Instant at, String customerId, String brand, Channel channel,
                       UnsubscribeSource source, String address) implements Inbound {
        public String key() {
            return customerId != null ? customerId : address;
        }
    }

    record Order(String eventId, Instant at, String customerId, String orderId, String brand, OrderStatus status,
                 String cartId) implements Inbound {
        public String key() {
            return customerId;
        }
    }

    enum CartAction { ITEM_ADDED, ITEM_REMOVED, CLEARED, CHECKED_OUT }

    record Cart(String eventId, Instant at, String customerId, String cartId, String brand, CartAction action,
                String sku, int quantity) implements Inbound {
        public String key() {
            return customerId;
        }
    }

    record Send(String eventId, Instant at, String customerId, String requestId, String campaignId, String brand,
                Channel channel, Purpose purpose, String address) implements Inbound {
        public String key() {
            return customerId;
        }
    }
}
