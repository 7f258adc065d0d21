package com.consentry.topology;

import com.consentry.policy.Answer;
import com.consentry.policy.CustomerHistory;
import com.consentry.policy.SentMessage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Value of the {@link StoreNames#CUSTOMERS} store: the customer's history, what was last published
 * for them, the approved marketing messages the frequency cap counts, and the address hashes linked to
 * them in the address index. Public fields, for the JSON state serde.
 */
public final class CustomerState {
    public CustomerHistory history = new CustomerHistory();
    /**
     * "brand NUL channel" -> the row as last evaluated: its answer (eligible, reason) is the one last
     * published; its evidence is the fact it rests on now.
     */
    public TreeMap<String, Answer> published = new TreeMap<>();
    /** The instant the view was last evaluated at; evaluation never goes back in time. */
    public Instant viewAt;
    public List<SentMessage> sent = new ArrayList<>();
    public Set<String> linkedHashes = new TreeSet<>();
    /**
     * When an answer of this customer may next change by time alone after {@link #viewAt} (a consent
     * expiring, turning of age, soft opt-in lapsing, a known suppression taking effect); null when never.
     * Once an evaluation reaches it, every row is evaluated.
     */
    public Instant nextChangeAt;
    /** The due time of the customer's entry in the sweep-due index, or null when they have none. */
    public Instant sweepDueAt;
    /**
     * The retention horizon: a purge removed facts that answers before this instant rested on, so those
     * answers are no longer given; null while nothing was purged ({@link com.consentry.policy.Retention}).
     */
    public Instant retentionHorizon;
    /** The due time of the customer's entry in the retention-due index, or null when they have none. */
    public Instant retentionDueAt;

    public static String rowKey(String brand, com.consentry.policy.Channel channel) {
        return brand + '\u0000' + channel.name();
    }
}
