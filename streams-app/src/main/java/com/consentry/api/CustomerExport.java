package com.consentry.api;

import com.consentry.policy.CartFact;
import com.consentry.policy.CustomerHistory;
import com.consentry.policy.Fact;
import com.consentry.policy.ProfileUpdate;
import com.consentry.policy.SentMessage;
import com.consentry.policy.Suppression;
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
        if (state == null || state.retentionHorizon == null) {
            n.putNull("retentionHorizon");
        } else {
            n.put("retentionHorizon", state.retentionHorizon.toString());
        }
        n.put("retention", "Facts are held only as long as consentry.retention.* allows; history before "
                + "retentionHorizon (when set) is no longer held, and answers before it are not given");
        if (h.erasedAt == null) {
            n.putNull("erasure");
        } else {
            n.set("erasure", HeldFacts.entry(h.erasureEventId, null, h.erasedAt));
        }
        ArrayNode profile = n.putArray("profileUpdates");
        sorted(h.profile).forEach(u -> profile.add(HeldFacts.profileUpdate(u)));
        ArrayNode consents = n.putArray("consents");
        sorted(h.consents).forEach(c -> consents.add(HeldFacts.consent(c)));
        ArrayNode unsubscribes = n.putArray("unsubscribes");
        sorted(h.unsubscribes).forEach(u -> unsubscribes.add(HeldFacts.unsubscribe(u)));
        ArrayNode orders = n.putArray("orders");
        sorted(h.orders).forEach(o -> orders.add(HeldFacts.order(o)));
        ArrayNode cartFacts = n.putArray("cartFacts");
        for (CartFact c : sorted(h.carts)) {
            cartFacts.add(HeldFacts.entry(c.eventId(), null, c.at()).put("brand", c.brand()));
        }
        ArrayNode carts = n.putArray("carts");
        ArrayNode reminders = n.putArray("reminders");
        for (CartState c : held.carts()) {
            carts.add(HeldFacts.cart(c));
            HeldFacts.reminder(c).ifPresent(reminders::add);
        }
        ArrayNode decisions = n.putArray("sendDecisions");
        held.requests().forEach(r -> decisions.add(HeldFacts.request(r)));
        ArrayNode counted = n.putArray("frequencyCapMessages");
        if (state != null) {
            state.sent.stream().sorted(Comparator.comparing(SentMessage::at).thenComparing(SentMessage::requestId))
                    .forEach(m -> counted.add(HeldFacts.entry(null, null, m.at()).put("requestId", m.requestId())
                            .put("channel", m.channel().name())));
        }
        ArrayNode linked = n.putArray("linkedAddressHashes");
        if (state != null) {
            state.linkedHashes.forEach(linked::add);
        }
        ArrayNode sup = n.putArray("suppressions");
        suppressionsOf(held, h, suppressions).forEach(s -> sup.add(HeldFacts.suppression(s)));
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
}
