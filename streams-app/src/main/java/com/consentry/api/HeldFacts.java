package com.consentry.api;

import com.consentry.policy.ConsentFact;
import com.consentry.policy.OrderFact;
import com.consentry.policy.ProfileUpdate;
import com.consentry.policy.Suppression;
import com.consentry.policy.UnsubscribeFact;
import com.consentry.topology.CartReminders;
import com.consentry.topology.CartState;
import com.consentry.topology.CustomerHoldings;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The entries of a {@link CustomerExport}, one kind of held fact each: every entry starts with
 * {@code eventId}, {@code source} and {@code eventTime} (JSON null where not held), then the fact's fields.
 */
final class HeldFacts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HeldFacts() {
    }

    /** The three fields every entry carries. */
    static ObjectNode entry(String eventId, String source, Instant eventTime) {
        ObjectNode n = JSON.createObjectNode();
        putOrNull(n, "eventId", eventId);
        putOrNull(n, "source", source);
        putOrNull(n, "eventTime", eventTime);
        return n;
    }

    private static void putOrNull(ObjectNode n, String field, Object value) {
        if (value == null) {
            n.putNull(field);
        } else {
            n.put(field, value.toString());
        }
    }

    /** Only the fields the update carried; a carried null (cleared) is a null. */
    static ObjectNode profileUpdate(ProfileUpdate u) {
        ObjectNode n = entry(u.eventId(), null, u.at());
        if (u.fields().contains(ProfileUpdate.COUNTRY)) {
            putOrNull(n, "country", u.country());
        }
        if (u.fields().contains(ProfileUpdate.BIRTH_DATE)) {
            putOrNull(n, "birthDate", u.birthDate());
        }
        if (u.fields().contains(ProfileUpdate.TIMEZONE)) {
            putOrNull(n, "timezone", u.timezone());
        }
        if (u.fields().contains(ProfileUpdate.EMAIL)) {
            hashed(n, "email", u.emailHash(), false);
        }
        if (u.fields().contains(ProfileUpdate.PHONE)) {
            Map<String, String> byRegion = u.phoneHashByRegion();
            hashed(n, "phone", u.phoneHash(), byRegion != null);
            if (byRegion != null) {
                // a national number before the customer's country was known: one hash per country
                ObjectNode regions = n.putObject("phoneHashByRegion");
                new TreeMap<>(byRegion).forEach(regions::put);
            }
        }
        return n;
    }

    /**
     * {@code field}: {@value CustomerExport#HELD_AS_HASH} and {@code fieldHash}: the hash; both null when cleared
     * ({@code heldElsewhere}: the hashes are in another field).
     */
    private static void hashed(ObjectNode n, String field, String hash, boolean heldElsewhere) {
        if (hash == null && !heldElsewhere) {
            n.putNull(field);
        } else {
            n.put(field, CustomerExport.HELD_AS_HASH);
        }
        putOrNull(n, field + "Hash", hash);
    }

    static ObjectNode consent(ConsentFact c) {
        ObjectNode n = entry(c.eventId(), c.source(), c.at());
        n.put("brand", c.brand());
        n.put("channel", c.channel().name());
        n.put("status", c.status().name());
        putOrNull(n, "expiresAt", c.expiresAt());
        return n;
    }

    static ObjectNode unsubscribe(UnsubscribeFact u) {
        ObjectNode n = entry(u.eventId(), u.source() == null ? null : u.source().name(), u.at());
        n.put("brand", u.brand());
        putOrNull(n, "channel", u.channel());
        if (u.addressHash() != null) {
            hashed(n, "address", u.addressHash(), false);
        }
        return n;
    }

    static ObjectNode order(OrderFact o) {
        ObjectNode n = entry(o.eventId(), null, o.at());
        n.put("orderId", o.orderId());
        n.put("brand", o.brand());
        n.put("status", o.status().name());
        putOrNull(n, "cartId", o.cartId());
        return n;
    }

    static ObjectNode cart(CartState c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("cartId", c.cartId);
        n.put("brand", c.brand);
        n.put("open", c.open());
        n.put("closed", c.closed);
        ObjectNode items = n.putObject("items");
        c.items.forEach(items::put);
        putOrNull(n, "lastActivityAt", c.lastActivityAt);
        ArrayNode events = n.putArray("events");
        c.events.stream().sorted(Comparator.comparing(CartState.Line::at).thenComparingLong(CartState.Line::seq))
                .forEach(l -> {
                    ObjectNode e = entry(l.eventId(), null, l.at());
                    e.put("action", l.action().name());
                    putOrNull(e, "sku", l.sku());
                    e.put("quantity", l.quantity());
                    events.add(e);
                });
        return n;
    }

    /** The cart's one reminder: pending (due at {@code eventTime}) or already decided; none for a cart never due. */
    static Optional<ObjectNode> reminder(CartState c) {
        if (!c.reminded && c.dueAt == null) {
            return Optional.empty();
        }
        ObjectNode n = entry(CartReminders.reminderId(c.customerId, c.cartId), null, c.dueAt);
        n.put("cartId", c.cartId);
        n.put("brand", c.brand);
        n.put("status", c.reminded ? "DECIDED" : "PENDING");
        return Optional.of(n);
    }

    static ObjectNode request(CustomerHoldings.Request r) {
        ObjectNode n = entry(null, null, r.at());
        n.put("requestId", r.requestId());
        putOrNull(n, "campaignId", r.campaignId());
        n.put("brand", r.brand());
        n.put("channel", r.channel().name());
        n.put("purpose", r.purpose().name());
        n.put("decision", r.outcome().decision().name());
        n.put("reason", r.outcome().reason().name());
        if (r.outcome().evidence() != null) {
            n.set("evidence", EligibilityQuery.evidenceJson(r.outcome().evidence()));
        }
        return n;
    }

    static ObjectNode suppression(Suppression s) {
        ObjectNode n = entry(s.eventId(), s.source(), s.at());
        n.put("addressHash", s.addressHash());
        ArrayNode channels = n.putArray("channels");
        s.channels().stream().sorted().forEach(ch -> channels.add(ch.name()));
        return n;
    }
}
