package com.consentry.api;

import com.consentry.policy.CartFact;
import com.consentry.policy.ConsentFact;
import com.consentry.policy.CustomerHistory;
import com.consentry.policy.Fact;
import com.consentry.policy.OrderFact;
import com.consentry.policy.ProfileUpdate;
import com.consentry.policy.SentMessage;
import com.consentry.policy.Suppression;
import com.consentry.policy.UnsubscribeFact;
import com.consentry.topology.CartReminders;
import com.consentry.topology.CartState;
import com.consentry.topology.CustomerHoldings;
import com.consentry.topology.CustomerState;
import com.consentry.topology.GlobalSuppressionList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The subject access export (GDPR Art. 15) of {@code GET /v1/customers/{customerId}/export}: one JSON
 * document with everything Consentry holds about a customer, as held. The format is documented in the
 * README ("Subject access export"). Addresses are never held in clear, only as keyed hashes: an email or
 * phone appears as {@value #HELD_AS_HASH}, next to the hash itself. Every entry carries {@code eventId},
 * {@code source} and {@code eventTime} (null where the kind of event has none or it is not held).
 */
public final class CustomerExport {
    public static final String HELD_AS_HASH = "held as a keyed hash";
    /** The version of the document's format; a change that removes or renames a field raises it. */
    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CustomerExport() {
    }

    public static ObjectNode json(String customerId, CustomerHoldings held, GlobalSuppressionList suppressions,
                                  Instant exportedAt) {
        CustomerState state = held.customer();
        CustomerHistory h = state == null ? new CustomerHistory() : state.history;
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "subject-access-export");
        n.put("format", FORMAT);
        n.put("customerId", customerId);
        n.put("exportedAt", exportedAt.toString());
        n.put("known", state != null || !held.carts().isEmpty() || !held.requests().isEmpty());
        n.put("addresses", "Email addresses and phone numbers are not held: only keyed hashes (HMAC-SHA256) of "
                + "their normalised form, shown as \"" + HELD_AS_HASH + "\" with the hash");
        if (h.erasedAt == null) {
            n.putNull("erasure");
        } else {
            n.set("erasure", entry(h.erasureEventId, null, h.erasedAt));
        }
        ArrayNode profile = n.putArray("profileUpdates");
        sorted(h.profile).forEach(u -> profile.add(profileUpdate(u)));
        ArrayNode consents = n.putArray("consents");
        sorted(h.consents).forEach(c -> consents.add(consent(c)));
        ArrayNode unsubscribes = n.putArray("unsubscribes");
        sorted(h.unsubscribes).forEach(u -> unsubscribes.add(unsubscribe(u)));
        ArrayNode orders = n.putArray("orders");
        sorted(h.orders).forEach(o -> orders.add(order(o)));
        ArrayNode cartFacts = n.putArray("cartFacts");
        for (CartFact c : sorted(h.carts)) {
            cartFacts.add(entry(c.eventId(), null, c.at()).put("brand", c.brand()));
        }
        ArrayNode carts = n.putArray("carts");
        ArrayNode reminders = n.putArray("reminders");
        for (CartState c : held.carts()) {
            carts.add(cart(c));
            reminder(c).ifPresent(reminders::add);
        }
        ArrayNode decisions = n.putArray("sendDecisions");
        held.requests().forEach(r -> decisions.add(request(r)));
        ArrayNode counted = n.putArray("frequencyCapMessages");
        if (state != null) {
            state.sent.stream().sorted(Comparator.comparing(SentMessage::at).thenComparing(SentMessage::requestId))
                    .forEach(m -> counted.add(entry(null, null, m.at()).put("requestId", m.requestId())
                            .put("channel", m.channel().name())));
        }
        ArrayNode linked = n.putArray("linkedAddressHashes");
        if (state != null) {
            state.linkedHashes.forEach(linked::add);
        }
        ArrayNode sup = n.putArray("suppressions");
        suppressionsOf(held, h, suppressions).forEach(s -> sup.add(suppression(s)));
        ObjectNode view = EligibilityQuery.viewJson(customerId, state);
        view.remove("customerId");
        n.set("view", view);
        return n;
    }

    /** The entries for every address hash held for the customer, and those their erasure created. */
    private static List<Suppression> suppressionsOf(CustomerHoldings held, CustomerHistory h,
                                                    GlobalSuppressionList list) {
        TreeSet<String> hashes = new TreeSet<>();
        for (ProfileUpdate u : h.profile) {
            addIfPresent(hashes, u.emailHash());
            addIfPresent(hashes, u.phoneHash());
            if (u.phoneHashByRegion() != null) {
                hashes.addAll(u.phoneHashByRegion().values());
            }
        }
        h.unsubscribes.forEach(u -> addIfPresent(hashes, u.addressHash()));
        if (held.customer() != null) {
            hashes.addAll(held.customer().linkedHashes);
        }
        Map<String, Suppression> out = new LinkedHashMap<>();
        for (String hash : hashes) {
            list.forAddress(hash).forEach(s -> out.put(GlobalSuppressionList.key(s), s));
        }
        if (h.erasureEventId != null) {
            list.createdBy(h.erasureEventId).forEach(s -> out.put(GlobalSuppressionList.key(s), s));
        }
        List<Suppression> sorted = new ArrayList<>(out.values());
        sorted.sort(Comparator.comparing(Suppression::at).thenComparing(Suppression::addressHash)
                .thenComparing(Suppression::eventId));
        return sorted;
    }

    private static void addIfPresent(TreeSet<String> hashes, String hash) {
        if (hash != null) {
            hashes.add(hash);
        }
    }

    private static <F extends Fact> List<F> sorted(List<F> facts) {
        return facts.stream().sorted(Fact.BY_TIME_THEN_ARRIVAL).toList();
    }

    /** The three fields every entry carries. */
    private static ObjectNode entry(String eventId, String source, Instant eventTime) {
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
    private static ObjectNode profileUpdate(ProfileUpdate u) {
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
     * {@code field}: {@value #HELD_AS_HASH} and {@code fieldHash}: the hash; both null when cleared
     * ({@code heldElsewhere}: the hashes are in another field).
     */
    private static void hashed(ObjectNode n, String field, String hash, boolean heldElsewhere) {
        if (hash == null && !heldElsewhere) {
            n.putNull(field);
        } else {
            n.put(field, HELD_AS_HASH);
        }
        putOrNull(n, field + "Hash", hash);
    }

    private static ObjectNode consent(ConsentFact c) {
        ObjectNode n = entry(c.eventId(), c.source(), c.at());
        n.put("brand", c.brand());
        n.put("channel", c.channel().name());
        n.put("status", c.status().name());
        putOrNull(n, "expiresAt", c.expiresAt());
        return n;
    }

    private static ObjectNode unsubscribe(UnsubscribeFact u) {
        ObjectNode n = entry(u.eventId(), u.source() == null ? null : u.source().name(), u.at());
        n.put("brand", u.brand());
        putOrNull(n, "channel", u.channel());
        if (u.addressHash() != null) {
            hashed(n, "address", u.addressHash(), false);
        }
        return n;
    }

    private static ObjectNode order(OrderFact o) {
        ObjectNode n = entry(o.eventId(), null, o.at());
        n.put("orderId", o.orderId());
        n.put("brand", o.brand());
        n.put("status", o.status().name());
        putOrNull(n, "cartId", o.cartId());
        return n;
    }

    private static ObjectNode cart(CartState c) {
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
    private static Optional<ObjectNode> reminder(CartState c) {
        if (!c.reminded && c.dueAt == null) {
            return Optional.empty();
        }
        ObjectNode n = entry(CartReminders.reminderId(c.customerId, c.cartId), null, c.dueAt);
        n.put("cartId", c.cartId);
        n.put("brand", c.brand);
        n.put("status", c.reminded ? "DECIDED" : "PENDING");
        return Optional.of(n);
    }

    private static ObjectNode request(CustomerHoldings.Request r) {
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

    private static ObjectNode suppression(Suppression s) {
        ObjectNode n = entry(s.eventId(), s.source(), s.at());
        n.put("addressHash", s.addressHash());
        ArrayNode channels = n.putArray("channels");
        s.channels().stream().sorted().forEach(ch -> channels.add(ch.name()));
        return n;
    }
}
