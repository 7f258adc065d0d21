package com.consentry.api;

import com.consentry.policy.Answer;
import com.consentry.policy.AnswerHistory;
import com.consentry.policy.Channel;
import com.consentry.policy.CustomerHistory;
import com.consentry.policy.EligibilityPolicy;
import com.consentry.policy.Evidence;
import com.consentry.policy.SuppressionList;
import com.consentry.topology.CustomerState;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * "May I send this now?": one answer from the state stores, through the same policy code the
 * topologies use. Shared by the HTTP API and {@code simulate}'s {@code query} lines. An unknown
 * customer is not an error: it gets the answer the policy gives for no facts.
 */
public final class EligibilityQuery {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EligibilityPolicy policy;
    private final AnswerHistory history;

    public EligibilityQuery(EligibilityPolicy policy) {
        this.policy = policy;
        this.history = new AnswerHistory(policy);
    }

    /**
     * The answer at {@code at}.
     *
     * @throws ApiException 422 when {@code at} is before the customer's retention horizon: the facts an answer
     *                      then rested on may be gone, so no answer is given rather than a wrong one
     */
    public Answer answer(CustomerState state, SuppressionList suppressions, String brand, Channel channel, Instant at) {
        requireHeld(state, at);
        return policy.decide(historyOf(state), suppressions, brand, channel, at);
    }

    /** Every change of the answer over {@code [from, to]}, from the same facts and policy as {@link #answer}. */
    public AnswerHistory.Result history(CustomerState state, SuppressionList suppressions, String brand,
                                        Channel channel, Instant from, Instant to) {
        requireHeld(state, from);
        return history.of(historyOf(state), suppressions, brand, channel, from, to);
    }

    /** Refuses an instant before the customer's retention horizon (HTTP 422). */
    private static void requireHeld(CustomerState state, Instant t) {
        if (state != null && state.retentionHorizon != null && t.isBefore(state.retentionHorizon)) {
            throw new ApiException(422, "history before " + state.retentionHorizon + " is no longer held: retention "
                    + "(consentry.retention.*) removed facts that answers before it rested on; ask for an instant at "
                    + "or after " + state.retentionHorizon);
        }
    }

    private static CustomerHistory historyOf(CustomerState state) {
        return state == null ? new CustomerHistory() : state.history;
    }

    /** The history as the HTTP body of {@code /history}. */
    public static ObjectNode historyJson(String customerId, String brand, Channel channel, AnswerHistory.Result r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("customerId", customerId);
        n.put("brand", brand);
        n.put("channel", channel.name());
        n.put("from", r.from().toString());
        n.put("to", r.to().toString());
        n.put("truncated", r.truncated());
        if (r.truncated()) {
            n.put("continueFrom", r.continueFrom().toString());
        }
        ArrayNode changes = n.putArray("changes");
        for (AnswerHistory.Change c : r.changes()) {
            ObjectNode row = changes.addObject();
            row.put("at", c.at().toString());
            putAnswer(row, c.answer());
        }
        return n;
    }

    /** The answer as a {@code simulate} {@code answer} line (and HTTP body). */
    public static ObjectNode answerJson(Instant at, String customerId, String brand, Channel channel, Answer a) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "answer");
        n.put("at", at.toString());
        n.put("customerId", customerId);
        n.put("brand", brand);
        n.put("channel", channel.name());
        putAnswer(n, a);
        return n;
    }

    private static void putAnswer(ObjectNode n, Answer a) {
        n.put("eligible", a.eligible());
        n.put("reason", a.reason().name());
        if (a.evidence() != null) {
            n.set("evidence", evidenceJson(a.evidence()));
        }
    }

    /**
     * A customer's published eligibility view (HTTP {@code GET /v1/eligibility/{customerId}}): every row as
     * last published, with its evidence; no rows for an unknown customer.
     */
    public static ObjectNode viewJson(String customerId, CustomerState state) {
        ObjectNode n = JSON.createObjectNode();
        n.put("customerId", customerId);
        if (state != null && state.viewAt != null) {
            n.put("viewAt", state.viewAt.toString());
        }
        ArrayNode rows = n.putArray("rows");
        if (state != null) {
            state.published.forEach((key, a) -> {
                int sep = key.indexOf('\u0000');
                ObjectNode row = rows.addObject();
                row.put("brand", key.substring(0, sep));
                row.put("channel", key.substring(sep + 1));
                putAnswer(row, a);
            });
        }
        return n;
    }

    public static ObjectNode evidenceJson(Evidence e) {
        return evidenceJson(e.type().name(), e.eventId(), e.source(), e.at(), e.confirmationEventId());
    }

    /** The same JSON for the evidence of a row of the eligibility topic (simulate's eligibility lines). */
    public static ObjectNode evidenceJson(com.consentry.avro.Evidence e) {
        return evidenceJson(e.getFactType().name(), e.getEventId(), e.getSource(), e.getEventTime(),
                e.getConfirmationEventId());
    }

    private static ObjectNode evidenceJson(String factType, String eventId, String source, java.time.Instant at,
                                           String confirmationEventId) {
        ObjectNode n = JSON.createObjectNode();
        n.put("factType", factType);
        n.put("eventId", eventId);
        if (source != null) {
            n.put("source", source);
        }
        if (at != null) {
            n.put("eventTime", at.toString());
        }
        if (confirmationEventId != null) {
            n.put("confirmationEventId", confirmationEventId);
        }
        return n;
    }
}
