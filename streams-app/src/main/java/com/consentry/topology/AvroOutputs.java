package com.consentry.topology;

import com.consentry.avro.CartItem;
import com.consentry.avro.CartReminder;
import com.consentry.avro.CustomerEligibility;
import com.consentry.avro.DecisionKind;
import com.consentry.avro.EligibilityRow;
import com.consentry.policy.Answer;
import com.consentry.policy.Channel;
import com.consentry.policy.Evidence;
import com.consentry.policy.Purpose;
import com.consentry.policy.SendOutcome;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Policy answers to the Avro records of the output topics. Outputs never carry an address. */
public final class AvroOutputs {
    private AvroOutputs() {
    }

    static CustomerEligibility eligibility(String customerId, Instant at, Map<String, Answer> rows) {
        List<EligibilityRow> out = new ArrayList<>(rows.size());
        for (var e : rows.entrySet()) {
            String[] key = e.getKey().split("\u0000");
            Answer a = e.getValue();
            out.add(EligibilityRow.newBuilder()
                    .setBrand(key[0])
                    .setChannel(com.consentry.avro.Channel.valueOf(key[1]))
                    .setEligible(a.eligible())
                    .setReason(com.consentry.avro.Reason.valueOf(a.reason().name()))
                    .setEvidence(evidence(a.evidence()))
                    .build());
        }
        return CustomerEligibility.newBuilder().setCustomerId(customerId).setPublishedAt(at).setRows(out).build();
    }

    public static com.consentry.avro.Evidence evidence(Evidence e) {
        if (e == null || e.eventId() == null) {
            return null;
        }
        return com.consentry.avro.Evidence.newBuilder()
                .setFactType(com.consentry.avro.FactType.valueOf(e.type().name()))
                .setEventId(e.eventId())
                .setSource(e.source())
                .setEventTime(e.at() == null ? Instant.EPOCH : e.at())
                .setConfirmationEventId(e.confirmationEventId())
                .build();
    }

    /** A decision: a campaign send ({@code cartId} null) or a cart reminder. */
    static com.consentry.avro.SendDecision decision(String requestId, String campaignId, String customerId,
                                                    String brand, Channel channel, Purpose purpose, Instant at,
                                                    SendOutcome outcome, String cartId) {
        return com.consentry.avro.SendDecision.newBuilder()
                .setRequestId(requestId)
                .setKind(cartId == null ? DecisionKind.CAMPAIGN : DecisionKind.CART_REMINDER)
                .setCampaignId(campaignId)
                .setCustomerId(customerId)
                .setBrand(brand)
                .setChannel(com.consentry.avro.Channel.valueOf(channel.name()))
                .setPurpose(com.consentry.avro.Purpose.valueOf(purpose.name()))
                .setDecision(com.consentry.avro.Decision.valueOf(outcome.decision().name()))
                .setReason(com.consentry.avro.Reason.valueOf(outcome.reason().name()))
                .setDecidedAt(at)
                .setCartId(cartId)
                .setReminderId(cartId == null ? null : requestId)
                .setEvidence(evidence(outcome.evidence()))
                .build();
    }

    static CartReminder reminder(String reminderId, CartState cart, Channel channel, Instant dueAt) {
        List<CartItem> items = new ArrayList<>();
        cart.items.forEach((sku, q) -> items.add(new CartItem(sku, q)));
        return CartReminder.newBuilder()
                .setReminderId(reminderId)
                .setCartId(cart.cartId)
                .setCustomerId(cart.customerId)
                .setBrand(cart.brand)
                .setChannel(com.consentry.avro.Channel.valueOf(channel.name()))
                .setDueAt(dueAt)
                .setLastActivityAt(cart.lastActivityAt)
                .setItems(items)
                .build();
    }
}
